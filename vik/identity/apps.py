from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "vik.identity"
    label = "identity"
    verbose_name = _("Identiteit en toegang")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from vik.core.registry import register_nav, register_seeder
        from vik.core.roles import register_role_permissions

        from . import models
        from .seed import seed_identity

        for model in (
            models.GroupMapping,
            models.OidcIdentity,
            models.TeamLeadership,
            models.AccessReviewLine,
        ):
            auditlog.register(model)

        from .roles import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)
        register_nav(95, _("Toegangsreview"), "identity:review", "identity.view_accessreview")
        register_seeder(950, "identity", seed_identity)
