from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "vik.core"
    label = "core"
    verbose_name = _("VIK kern")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401  (system checks)
        from .models import BreakGlass, DeclaredDay, OrgUnit, ShareGrant, User
        from .registry import register_nav
        from .roles import on_post_migrate

        for model in (OrgUnit, User, ShareGrant, BreakGlass, DeclaredDay):
            auditlog.register(model, exclude_fields=["password", "last_login"] if model is User else None)
        post_migrate.connect(on_post_migrate, dispatch_uid="vik.core.sync_roles")
        # The one "Privacy" menu entry (also for "wie heeft ingezien") is registered by vik.privacy.
        register_nav(95, _("Gebruikers"), "admin:core_user_changelist", "core.change_user")
