"""MeasureEvent is append-only: a trigger refuses UPDATE and DELETE (the procedure is legal history)."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION measures_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'measures_measureevent is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS measures_event_append_only ON measures_measureevent;
CREATE TRIGGER measures_event_append_only BEFORE UPDATE OR DELETE ON measures_measureevent
    FOR EACH ROW EXECUTE FUNCTION measures_event_append_only();
"""
REVERSE = """
DROP TRIGGER IF EXISTS measures_event_append_only ON measures_measureevent;
DROP FUNCTION IF EXISTS measures_event_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_measures_procedures_deadlines_ledger")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
