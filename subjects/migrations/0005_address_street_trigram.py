"""The typeahead's street search (``LIKE '%…%'`` on the unaccented, upper-cased street) read every
address; a trigram index on that expression answers it from the index. ``unaccent`` itself is
only STABLE (its dictionary could change), so the index holds ``vik_unaccent``: the same
function with the dictionary named, declared IMMUTABLE (the usual PostgreSQL recipe). Built
CONCURRENTLY: addresses stay writable while it builds."""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

import subjects.models

FUNCTION = """
CREATE OR REPLACE FUNCTION vik_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("subjects", "0004_subject_version_and_edited_by"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION, reverse_sql="DROP FUNCTION IF EXISTS vik_unaccent(text);"),
        AddIndexConcurrently(
            model_name="address",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    subjects.models.StreetKey(models.F("street")), name="gin_trgm_ops"
                ),
                name="subjects_address_street_trgm",
            ),
        ),
    ]
