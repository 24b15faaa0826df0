"""Run the local OpenID provider with the demo users (development and demo mode only)."""

import os

from django.core.management.base import BaseCommand

from vik.core.demo import require_demo_mode
from vik.identity.demo import idp_command


class Command(BaseCommand):
    help = "Start the local demo identity provider (oidc-provider-mock) in the foreground."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=9400)

    def handle(self, *args, port, **options):
        require_demo_mode()
        cmd = idp_command(port)
        os.execv(cmd[0], cmd)
