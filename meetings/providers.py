"""What the meetings app offers to pages that gather from every app (registered in apps.py)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core.registry import TimelineEntry

from .permissions import VIEW_MEETING, can_manage, is_partner


def timeline(user, subject) -> list[TimelineEntry]:
    """Agenda items about the subject (directly or through its signals and measures) that the user
    may see; a partner only those shared with its organisation."""
    from .selectors import items_about_subject

    if not user.has_perm(VIEW_MEETING):
        return []
    entries = []
    for item in items_about_subject(user=user, subject=subject)[:100]:
        entries.append(
            TimelineEntry(
                date=timezone.localtime(item.meeting.starts_at).date(),
                kind="meeting",
                title=_("Casustafel %(d)s: %(t)s")
                % {"d": f"{timezone.localtime(item.meeting.starts_at):%d-%m-%Y}", "t": item.title},
                url=reverse("meetings:item_detail", kwargs={"pk": item.pk}),
                detail=item.meeting.get_state_display(),
            )
        )
    return entries


def dashboard(user) -> dict | None:
    """Partners: their open action items and next meeting. Chair: next meeting and open actions."""
    if not user.has_perm(VIEW_MEETING):
        return None
    from .selectors import action_list, next_meeting

    partner = is_partner(user)
    if not (partner or can_manage(user)):
        return None
    actions = list(action_list(user=user, mine=partner, open_only=True)[:5])
    html = render_to_string(
        "meetings/partials/dashboard.html",
        {
            "next": next_meeting(user=user),
            "actions": actions,
            "partner": partner,
            "today": timezone.localdate(),
        },
    )
    return {"title": _("Casustafel"), "html": html}


def seed() -> str:
    from .seed import seed_meetings

    return seed_meetings()
