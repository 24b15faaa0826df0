from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "plan"
    verbose_name = _("Plan van aanpak")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from vik.core.registry import register_nav
        from vik.core.roles import register_role_permissions

        from .models import Ambition, PlanAction

        auditlog.register(PlanAction)
        auditlog.register(Ambition)
        from .roles import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)
        register_nav(80, _("Plan van aanpak"), "plan:overview", "plan.view_planaction")
        register_nav(81, _("Jaarbeeld"), "plan:year_report", "plan.generate_yearreport")
