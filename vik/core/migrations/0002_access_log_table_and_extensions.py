"""The access log as a month-partitioned, insert-only, hash-chained table, plus the PostgreSQL
extensions every app uses (pg_trgm for fuzzy search, unaccent for Dutch names)."""

from django.db import migrations

SQL = r"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE SEQUENCE IF NOT EXISTS core_accesslog_id_seq;
CREATE TABLE core_accesslog (
    id bigint NOT NULL DEFAULT nextval('core_accesslog_id_seq'),
    at timestamptz NOT NULL,
    actor_id bigint NULL,
    actor_label varchar(150) NOT NULL,
    role varchar(200) NOT NULL DEFAULT '',
    action varchar(20) NOT NULL,
    ref_id bigint NULL,
    ref_kind varchar(40) NOT NULL DEFAULT '',
    purpose varchar(300) NOT NULL DEFAULT '',
    detail varchar(300) NOT NULL DEFAULT '',
    result varchar(10) NOT NULL,
    ip varchar(45) NOT NULL DEFAULT '',
    prev_hash char(64) NOT NULL,
    hash char(64) NOT NULL,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE TABLE core_accesslog_default PARTITION OF core_accesslog DEFAULT;
CREATE INDEX core_accesslog_ref_at ON core_accesslog (ref_id, at DESC);
CREATE INDEX core_accesslog_actor_at ON core_accesslog (actor_id, at DESC);
CREATE INDEX core_accesslog_at ON core_accesslog (at);

CREATE TABLE core_accesslog_head (id int PRIMARY KEY CHECK (id = 1), hash char(64) NOT NULL);
INSERT INTO core_accesslog_head VALUES (1, repeat('0', 64));

CREATE FUNCTION core_accesslog_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'core_accesslog is append-only: % is not allowed', TG_OP;
END;
$$;
CREATE TRIGGER core_accesslog_append_only BEFORE UPDATE OR DELETE ON core_accesslog
    FOR EACH ROW EXECUTE FUNCTION core_accesslog_reject_change();
CREATE TRIGGER core_accesslog_no_truncate BEFORE TRUNCATE ON core_accesslog
    FOR EACH STATEMENT EXECUTE FUNCTION core_accesslog_reject_change();
"""

REVERSE = r"""
DROP TABLE IF EXISTS core_accesslog CASCADE;
DROP TABLE IF EXISTS core_accesslog_head;
DROP FUNCTION IF EXISTS core_accesslog_reject_change();
DROP SEQUENCE IF EXISTS core_accesslog_id_seq;
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
