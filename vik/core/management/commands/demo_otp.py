from django_otp.oath import totp

from django.core.management.base import BaseCommand, CommandError

from vik.core.demo import demo_totp_key, require_demo_mode


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo user (demo mode only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        require_demo_mode()
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user__username=options["username"], name="demo").first()
        if device is None:
            raise CommandError(f"No demo user {options['username']!r}; run seed_demo first.")
        key = bytes.fromhex(demo_totp_key(options["username"]))
        self.stdout.write(
            f"{totp(key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"
        )
