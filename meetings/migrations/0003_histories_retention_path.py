"""The meeting state history and the action item status history stay append-only, with one
documented exception: the retention path.

Destroying or anonymising a casustafel under its retention rule (docs/privacy-providers.md)
must remove its histories too. The destroy/anonymise functions in ``meetings/privacy.py`` run
``SET LOCAL vik.retention = 'on'`` inside the destruction item's transaction; only then does the
trigger let DELETE and UPDATE through. The setting is transaction-local, so nothing is switched
off globally and every other write is still refused."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION meetings_history_append_only() RETURNS trigger AS $$
BEGIN
    IF current_setting('vik.retention', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION meetings_history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_histories_append_only")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
