from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "vik.identity"
    label = "identity"
    verbose_name = _("Identiteit en toegang")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from vik.core.constants import ROLE_FUNCTIONAL_ADMIN, ROLE_PRIVACY_OFFICER
        from vik.core.registry import register_nav, register_seeder
        from vik.core.roles import register_role_permissions

        from . import models as m
        from .seed import seed_identity

        for model in (m.GroupMapping, m.OidcIdentity, m.TeamLeadership, m.AccessReviewLine):
            auditlog.register(model)

        admin_perms = []
        for model in ("groupmapping", "teamleadership"):
            admin_perms += [f"identity.{a}_{model}" for a in ("view", "add", "change", "delete")]
        admin_perms += [
            "identity.view_unknownidpgroup",
            "identity.change_unknownidpgroup",
            "identity.view_clearanceneedsapproval",
            "identity.view_oidcidentity",
            "identity.view_deactivation",
            "identity.view_accessreview",
        ]
        register_role_permissions(
            {
                ROLE_FUNCTIONAL_ADMIN: admin_perms,
                ROLE_PRIVACY_OFFICER: ["identity.view_accessreview"],
            }
        )
        register_nav(95, _("Toegangsreview"), "identity:review", "identity.view_accessreview")
        register_seeder(950, "identity", seed_identity)
