from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "vik.core"
    label = "core"
    verbose_name = _("VIK kern")

    def ready(self) -> None:
        from .logs import core_logs
        from .registry import register_log

        register_log(10, core_logs)  # the logging-controls page (BIO2)
        from auditlog.registry import auditlog

        from django.db.models.signals import post_migrate

        from . import (
            checks,  # noqa: F401  (system checks)
            partitions,
            register,
        )
        from .models import (
            BreakGlass,
            DeclaredDay,
            GrantRequest,
            OrgUnit,
            ProcessingActivity,
            PurposeMapping,
            ShareGrant,
            User,
        )
        from .registry import register_nav, register_seeder
        from .roles import on_post_migrate

        for model in (
            OrgUnit,
            User,
            ShareGrant,
            BreakGlass,
            DeclaredDay,
            GrantRequest,
            ProcessingActivity,
            PurposeMapping,
        ):
            auditlog.register(model, exclude_fields=["password", "last_login"] if model is User else None)
        post_migrate.connect(on_post_migrate, dispatch_uid="vik.core.sync_roles")
        post_migrate.connect(partitions.on_post_migrate, sender=self, dispatch_uid="vik.core.partitions")
        post_migrate.connect(register.on_post_migrate, sender=self, dispatch_uid="vik.core.register")
        register_seeder(5, "verwerkingsregister", register.seed_register)
        register_nav(85, _("Gebruikers"), "core:user_list", "core.manage_users")  # type: ignore[arg-type]
        register_nav(86, _("Aanvragen"), "core:grant_requests", "core.approve_access_grant")  # type: ignore[arg-type]
