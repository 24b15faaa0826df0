"""The access log names the processing activity (register, AVG art. 30) of every row, and the
register and the processing log cannot be rewritten.

- ``core_accesslog`` gets ``activity_id`` and ``activity_version`` (added to the partitioned
  parent, so every month partition has them). Rows written before stay empty.
- A new overload ``core_accesslog_append(... , p_activity_id, p_activity_version)`` writes them
  and chains them: they enter the SHA-256 payload after the IP, and ``concat_ws`` skips NULLs, so
  a row without an activity hashes exactly as before (old rows keep verifying;
  ``vik.core.accesslog.row_hash`` does the same). The 12-argument function stays for callers
  that do not know the register.
- ``core_processingrecord`` (the LDV processing log) rejects UPDATE and DELETE.
- ``core_processingactivityversion`` rejects DELETE and every UPDATE except closing the version
  in force (``valid_to`` from empty to a time, nothing else changed): a change to an activity is
  a new version.
"""

from django.db import migrations

SQL = r"""
ALTER TABLE core_accesslog ADD COLUMN IF NOT EXISTS activity_id bigint;
ALTER TABLE core_accesslog ADD COLUMN IF NOT EXISTS activity_version integer;

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

CREATE OR REPLACE FUNCTION core_processingrecord_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'core_processingrecord is append-only: % is not allowed', TG_OP;
END;
$$;
DROP TRIGGER IF EXISTS core_processingrecord_append_only ON core_processingrecord;
CREATE TRIGGER core_processingrecord_append_only BEFORE UPDATE OR DELETE ON core_processingrecord
    FOR EACH ROW EXECUTE FUNCTION core_processingrecord_reject_change();

CREATE OR REPLACE FUNCTION core_activityversion_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- an UPDATE that changes nothing (a fixture or backup reloaded over the same row) is no change
    IF TG_OP = 'UPDATE' AND to_jsonb(NEW) = to_jsonb(OLD) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.valid_to IS NULL AND NEW.valid_to IS NOT NULL
       AND (to_jsonb(NEW) - 'valid_to') = (to_jsonb(OLD) - 'valid_to') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a version of a processing activity is never changed (%): add a new version', TG_OP;
END;
$$;
DROP TRIGGER IF EXISTS core_activityversion_immutable ON core_processingactivityversion;
CREATE TRIGGER core_activityversion_immutable BEFORE UPDATE OR DELETE ON core_processingactivityversion
    FOR EACH ROW EXECUTE FUNCTION core_activityversion_guard();
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS core_activityversion_immutable ON core_processingactivityversion;
DROP FUNCTION IF EXISTS core_activityversion_guard();
DROP TRIGGER IF EXISTS core_processingrecord_append_only ON core_processingrecord;
DROP FUNCTION IF EXISTS core_processingrecord_reject_change();
DROP FUNCTION IF EXISTS core_accesslog_append(timestamptz, bigint, text, text, text, text, bigint, text,
    text, text, text, text, bigint, integer);
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0011_processing_register")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
