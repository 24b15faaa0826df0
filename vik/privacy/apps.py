from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "vik.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from vik.core.constants import ROLE_CHAIR, ROLE_FUNCTIONAL_ADMIN, ROLE_PRIVACY_OFFICER
        from vik.core.registry import register_nav, register_seeder
        from vik.core.roles import register_role_permissions

        from . import models as m
        from .seed import seed_privacy

        for model in (
            m.RetentionRule,
            m.LegalHold,
            m.DestructionList,
            m.DestructionItem,
            m.DestructionApproval,
            m.Tombstone,
            m.Restriction,
            m.DataSubjectRequest,
            m.Rectification,
            m.AnomalyReport,
        ):
            exclude = ["answer", "person_label"] if model is m.DataSubjectRequest else None
            if model is m.Rectification:
                exclude = ["original_text", "new_text"]
            auditlog.register(model, exclude_fields=exclude)

        everything = []
        for model in (
            "retentionrule",
            "legalhold",
            "destructionlist",
            "destructionitem",
            "destructionapproval",
            "tombstone",
            "restriction",
            "datasubjectrequest",
            "rectification",
            "anomalyreport",
        ):
            everything += [f"privacy.{action}_{model}" for action in ("view", "add", "change")]
        everything.append("privacy.approve_destruction_records")
        register_role_permissions(
            {
                ROLE_PRIVACY_OFFICER: everything,
                ROLE_FUNCTIONAL_ADMIN: ["privacy.view_retentionrule", "privacy.change_retentionrule"],
                ROLE_CHAIR: ["privacy.add_legalhold", "privacy.view_legalhold"],
            }
        )
        register_nav(91, _("Privacybeheer"), "privacy:dashboard", "privacy.view_datasubjectrequest")
        register_seeder(900, "privacy", seed_privacy)
