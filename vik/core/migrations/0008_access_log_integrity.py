"""Access-log integrity (issue #15 item 8).

- TRUNCATE is rejected on every partition, not only on the parent (a statement trigger on a
  partitioned table does not reach a TRUNCATE of one partition). New partitions get the same
  guard from ``core_accesslog_guard_partition``, which ``vik.core.partitions`` calls when it
  creates one; the verifier reports any partition without it.
- The chain head can no longer be deleted or truncated, and it now counts the rows it chained
  (``length``): an UPDATE must move it forward (the append function adds one; a bulk load such as
  the benchmark generator adds its count). The verifier compares that count with the
  rows present, so emptying a partition (or the newest rows) shows even where the hashes would not.
- Rows that fell into the default partition (month partitions used to appear only when the beat
  job first ran) move into month partitions: the default partition is detached, month partitions
  are created for its months and for the current and next month, and its rows are inserted back
  through the parent (ids and hashes unchanged, so the chain stays intact) before the old table is
  dropped. Re-runnable: a second run finds the default partition empty.
"""

from django.db import migrations

GUARD_SQL = r"""
CREATE OR REPLACE FUNCTION core_accesslog_guard_partition(p_table regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_trigger WHERE tgrelid = p_table AND tgname = 'core_accesslog_no_truncate'
    ) THEN
        EXECUTE format(
            'CREATE TRIGGER core_accesslog_no_truncate BEFORE TRUNCATE ON %s '
            'FOR EACH STATEMENT EXECUTE FUNCTION core_accesslog_reject_change()', p_table
        );
    END IF;
END;
$$;

ALTER TABLE core_accesslog_head ADD COLUMN IF NOT EXISTS length bigint NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION core_accesslog_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.length > OLD.length THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'core_accesslog_head only moves forward: % is not allowed', TG_OP;
END;
$$;
DROP TRIGGER IF EXISTS core_accesslog_head_forward_only ON core_accesslog_head;
CREATE TRIGGER core_accesslog_head_forward_only BEFORE UPDATE OR DELETE ON core_accesslog_head
    FOR EACH ROW EXECUTE FUNCTION core_accesslog_head_guard();
DROP TRIGGER IF EXISTS core_accesslog_head_no_truncate ON core_accesslog_head;
CREATE TRIGGER core_accesslog_head_no_truncate BEFORE TRUNCATE ON core_accesslog_head
    FOR EACH STATEMENT EXECUTE FUNCTION core_accesslog_head_guard();

CREATE OR REPLACE FUNCTION core_accesslog_append(
    p_at timestamptz, p_actor_id bigint, p_actor_label text, p_role text, p_action text,
    p_ref_kind text, p_ref_object_id bigint, p_ref_label text,
    p_purpose text, p_detail text, p_result text, p_ip text
) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_ref_id bigint := NULL;
    v_prev text;
    v_id bigint;
    v_hash text;
BEGIN
    IF p_ref_kind <> '' AND p_ref_object_id IS NOT NULL THEN
        INSERT INTO core_logref (kind, object_id, label) VALUES (p_ref_kind, p_ref_object_id, p_ref_label)
        ON CONFLICT (kind, object_id) DO UPDATE SET kind = EXCLUDED.kind
        RETURNING id INTO v_ref_id;
    END IF;
    SELECT hash INTO v_prev FROM core_accesslog_head WHERE id = 1 FOR UPDATE;
    v_id := nextval('core_accesslog_id_seq');
    v_hash := encode(sha256(convert_to(concat_ws('|',
        v_prev, v_id::text,
        to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00',
        coalesce(p_actor_id::text, ''), p_actor_label, p_role, p_action,
        coalesce(v_ref_id::text, ''), p_ref_kind, p_purpose, p_detail, p_result, p_ip
    ), 'UTF8')), 'hex');
    INSERT INTO core_accesslog (id, at, actor_id, actor_label, role, action, ref_id, ref_kind, purpose,
                                detail, result, ip, prev_hash, hash)
    VALUES (v_id, p_at, p_actor_id, p_actor_label, p_role, p_action, v_ref_id, p_ref_kind, p_purpose,
            p_detail, p_result, p_ip, v_prev, v_hash);
    UPDATE core_accesslog_head SET hash = v_hash, length = length + 1 WHERE id = 1;
    RETURN v_id;
END;
$$;
"""

# The head's count starts from the rows already chained (the guard allows no jump, so switch
# it off for this one statement: the migration runs as the table's owner).
COUNT_SQL = r"""
ALTER TABLE core_accesslog_head DISABLE TRIGGER core_accesslog_head_forward_only;
UPDATE core_accesslog_head SET length = (SELECT count(*) FROM core_accesslog) WHERE id = 1;
ALTER TABLE core_accesslog_head ENABLE TRIGGER core_accesslog_head_forward_only;
"""


def _month_name(year, month):
    return f"core_accesslog_{year:04d}{month:02d}"


def _next(year, month):
    return (year + 1, 1) if month == 12 else (year, month + 1)


def move_default_rows_and_create_months(apps, schema_editor):
    from datetime import date

    with schema_editor.connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM core_accesslog_default")
        moving = cur.fetchone()[0] > 0
        months = set()
        today = date.today()
        months.add((today.year, today.month))
        months.add(_next(today.year, today.month))
        if moving:
            cur.execute(
                "SELECT DISTINCT extract(year FROM at AT TIME ZONE 'UTC')::int, "
                "extract(month FROM at AT TIME ZONE 'UTC')::int FROM core_accesslog_default"
            )
            months.update(cur.fetchall())
            cur.execute("ALTER TABLE core_accesslog DETACH PARTITION core_accesslog_default")
            cur.execute("ALTER TABLE core_accesslog_default RENAME TO core_accesslog_legacy_default")
            cur.execute("CREATE TABLE core_accesslog_default PARTITION OF core_accesslog DEFAULT")
        for year, month in sorted(months):
            name = _month_name(year, month)
            cur.execute("SELECT to_regclass(%s)", [name])
            if cur.fetchone()[0] is None:
                ny, nm = _next(year, month)
                cur.execute(
                    f"CREATE TABLE {name} PARTITION OF core_accesslog "
                    f"FOR VALUES FROM ('{year:04d}-{month:02d}-01 00:00:00+00') TO ('{ny:04d}-{nm:02d}-01 00:00:00+00')"
                )
        if moving:
            cur.execute("INSERT INTO core_accesslog SELECT * FROM core_accesslog_legacy_default ORDER BY id")
            cur.execute("DROP TABLE core_accesslog_legacy_default")
        cur.execute(
            "SELECT core_accesslog_guard_partition(inhrelid::regclass) FROM pg_inherits "
            "WHERE inhparent = 'core_accesslog'::regclass"
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0007_admin_role_without_user_edit")]
    operations = [
        migrations.RunSQL(GUARD_SQL, migrations.RunSQL.noop),
        migrations.RunSQL(COUNT_SQL, migrations.RunSQL.noop),
        migrations.RunPython(move_default_rows_and_create_months, migrations.RunPython.noop),
    ]
