from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "plan"
    verbose_name = _("Plan van aanpak")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from vik.core.constants import ROLE_ANALYST, ROLE_CHAIR, ROLE_DECISION_MAKER, ROLE_FUNCTIONAL_ADMIN
        from vik.core.registry import register_nav
        from vik.core.roles import register_role_permissions

        from .models import Ambition, PlanAction

        auditlog.register(PlanAction)
        auditlog.register(Ambition)
        steer = [
            "plan.view_planaction",
            "plan.add_planaction",
            "plan.change_planaction",
            "plan.view_ambition",
            "plan.generate_yearreport",
        ]
        register_role_permissions(
            {
                ROLE_ANALYST: steer,
                ROLE_CHAIR: steer,
                ROLE_FUNCTIONAL_ADMIN: steer,
                ROLE_DECISION_MAKER: [
                    "plan.view_planaction",
                    "plan.view_ambition",
                    "plan.generate_yearreport",
                ],
            }
        )
        register_nav(80, _("Plan van aanpak"), "plan:overview", "plan.view_planaction")
        register_nav(81, _("Jaarbeeld"), "plan:year_report", "plan.generate_yearreport")
