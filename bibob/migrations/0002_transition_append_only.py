"""The dossier's phase history is append-only: a trigger rejects UPDATE and DELETE of its rows."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION bibob_transition_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'bibob_dossiertransition is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER bibob_transition_append_only
    BEFORE UPDATE OR DELETE ON bibob_dossiertransition
    FOR EACH ROW EXECUTE FUNCTION bibob_transition_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS bibob_transition_append_only ON bibob_dossiertransition;
DROP FUNCTION IF EXISTS bibob_transition_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("bibob", "0001_bibob_dossier")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
