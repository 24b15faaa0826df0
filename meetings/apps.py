from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Casustafel")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from vik.core.constants import ROLE_ANALYST, ROLE_CHAIR, ROLE_DECISION_MAKER, ROLE_PARTNER
        from vik.core.registry import (
            register_case_kind,
            register_nav,
            register_seeder,
            register_timeline,
            registry,
        )
        from vik.core.roles import register_role_permissions

        from . import providers
        from .models import ActionItem, ActionItemChange, AgendaItem, Decision, Meeting, MeetingStateChange
        from .permissions import resolve_meeting

        auditlog.register(
            Meeting, exclude_fields=["visible_to"], m2m_fields={"participant_orgs", "participant_users"}
        )
        auditlog.register(AgendaItem, m2m_fields={"visible_orgs"})
        for model in (MeetingStateChange, Decision, ActionItem, ActionItemChange):
            auditlog.register(model)
        # FrozenMinutes is not audited field by field: its content is the encrypted document.

        all_perms = [
            f"meetings.{action}_{model}"
            for model in ("meeting", "agendaitem", "decision", "actionitem")
            for action in ("view", "add", "change", "delete")
        ] + ["meetings.approve_minutes"]
        register_role_permissions(
            {
                ROLE_CHAIR: all_perms,
                ROLE_ANALYST: [
                    "meetings.view_meeting",
                    "meetings.view_agendaitem",
                    "meetings.view_decision",
                    "meetings.view_actionitem",
                ],
                ROLE_DECISION_MAKER: [
                    "meetings.view_meeting",
                    "meetings.view_agendaitem",
                    "meetings.view_decision",
                    "meetings.view_actionitem",
                ],
                ROLE_PARTNER: [
                    "meetings.view_meeting",
                    "meetings.view_agendaitem",
                    "meetings.view_actionitem",
                    "meetings.change_actionitem",
                ],
            }
        )
        register_nav(50, _("Casustafel"), "meetings:list", "meetings.view_meeting")
        register_case_kind("meeting", _("Casustafel"), resolve_meeting)
        register_timeline(providers.timeline)
        if providers.dashboard not in registry.dashboards:
            registry.dashboards.append(providers.dashboard)
        register_seeder(50, "meetings", providers.seed)
        try:
            from measures.reminders import register_source
        except ImportError:  # pragma: no cover - then meetings.action_item_reminders runs on its own
            register_source = None
        if register_source is not None:
            from .reminders import action_item_reminders

            register_source(action_item_reminders)

        from vik.privacy.providers import register_dsar_section, register_retention_class

        from . import privacy

        register_retention_class(
            "meeting_documents",
            _("Casustafel: agenda's, verslagen en acties"),
            due=privacy.meeting_due,
            destroy=privacy.meeting_destroy,
            anonymise=privacy.meeting_anonymise,
        )
        register_dsar_section("meetings", _("Casustafel"), privacy.dsar_section)
