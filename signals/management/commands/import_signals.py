"""python manage.py import_signals FILE [--skip-invalid]

Exit 0 only when every row was imported; with bad rows nothing is imported, each is printed as
``regel N: reden`` and the exit code is 1. ``--skip-invalid`` imports the good rows, reports the
bad ones the same way, and exits 0 unless no row could be imported."""

from __future__ import annotations

import sys
from pathlib import Path

from auditlog.context import set_actor
from tqdm import tqdm

from django.core.management.base import BaseCommand, CommandError

from vik.core.constants import OrgKind
from vik.core.models import OrgUnit, User

from ...importing import exit_code, run_import, summary_line


class Command(BaseCommand):
    help = "Importeer signalen uit een CSV- of XLSX-bestand (kolommen: zie README)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV- of XLSX-bestand")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Importeer de goede regels en meld de ongeldige."
        )
        parser.add_argument("--user", default="", help="Gebruikersnaam die als invoerder wordt vastgelegd.")
        parser.add_argument(
            "--team",
            default="",
            help="Code van het team dat eigenaar wordt (standaard: dat van --user, of 'veiligheid').",
        )
        parser.add_argument("--no-progress", action="store_true", help="Geen voortgangsbalk.")

    def _owner(self, username: str, team_code: str) -> tuple[User | None, OrgUnit]:
        user = None
        if username:
            user = User.objects.filter(username=username, is_active=True).select_related("org_unit").first()
            if user is None:
                raise CommandError(f"Onbekende gebruiker: {username}")
        team = None
        if team_code:
            team = OrgUnit.objects.filter(code=team_code, kind=OrgKind.TEAM).first()
            if team is None:
                raise CommandError(f"Onbekend team: {team_code}")
        team = team or (user.org_unit if user else None) or OrgUnit.objects.filter(code="veiligheid").first()
        if team is None:
            teams = list(OrgUnit.objects.filter(kind=OrgKind.TEAM)[:2])
            if len(teams) != 1:
                raise CommandError("Geef met --team aan welk team eigenaar van de signalen wordt.")
            team = teams[0]
        return user, team

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Kan {path} niet lezen: {exc.strerror}")
        user, team = self._owner(options["user"], options["team"])
        skip = options["skip_invalid"]
        bars: dict[str, tqdm] = {}
        show = not options["no_progress"]

        def progress(phase: str, done: int, total: int) -> None:
            if not show:
                return
            bar = bars.get(phase)
            if bar is None:
                for other in bars.values():
                    other.close()
                label = {"check": "controleren", "write": "importeren"}[phase]
                bar = bars[phase] = tqdm(total=total or None, desc=label, unit=" regels", file=sys.stderr)
            if total and bar.total != total:
                bar.total = total
            bar.update(done - bar.n)

        with set_actor(user):
            result = run_import(
                actor=user,
                data=data,
                filename=path.name,
                skip_invalid=skip,
                owner_team=team,
                progress=progress,
            )
        for bar in bars.values():
            bar.close()
        for line in result.errors:
            self.stdout.write(line)
        for line in result.already_present:
            self.stdout.write(f"{line} (overgeslagen)")
        code = exit_code(result, skip_invalid=skip)
        message = summary_line(result, skip_invalid=skip)
        if code != 0:
            raise CommandError(message, returncode=code)
        self.stdout.write(self.style.SUCCESS(message))
