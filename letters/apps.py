from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = _("Brieven en besluiten")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from measures.reminders import register_source
        from vik.core.registry import register_nav, register_subject_annotations, register_timeline
        from vik.core.roles import register_role_permissions
        from vik.privacy.providers import register_dsar_section

        from . import providers, services
        from .models import Letter, LetterTemplate

        auditlog.register(Letter, exclude_fields=["pdf"])
        auditlog.register(LetterTemplate, exclude_fields=["content"])
        from .roles import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)
        register_nav(33, _("Brieven"), "letters:inbox", "letters.view_letter")
        register_nav(83, _("Briefsjablonen"), "letters:templates", "letters.view_lettertemplate")
        register_timeline(providers.subject_timeline)
        register_subject_annotations(providers.subject_annotations)
        register_dsar_section("letters", _("Brieven en besluiten"), providers.dsar_section)
        register_source(services.waiting_reminders)
