from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from vik.env import render_markdown


class Command(BaseCommand):
    help = "Write docs/env-vars.md from the declarations in vik/env.py (--check: fail when stale)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, **options):
        target = Path(settings.BASE_DIR) / "docs" / "env-vars.md"
        text = render_markdown()
        if options["check"]:
            if not target.exists() or target.read_text() != text:
                raise SystemExit("docs/env-vars.md is stale: run manage.py envvars_doc")
            return
        target.write_text(text)
        self.stdout.write(f"wrote {target}")
