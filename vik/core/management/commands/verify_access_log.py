import sys

from django.core.management.base import BaseCommand
from django.db import connection

from vik.core.models import AccessLogVerification
from vik.core.services import access_log_verify


class Command(BaseCommand):
    help = (
        "Verify the hash chain of the access log; report the first broken row (exit 1). The run is "
        "recorded in the verification history and a broken chain opens an incident notice."
    )

    def handle(self, *args, **options):
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM core_accesslog")
            total = cur.fetchone()[0]
        done = [0]

        def progress(n):
            done[0] += n
            if done[0] % 100000 == 0:
                self.stderr.write(f"  {done[0]:,}/{total:,} rows checked")

        run = access_log_verify(trigger=AccessLogVerification.Trigger.COMMAND, progress=progress)
        if run.ok:
            self.stdout.write(self.style.SUCCESS(f"access log intact: {total} rows"))
            return
        where = f" at row {run.broken_row_id}" if run.broken_row_id else ""
        self.stdout.write(self.style.ERROR(f"access log broken{where}: {run.reason}"))
        sys.exit(1)
