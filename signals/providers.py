"""What the signals app offers to pages that gather from every app (registered in apps.py)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from vik.core.registry import TimelineEntry


def timeline(user, subject) -> list[TimelineEntry]:
    """The signals linked to a person, organisation, address or vehicle that the user may see."""
    from .selectors import signals_for_subject

    entries = []
    for signal in signals_for_subject(user=user, subject=subject)[:200]:
        entries.append(
            TimelineEntry(
                date=signal.received_date,
                kind="signal",
                title=_("Signaal %(ref)s (%(src)s)") % {"ref": signal.reference, "src": signal.source.label},
                url=reverse("signals:detail", kwargs={"pk": signal.pk}),
                detail=f"{signal.get_status_display()} · {signal.summary[:200]}",
            )
        )
    return entries


def dashboard(user) -> dict | None:
    if not user.has_perm("signals.view_signal"):
        return None
    from .selectors import my_open_signals, triage_count

    mine = my_open_signals(user=user)
    html = render_to_string(
        "signals/partials/dashboard.html", {"mine": mine, "triage": triage_count(user=user)}
    )
    return {"title": _("Signalen"), "html": html}


def seed() -> str:
    from .seed import seed_signals

    return seed_signals()
