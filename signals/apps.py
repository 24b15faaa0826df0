from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    name = "signals"
    verbose_name = _("Signalen")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from django.db.models.signals import post_migrate

        from vik.core.registry import (
            register_case_kind,
            register_nav,
            register_seeder,
            register_timeline,
            registry,
        )
        from vik.core.roles import register_role_permissions

        from . import providers
        from .models import (
            Attachment,
            Control,
            Finding,
            ImportBatch,
            Phenomenon,
            Signal,
            SignalSource,
            SignalStatusChange,
            SignalSubject,
        )
        from .permissions import resolve_signal
        from .reference import on_post_migrate

        auditlog.register(
            Signal, exclude_fields=["search_vector", "visible_to", "narrative"], m2m_fields={"phenomena"}
        )
        for model in (
            SignalSubject,
            SignalStatusChange,
            Attachment,
            Control,
            Finding,
            ImportBatch,
            SignalSource,
            Phenomenon,
        ):
            auditlog.register(model)

        from .roles import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)
        register_nav(20, _("Signalen"), "signals:list", "signals.view_signal")
        register_case_kind("signal", _("Signaal"), resolve_signal)
        register_timeline(providers.timeline)
        if providers.dashboard not in registry.dashboards:
            registry.dashboards.append(providers.dashboard)
        register_seeder(20, "signals", providers.seed)
        post_migrate.connect(on_post_migrate, dispatch_uid="signals.reference_lists")
        from .privacy import register as register_privacy

        register_privacy()
