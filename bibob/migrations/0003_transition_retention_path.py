"""The dossier's phase history stays append-only, with one documented exception: the retention
path.

Destroying or anonymising a Bibob dossier under its retention rule (docs/privacy-providers.md)
must remove its history too. The destroy/anonymise functions in ``bibob/privacy.py`` run
``SET LOCAL vik.retention = 'on'`` inside the destruction item's transaction; only then does the
trigger let DELETE and UPDATE through. The setting is transaction-local, so nothing is switched
off globally and every other write is still refused."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION bibob_transition_append_only() RETURNS trigger AS $$
BEGIN
    IF current_setting('vik.retention', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'bibob_dossiertransition is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION bibob_transition_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'bibob_dossiertransition is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("bibob", "0002_transition_append_only")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
