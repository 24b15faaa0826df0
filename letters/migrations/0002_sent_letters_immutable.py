"""A sent letter is immutable: the database refuses an UPDATE of a letter row once its state is
'verzonden', and any UPDATE of a stored version (versions are only ever added)."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION letters_refuse_sent_update() RETURNS trigger AS $$
BEGIN
    IF OLD.state = 'verzonden' THEN
        RAISE EXCEPTION 'letters: a sent letter is immutable (id %)', OLD.id;
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER letters_letter_sent_immutable BEFORE UPDATE ON letters_letter
    FOR EACH ROW EXECUTE FUNCTION letters_refuse_sent_update();

CREATE OR REPLACE FUNCTION letters_refuse_version_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'letters: a letter version is never changed (id %)', OLD.id;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER letters_version_append_only BEFORE UPDATE ON letters_letterversion
    FOR EACH ROW EXECUTE FUNCTION letters_refuse_version_update();
"""

REVERSE = """
DROP TRIGGER IF EXISTS letters_letter_sent_immutable ON letters_letter;
DROP FUNCTION IF EXISTS letters_refuse_sent_update();
DROP TRIGGER IF EXISTS letters_version_append_only ON letters_letterversion;
DROP FUNCTION IF EXISTS letters_refuse_version_update();
"""


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_letters_templates_versions")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
