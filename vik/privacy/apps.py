from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "vik.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from vik.core.registry import register_nav, register_seeder
        from vik.core.roles import register_role_permissions

        from . import models
        from .seed import seed_privacy

        for model in (
            models.RetentionRule,
            models.LegalHold,
            models.DestructionList,
            models.DestructionItem,
            models.DestructionApproval,
            models.Tombstone,
            models.Restriction,
            models.DataSubjectRequest,
            models.Rectification,
            models.AnomalyReport,
        ):
            exclude = ["answer", "person_label"] if model is models.DataSubjectRequest else None
            if model is models.Rectification:
                exclude = ["original_text", "new_text"]
            auditlog.register(model, exclude_fields=exclude)

        from .roles import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)
        # One "Privacy" entry for everyone with a privacy task: the privacy officer lands on the
        # dashboard, the records manager on the destruction lists, the functional admin on the
        # retention rules, the chair on the legal holds; "wie heeft ingezien" is in the sub-menu.
        register_nav(
            90,
            _("Privacy"),
            "privacy:dashboard",
            "privacy.view_datasubjectrequest",
            alternatives=[
                ("privacy:list_list", "privacy.view_destructionlist"),
                ("privacy:rule_list", "privacy.view_retentionrule"),
                ("privacy:register_list", "core.view_processingactivity"),
                ("privacy:hold_list", "privacy.view_legalhold"),
                ("privacy:restriction_list", "privacy.view_restriction"),
                ("core:who_viewed", "core.view_access_log"),
                ("privacy:logs", "core.view_logging_controls"),
            ],
        )
        register_seeder(900, "privacy", seed_privacy)
