"""``manage.py generate_dataset --scale S|M|L``: the benchmark dataset (DESIGN §6, §7)."""

from __future__ import annotations

import argparse
import time

from django.core.management.base import BaseCommand, CommandError

from bench.dataset import (
    ACCESSLOG_MONTHS,
    PUBLIC_SCALES,
    SCALES,
    DatasetError,
    Generator,
    estimated_bytes,
    parse_rows,
    read_marker,
)


class Command(BaseCommand):
    help = "Synthetische benchmarkdata op schaal S (gemeente), M (regio) of L (landelijk), geladen met COPY."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            required=True,
            type=str.upper,
            choices=list(SCALES),
            metavar="{" + ",".join(PUBLIC_SCALES) + "}",
            help="S: 10k signalen, M: 100k, L: 1M (DESIGN §7).",
        )
        parser.add_argument("--seed", type=int, default=2026, help=argparse.SUPPRESS)
        parser.add_argument(
            "--no-progress", action="store_true", help="Geen voortgangsbalk (logbestanden, tests)."
        )
        parser.add_argument(
            "--log-months",
            type=int,
            default=ACCESSLOG_MONTHS,
            help=(
                f"Over hoeveel maandpartities het toegangslog wordt verdeeld (standaard {ACCESSLOG_MONTHS}). "
                "1 bij schaal M: 100 miljoen rijen in één maandpartitie, zoals één maand op schaal L."
            ),
        )
        parser.add_argument(
            "--log-rows",
            default=None,
            help=(
                "Aantal rijen toegangslog in plaats van dat van de schaal (bijv. 10M, 500k of 1000000); "
                "L-core = --scale L --log-rows 10M. De schijfschatting rekent ermee."
            ),
        )

    def handle(
        self, *args, scale: str, seed: int, no_progress: bool, log_months: int, log_rows=None, **options
    ):
        started = time.perf_counter()
        try:
            rows = None if log_rows in (None, "") else parse_rows(log_rows)
            gen = Generator(
                scale,
                seed=seed,
                out=self.stdout,
                progress=not no_progress,
                log_months=log_months,
                log_rows=rows,
            )
        except DatasetError as exc:
            raise CommandError(str(exc)) from None
        if rows is None:  # an existing dataset keeps the log size it was made with
            marker = read_marker()
            rows = (marker or {}).get("info", {}).get("log_rows") if marker else None
        log = f", toegangslog {rows:,} rijen" if rows is not None else ""
        self.stdout.write(
            f"Schaal {scale}{log}: geschat {estimated_bytes(scale, rows) / 1e9:.1f} GB op schijf."
        )
        try:
            gen.run()
        except DatasetError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(gen.summary())
        self.stdout.write(self.style.SUCCESS(f"Klaar in {time.perf_counter() - started:.0f} s."))
