"""The meeting state history and the action item status history are append-only: a trigger
rejects UPDATE and DELETE of their rows."""

from django.db import migrations

TABLES = ["meetings_meetingstatechange", "meetings_actionitemchange"]

FORWARD = """
CREATE OR REPLACE FUNCTION meetings_history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t}
    FOR EACH ROW EXECUTE FUNCTION meetings_history_append_only();
"""
    for t in TABLES
)

BACKWARD = "".join(f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};\n" for t in TABLES) + (
    "DROP FUNCTION IF EXISTS meetings_history_append_only();"
)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_casustafel_meetings_agenda_actions")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
