"""The access-log append takes the chain head first (issue #26, found by the 100-user load test).

Before, ``core_accesslog_append`` upserted the record's ``core_logref`` row (``ON CONFLICT DO
UPDATE``, which locks that row until the transaction ends) and only then locked the chain head.
A statement that logs several records (a list page) held the head while it went on to the next
record's reference row; a request that logged one of those records held that reference row while
it waited for the head: PostgreSQL found the cycle and cancelled one of them (an HTTP 500).

Now every append locks the head first, so whoever writes reference rows holds the head and no
cycle can form; the reference row is inserted with ``ON CONFLICT DO NOTHING`` and read back when it
already existed (no row lock, no dead tuple per read). The 12-argument form calls the 14-argument
one with NULL activity: ``concat_ws`` skips NULLs, so its hash is the one it always computed.
"""

from django.db import migrations

SQL = r"""
CREATE OR REPLACE FUNCTION core_accesslog_append(
    p_at timestamptz, p_actor_id bigint, p_actor_label text, p_role text, p_action text,
    p_ref_kind text, p_ref_object_id bigint, p_ref_label text,
    p_purpose text, p_detail text, p_result text, p_ip text,
    p_activity_id bigint, p_activity_version integer
) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_ref_id bigint := NULL;
    v_prev text;
    v_id bigint;
    v_hash text;
BEGIN
    -- The head first: one lock order for every writer (see the migration's docstring).
    SELECT hash INTO v_prev FROM core_accesslog_head WHERE id = 1 FOR UPDATE;
    IF p_ref_kind <> '' AND p_ref_object_id IS NOT NULL THEN
        INSERT INTO core_logref (kind, object_id) VALUES (p_ref_kind, p_ref_object_id)
        ON CONFLICT (kind, object_id) DO NOTHING
        RETURNING id INTO v_ref_id;
        IF v_ref_id IS NULL THEN
            SELECT id INTO v_ref_id FROM core_logref WHERE kind = p_ref_kind AND object_id = p_ref_object_id;
        END IF;
    END IF;
    v_id := nextval('core_accesslog_id_seq');
    v_hash := encode(sha256(convert_to(concat_ws('|',
        v_prev, v_id::text,
        to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00',
        coalesce(p_actor_id::text, ''), p_actor_label, p_role, p_action,
        coalesce(v_ref_id::text, ''), p_ref_kind, p_purpose, p_detail, p_result, p_ip,
        p_activity_id::text, p_activity_version::text
    ), 'UTF8')), 'hex');
    INSERT INTO core_accesslog (id, at, actor_id, actor_label, role, action, ref_id, ref_kind, purpose,
                                detail, result, ip, activity_id, activity_version, prev_hash, hash)
    VALUES (v_id, p_at, p_actor_id, p_actor_label, p_role, p_action, v_ref_id, p_ref_kind, p_purpose,
            p_detail, p_result, p_ip, p_activity_id, p_activity_version, v_prev, v_hash);
    UPDATE core_accesslog_head SET hash = v_hash, length = length + 1 WHERE id = 1;
    RETURN v_id;
END;
$$;

CREATE OR REPLACE FUNCTION core_accesslog_append(
    p_at timestamptz, p_actor_id bigint, p_actor_label text, p_role text, p_action text,
    p_ref_kind text, p_ref_object_id bigint, p_ref_label text,
    p_purpose text, p_detail text, p_result text, p_ip text
) RETURNS bigint LANGUAGE sql AS $$
    SELECT core_accesslog_append(p_at, p_actor_id, p_actor_label, p_role, p_action, p_ref_kind,
        p_ref_object_id, p_ref_label, p_purpose, p_detail, p_result, p_ip, NULL::bigint, NULL::integer);
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0014_merge_trace_context_and_processing_register")]
    operations = [migrations.RunSQL(SQL, migrations.RunSQL.noop)]
