from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Casustafel")

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

        from .roles import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)
        register_nav(50, _("Casustafel"), "meetings:list", "meetings.view_meeting")
        register_case_kind("meeting", _("Casustafel"), resolve_meeting)
        register_timeline(providers.timeline)
        if providers.dashboard not in registry.dashboards:
            registry.dashboards.append(providers.dashboard)
        register_seeder(50, "meetings", providers.seed)
        from measures.reminders import register_source

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
