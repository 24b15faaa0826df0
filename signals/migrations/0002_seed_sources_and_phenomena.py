"""Seed the reference lists (sources, phenomena). Re-runnable: existing codes are left alone so
that the functional admin's edits survive."""

from django.db import migrations

SOURCES = [
    ("politie", "Politie (bestuurlijke rapportage, mutatie, hennepinformatie)"),
    ("mma", "Meld Misdaad Anoniem (M.)"),
    ("odt", "Omgevingsdienst Twente"),
    ("intern", "Intern (ogen en oren van de gemeente)"),
    ("controle", "Integrale of DOR/DOL-controle"),
    ("riec", "RIEC Oost-Nederland"),
    ("srt", "Sociale Recherche Twente"),
    ("belastingdienst", "Belastingdienst/Douane"),
    ("gemeente", "Andere gemeente"),
    ("overig", "Overig"),
]

PHENOMENA = [
    ("drugs", "Drugs"),
    ("hennep", "Hennep"),
    ("fraude", "Fraude"),
    ("zorgfraude", "Zorgfraude"),
    ("witwassen", "Witwassen"),
    ("kamerverhuur", "Kamerverhuur"),
    ("mensenhandel", "Mensenhandel en uitbuiting"),
    ("prostitutie", "Prostitutie"),
    ("gokken", "Illegaal gokken"),
    ("heling", "Heling"),
    ("vuurwerk", "Vuurwerk"),
    ("horeca", "Horeca"),
    ("vastgoed", "Vastgoed"),
    ("geweld", "Geweld"),
    ("inbrekerswerktuigen", "Inbrekerswerktuigen"),
    ("overig", "Overig"),
]


def seed(apps, schema_editor):
    SignalSource = apps.get_model("signals", "SignalSource")
    Phenomenon = apps.get_model("signals", "Phenomenon")
    for code, label in SOURCES:
        SignalSource.objects.get_or_create(code=code, defaults={"label": label})
    for code, label in PHENOMENA:
        Phenomenon.objects.get_or_create(code=code, defaults={"label": label})


class Migration(migrations.Migration):
    dependencies = [("signals", "0001_signal_registry")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
