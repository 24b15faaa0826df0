"""``manage.py load_areas FILE``: load the CBS wijk- en buurtkaart (GeoPackage or GeoJSON, RD New
or WGS84) and assign area codes to addresses. All or nothing: a refused file loads nothing."""

from django.core.management.base import BaseCommand, CommandError

from dashboards.geo import AreaFileError
from dashboards.services import areas_load_file


class Command(BaseCommand):
    help = "Laad CBS-gebieden (gemeenten, wijken, buurten) uit een GeoPackage of GeoJSON en deel adressen in."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Pad naar het .gpkg- of .geojson-bestand")
        parser.add_argument(
            "--year", type=int, default=None, help="Jaar van de indeling (anders uit het bestand)"
        )
        parser.add_argument("--no-assign", action="store_true", help="Adressen niet opnieuw indelen")

    def handle(self, *args, **options):
        try:
            result = areas_load_file(
                path=options["file"], year=options["year"], assign=not options["no_assign"]
            )
        except AreaFileError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            self.style.SUCCESS(f"Gebieden: {result['created']} nieuw, {result['updated']} bijgewerkt.")
        )
        if "addresses" in result:
            a = result["addresses"]
            self.stdout.write(
                f"Adressen: {a['matched']} in een gebied, {a['changed']} gewijzigd, {a['outside']} buiten alle gebieden."
            )
