from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BibobConfig(AppConfig):
    name = "bibob"
    verbose_name = _("Bibob")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from vik.core.registry import (
            register_case_kind,
            register_nav,
            register_seeder,
            register_timeline,
            registry,
        )
        from vik.core.roles import register_role_permissions

        from . import models, providers
        from .seed import seed_bibob

        # Encrypted narratives stay out of the change log (it stores values in plain text).
        secret = {
            models.ChecklistItem: ["finding"],
            models.Advice: ["summary"],
            models.Voornemen: ["reasoning", "zienswijze_summary"],
            models.Decision: ["reasoning", "conditions"],
        }
        for model in (
            models.BibobDossier,
            models.DossierParty,
            models.DossierTransition,
            models.Questionnaire,
            models.ChecklistItem,
            models.LbbRequest,
            models.LbbFollowUp,
            models.Advice,
            models.Voornemen,
            models.Decision,
            models.DisclosureRecord,
            models.RegisterTask,
        ):
            auditlog.register(model, exclude_fields=secret.get(model))
        from .roles import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)
        register_nav(40, _("Bibob"), "bibob:list", "bibob.view_bibobdossier")
        register_case_kind("bibob", _("Bibob-dossier"), providers.resolve_case)
        register_timeline(providers.timeline)
        if providers.dashboard not in registry.dashboards:
            registry.dashboards.append(providers.dashboard)
        register_seeder(40, "bibob", seed_bibob)

        from vik.privacy.providers import register_dsar_section, register_retention_class

        from . import privacy

        register_retention_class(
            "bibob_dossier",
            _("Bibob-advies en vragenlijst"),
            due=privacy.dossier_due,
            destroy=privacy.dossier_destroy,
            anonymise=privacy.dossier_anonymise,
        )
        register_dsar_section("bibob", _("Bibob"), privacy.dsar_section)
