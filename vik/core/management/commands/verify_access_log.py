import sys

from django.core.management.base import BaseCommand
from django.db import connection

from vik.core.accesslog import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the access log; report the first broken row (exit 1)."

    def handle(self, *args, **options):
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM core_accesslog")
            total = cur.fetchone()[0]
        done = [0]

        def progress(n):
            done[0] += n
            if done[0] % 100000 == 0:
                self.stderr.write(f"  {done[0]:,}/{total:,} rows checked")

        broken = verify_chain(progress=progress)
        if broken is None:
            self.stdout.write(self.style.SUCCESS(f"access log intact: {total} rows"))
            return
        where = f" at row {broken.row_id} ({broken.at:%Y-%m-%d %H:%M:%S})" if broken.row_id else ""
        self.stdout.write(self.style.ERROR(f"access log broken{where}: {broken.reason}"))
        sys.exit(1)
