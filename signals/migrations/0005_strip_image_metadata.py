"""Image attachments stored before uploads were cleaned: re-encoded without metadata (EXIF/GPS,
XMP, comments, ICC), so that no original is kept or served."""

from django.db import migrations


def strip(apps, schema_editor):
    from signals.images import clean_stored_images

    clean_stored_images(apps.get_model("signals", "Attachment"))


class Migration(migrations.Migration):
    dependencies = [("signals", "0004_signal_anonymised_at")]

    operations = [migrations.RunPython(strip, migrations.RunPython.noop, elidable=True)]
