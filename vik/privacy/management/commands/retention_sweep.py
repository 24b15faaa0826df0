from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the retention sweep now (as the nightly job does) and print what was queued."

    def handle(self, *args, **options):
        from vik.privacy.services import retention_sweep

        result = retention_sweep()
        dl = result.destruction_list
        self.stdout.write(
            f"{result.queued} records op vernietigingslijst {dl.pk if dl else '-'}; "
            f"{len(result.held)} met juridische blokkade overgeslagen; "
            f"regels zonder verwerker: {', '.join(result.rules_without_provider) or '-'}"
        )
