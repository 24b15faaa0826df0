"""The functional admin's tool for API clients: create (prints the key once), rotate, revoke.
Every action is checked against the acting user's permissions, like the services' other callers.

    manage.py api_client create --actor beheerder --name "Politie ON" --org politie \\
        --user politie-koppeling --scope signalen.aanleveren --deliver-team veiligheid --deliver-source politie
    manage.py api_client rotate --actor beheerder --id 3
    manage.py api_client revoke --actor beheerder --id 3
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from api.models import ApiClient
from api.services import api_client_create, api_client_revoke, api_key_rotate
from signals.models import SignalSource
from vik.core.exceptions import ApplicationError
from vik.core.models import OrgUnit, User


class Command(BaseCommand):
    help = "Create, rotate or revoke an API client (functional admin)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "rotate", "revoke"])
        parser.add_argument("--actor", required=True, help="Username of the functional admin.")
        parser.add_argument("--id", type=int)
        parser.add_argument("--name", default="")
        parser.add_argument("--org", default="", help="Code of the client's organisation.")
        parser.add_argument("--user", default="", help="Username of the account the client acts as.")
        parser.add_argument("--scope", action="append", default=[])
        parser.add_argument("--oauth-client-id", default="")
        parser.add_argument("--no-key", action="store_true", help="OAuth2 only, no API key.")
        parser.add_argument("--deliver-team", default="")
        parser.add_argument("--deliver-source", default="")

    def handle(self, *args, **o):
        try:
            actor = User.objects.get(username=o["actor"], is_active=True)
            if o["action"] == "create":
                client, key = api_client_create(
                    actor=actor,
                    name=o["name"],
                    organisation=OrgUnit.objects.get(code=o["org"]),
                    user=User.objects.get(username=o["user"]),
                    scopes=o["scope"],
                    oauth_client_id=o["oauth_client_id"],
                    with_key=not o["no_key"],
                    deliver_team=OrgUnit.objects.get(code=o["deliver_team"]) if o["deliver_team"] else None,
                    deliver_source=(
                        SignalSource.objects.get(code=o["deliver_source"]) if o["deliver_source"] else None
                    ),
                )
                self.stdout.write(f"API-koppeling {client.pk} aangemaakt.")
            else:
                client = ApiClient.objects.get(pk=o["id"])
                if o["action"] == "revoke":
                    api_client_revoke(actor=actor, client=client)
                    self.stdout.write(f"API-koppeling {client.pk} ingetrokken.")
                    return
                key = api_key_rotate(actor=actor, client=client)
                self.stdout.write(f"Nieuwe sleutel voor koppeling {client.pk}; de oude werkt nog 7 dagen.")
        except (
            User.DoesNotExist,
            OrgUnit.DoesNotExist,
            ApiClient.DoesNotExist,
            SignalSource.DoesNotExist,
        ) as exc:
            raise CommandError(str(exc))
        except ApplicationError as exc:
            raise CommandError(exc.message)
        if key:
            self.stdout.write(f"Sleutel (wordt niet bewaard, nu noteren): {key}")
