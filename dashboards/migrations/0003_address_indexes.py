"""An index on the addresses for the map's counts per buurt (docs/performance.md, "Dashboards at
M and L"). It lives on the subjects app's table but serves only the dashboards' queries, so it is
created here (raw SQL, no model state).

``dashboards_address_buurt`` (id) INCLUDE (buurt_code): the map finds the buurt of each visible
measure's and signal's address by id, index-only, instead of reading the whole address table
(~10k pages at M, ~130k at L) to hash it."""

from django.db import migrations

BUURT = "CREATE INDEX IF NOT EXISTS dashboards_address_buurt ON subjects_address (id) INCLUDE (buurt_code)"


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0002_refresh_rollups_periodic_task"),
        ("subjects", "0004_subject_version_and_edited_by"),
    ]

    operations = [migrations.RunSQL(BUURT, "DROP INDEX IF EXISTS dashboards_address_buurt")]
