from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "vik.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from vik.core.constants import (
            ROLE_CHAIR,
            ROLE_FUNCTIONAL_ADMIN,
            ROLE_PRIVACY_OFFICER,
            ROLE_RECORDS_MANAGER,
        )
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
                ROLE_RECORDS_MANAGER: [
                    "privacy.approve_destruction_records",
                    "privacy.view_destructionlist",
                    "privacy.view_destructionitem",
                    "privacy.view_retentionrule",
                ],
            }
        )
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
                ("privacy:hold_list", "privacy.view_legalhold"),
                ("privacy:restriction_list", "privacy.view_restriction"),
                ("core:who_viewed", "core.view_access_log"),
            ],
        )
        register_seeder(900, "privacy", seed_privacy)
