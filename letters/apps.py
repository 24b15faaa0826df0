from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = _("Brieven en besluiten")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from measures.reminders import register_source
        from vik.core.constants import ROLE_ANALYST, ROLE_BIBOB, ROLE_DECISION_MAKER, ROLE_FUNCTIONAL_ADMIN
        from vik.core.registry import register_nav, register_timeline
        from vik.core.roles import register_role_permissions
        from vik.privacy.providers import register_dsar_section

        from . import providers, services
        from .models import Letter, LetterTemplate

        auditlog.register(Letter, exclude_fields=["pdf"])
        auditlog.register(LetterTemplate, exclude_fields=["content"])
        writer = [
            "letters.view_letter",
            "letters.add_letter",
            "letters.change_letter",
            "letters.check_letter",
        ]
        register_role_permissions(
            {
                ROLE_ANALYST: writer,
                ROLE_BIBOB: writer,
                ROLE_DECISION_MAKER: ["letters.view_letter", "letters.approve_letter"],
                ROLE_FUNCTIONAL_ADMIN: ["letters.view_lettertemplate", "letters.add_lettertemplate"],
            }
        )
        register_nav(33, _("Brieven"), "letters:inbox", "letters.view_letter")
        register_nav(83, _("Briefsjablonen"), "letters:templates", "letters.view_lettertemplate")
        register_timeline(providers.subject_timeline)
        register_dsar_section("letters", _("Brieven en besluiten"), providers.dsar_section)
        register_source(services.waiting_reminders)
