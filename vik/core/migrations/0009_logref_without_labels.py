"""The access log's reference table holds no content (issue #15 item 3): records are named by
kind and id only. Existing labels (names, addresses, tip summaries) are dropped with the column,
and the append function no longer writes one (its signature stays, the label is ignored)."""

from django.db import migrations

SQL = r"""
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
    -- p_ref_label is ignored: the reference table is pseudonymous (kind and id only).
    IF p_ref_kind <> '' AND p_ref_object_id IS NOT NULL THEN
        INSERT INTO core_logref (kind, object_id) VALUES (p_ref_kind, p_ref_object_id)
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


class Migration(migrations.Migration):
    dependencies = [("core", "0008_access_log_integrity")]
    operations = [
        migrations.RemoveField(model_name="logref", name="label"),
        migrations.RunSQL(SQL, migrations.RunSQL.noop),
    ]
