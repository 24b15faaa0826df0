from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Melden")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from vik.core.registry import register_nav, registry
        from vik.core.roles import register_role_permissions

        from . import providers
        from .models import GuideVersion

        auditlog.register(GuideVersion)
        from .roles import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)
        register_nav(5, _("Melden"), "reporting:form", "reporting.add_internalreport")
        register_nav(6, _("Mijn meldingen"), "reporting:mine", "reporting.view_internalreport")
        register_nav(
            7,
            _("Herken de signalen"),
            "reporting:guide",
            "reporting.add_internalreport",
            alternatives=[("reporting:guide", "reporting.add_guideversion")],
        )
        if providers.dashboard not in registry.dashboards:
            registry.dashboards.append(providers.dashboard)
