from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards en analyses")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from vik.core.constants import ROLE_CHAIR, ROLE_DECISION_MAKER
        from vik.core.registry import register_nav, register_seeder
        from vik.core.roles import register_role_permissions

        from .models import Area
        from .permissions import PERM_MANAGEMENT, PERM_VIEW
        from .services import seed_areas

        auditlog.register(Area, exclude_fields=["geometry"])
        register_role_permissions({ROLE_CHAIR: [PERM_MANAGEMENT], ROLE_DECISION_MAKER: [PERM_MANAGEMENT]})
        register_nav(70, _("Analyse"), "dashboards:overview", PERM_VIEW)
        register_seeder(60, "areas", seed_areas)
