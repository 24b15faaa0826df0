from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from vik.core.roles import register_role_permissions

        from . import schema  # noqa: F401 - registers the authentication schemes
        from .models import ApiClient

        # The key hash is never audited as a value; the rest of a client's changes are.
        auditlog.register(ApiClient, exclude_fields=["key_hash", "previous_key_hash"])
        from .roles import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)
