from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistriesConfig(AppConfig):
    name = "registries"
    verbose_name = _("Basisregistraties")

    def ready(self) -> None:
        from vik.core.roles import register_role_permissions
        from vik.privacy.providers import register_dsar_section, register_retention_class

        from . import privacy
        from .constants import RETENTION_BRP, RETENTION_OTHER
        from .roles import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)
        register_retention_class(
            RETENTION_BRP,
            _("Protocollering van BRP-bevragingen"),
            due=privacy.due_brp,
            destroy=privacy.destroy,
        )
        register_retention_class(
            RETENTION_OTHER,
            _("Log van BAG- en KvK-bevragingen"),
            due=privacy.due_other,
            destroy=privacy.destroy,
        )
        register_dsar_section("registries", _("Bevragingen van de BRP"), privacy.dsar_section)

        from vik.core.registry import (
            register_log,
            register_nav,
            register_seeder,
            register_subject_annotations,
        )

        from .selectors import query_log_info

        register_log(20, query_log_info)

        from .seed import seed_registries
        from .selectors import verification_annotation

        register_subject_annotations(verification_annotation)
        register_seeder(15, "registries", seed_registries)
        register_nav(
            92, _("Protocol basisregistraties"), "registries:query_log", "registries.view_registryquery"
        )
