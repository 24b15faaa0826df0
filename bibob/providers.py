"""What the Bibob app hands to the rest of VIK through ``vik.core.registry``: a subject-timeline
provider, a home-page widget and the case kind for purposes. Outside the compartment nothing of a
dossier leaves this app except the bare flag "Bibob-relevant" (art. 28 Wet Bibob)."""

from __future__ import annotations

from django.db.models import BooleanField, Case, ExpressionWrapper, F, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from vik.core import access
from vik.core.constants import OrgKind
from vik.core.deadline_state import OVERDUE, SOON, TODAY, date_and_badge_html, deadline_state
from vik.core.registry import TimelineEntry

from .constants import DossierStatus
from .models import BibobDossier
from .permissions import can_see_bibob, get_dossier_for_user
from .selectors import dossier_list, dossier_terms, dossiers_about_subject, lbb_advice_weeks

SEALED_TITLE = "Bibob-relevant"


def resolve_case(user, pk):
    """Purpose case kind "bibob": the dossier, or Http404 for anyone outside the compartment."""
    return get_dossier_for_user(user, pk)


def timeline(user, subject) -> list[TimelineEntry]:
    """Full entries for the dossiers the user may see; for other municipal users one sealed entry
    "Bibob-relevant" without any content (no reference, phase, date of the dossier or link).
    Partner organisations get nothing: art. 28 lets Bibob information reach them only through
    a recorded disclosure.

    One query: every dossier about the subject with a "visible" flag, its content selected only
    where the flag holds (a dossier the user may not see contributes nothing but its existence)."""
    about = dossiers_about_subject(subject)
    unit = getattr(user, "org_unit", None)
    is_municipal = unit is not None and unit.kind == OrgKind.TEAM
    if not can_see_bibob(user):
        hidden = is_municipal and about.exists()
        visible = []
    else:
        rows = _rows_with_visibility(about, user)
        visible = [row for row in rows if row["visible"]]
        hidden = is_municipal and len(visible) < len(rows)
    entries = [
        TimelineEntry(
            date=row["application_date"],
            kind="bibob",
            title=_("Bibob-dossier %(ref)s: %(type)s (%(status)s)")
            % {
                "ref": row["reference"],
                "type": _DECISION_TYPES.get(row["decision_type"], row["decision_type"]),
                "status": _STATUSES.get(row["status"], row["status"]),
            },
            url=reverse("bibob:detail", args=[row["pk"]]),
            detail=row["title"],
        )
        for row in visible
    ]
    if hidden:
        entries.append(
            TimelineEntry(date=timezone.localdate(), kind="bibob", title=SEALED_TITLE, sealed=True)
        )
    return entries


_CONTENT = ["reference", "decision_type", "status", "title", "application_date"]
_DECISION_TYPES = dict(BibobDossier._meta.get_field("decision_type").flatchoices)
_STATUSES = dict(BibobDossier._meta.get_field("status").flatchoices)


def _rows_with_visibility(about, user) -> list[dict]:
    seen = access.visible_q(user, BibobDossier)
    content = {f"c_{name}": Case(When(seen, then=F(name)), default=None) for name in _CONTENT}
    rows = (
        about.annotate(visible=ExpressionWrapper(seen, output_field=BooleanField()), **content)
        .order_by("application_date")
        .values("pk", "visible", *content)
    )
    return [
        {"pk": row["pk"], "visible": row["visible"], **{name: row[f"c_{name}"] for name in _CONTENT}}
        for row in rows
    ]


def dashboard(user):
    """Home widget for cleared users: open dossiers and those whose decision term runs out soon."""
    if not can_see_bibob(user):
        return None
    today = timezone.localdate()
    open_ = list(dossier_list(user=user).exclude(status=DossierStatus.DECISION)[:200])
    overdue, soon = [], []
    # one rule query for all dossiers, and none when no dossier has an LBB request
    lbb_weeks = lbb_advice_weeks() if any(d.lbb_requests.all() for d in open_) else None
    for d in open_:
        t = dossier_terms(d, today=today, lbb_weeks=lbb_weeks)
        if t.no_term or t.decision.running_suspension:
            continue  # the term stands still; its end moves every day
        state = deadline_state(t.decision.deadline, today=today, soon_days=14)
        if state.code == OVERDUE:
            overdue.append((d, state))
        elif state.code in (TODAY, SOON):
            soon.append((d, state))
    # the counters count exactly what their labels say; the list shows passed terms first
    listed = sorted(overdue, key=lambda x: x[1].due) + sorted(soon, key=lambda x: x[1].due)
    items = format_html_join(
        "",
        '<li><a class="utrecht-link" href="{}">{}</a> – {} {}</li>',
        (
            (reverse("bibob:detail", args=[d.pk]), d.reference, _("beslistermijn"), date_and_badge_html(st))
            for d, st in listed[:5]
        ),
    )
    html = format_html(
        "<p>{}: <strong>{}</strong></p>"
        "<p>{}: <strong{}>{}</strong></p>"
        '<p>{}: <strong>{}</strong></p><ul>{}</ul><a class="utrecht-link" href="{}">{}</a>',
        _("Lopende dossiers"),
        len(open_),
        _("Beslistermijn verstreken"),
        format_html(' class="{}"', "vik-deadline--overdue") if overdue else "",
        len(overdue),
        _("Beslistermijn binnen 14 dagen"),
        len(soon),
        items,
        reverse("bibob:list"),
        _("Naar de Bibob-dossiers"),
    )
    return {"title": _("Bibob"), "html": html}
