"""MeasureEvent stays append-only, with one documented exception: the retention path.

Destroying or anonymising a measure under a retention rule (docs/privacy-providers.md) must remove
its procedure history too. The destroy/anonymise functions in ``measures/privacy.py`` run
``SET LOCAL vik.retention = 'on'`` inside the destruction item's transaction; only then does the
trigger let DELETE and UPDATE through. The setting is transaction-local, so nothing is switched
off globally and every other write is still refused."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION measures_event_append_only() RETURNS trigger AS $$
BEGIN
    IF current_setting('vik.retention', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'measures_measureevent is append-only';
END;
$$ LANGUAGE plpgsql;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION measures_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'measures_measureevent is append-only';
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("measures", "0004_deadline_scan_periodic_task")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
