"""``python manage.py deadlines_preview FILE.json``: the deadline engine without a case (DESIGN §6).

Reads a JSON list of scenarios ``{"id", "procedure", "events": [{"type", "on", ...}],
"declared_days": [...]}`` and prints one JSON object mapping each scenario id to
``{deadline code: "YYYY-MM-DD" or null}``. A bad scenario: ``scenario N: reason`` on stderr (N
its position in the list, from 1) for each one, nothing on stdout, exit status 1. Procedures,
event types and deadline codes: docs/legal-deadlines.md."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from measures.calculator import ScenarioError, compute


class Command(BaseCommand):
    help = "Bereken alle termijnen voor scenario's uit een JSON-bestand (zonder zaak)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON-bestand met een lijst scenario's ('-' leest stdin)")

    def handle(self, *args, file: str, **options):
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"bestand {file}: {exc.strerror or exc}", returncode=1)
        try:
            scenarios = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"bestand {file}: geen geldige JSON ({exc.msg}, regel {exc.lineno})", returncode=1
            )
        if not isinstance(scenarios, list):
            raise CommandError(f"bestand {file}: verwacht een lijst scenario's", returncode=1)
        out: dict[str, dict] = {}
        errors: list[str] = []
        seen: set[str] = set()
        for n, scenario in enumerate(scenarios, start=1):
            try:
                if not isinstance(scenario, dict):
                    raise ScenarioError("geen object")
                sid = scenario.get("id")
                if sid in (None, "") or not isinstance(sid, str | int):
                    raise ScenarioError("id ontbreekt")
                sid = str(sid)
                if sid in seen:
                    raise ScenarioError(f"id {sid} komt vaker voor")
                seen.add(sid)
                declared = scenario.get("declared_days")
                if declared is not None and not isinstance(declared, list):
                    raise ScenarioError("declared_days moet een lijst datums zijn")
                result = compute(
                    str(scenario.get("procedure") or ""),
                    scenario.get("events", []),
                    declared=declared,
                )
                out[sid] = result.as_json()
            except ScenarioError as exc:
                errors.append(f"scenario {n}: {exc}")
        if errors:
            for line in errors:
                self.stderr.write(line)
            raise CommandError(f"{len(errors)} scenario('s) afgekeurd", returncode=1)
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2, sort_keys=False))
