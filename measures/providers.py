"""What the measures app registers with the core: subject timeline entries and the home widget
"Mijn termijnen" (the demo seeder is in ``measures/seed.py``)."""

from __future__ import annotations

from datetime import date

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from vik.core.access import restrict
from vik.core.registry import TimelineEntry

_SUBJECT_FIELD = {"person": "person", "organisation": "organisation", "address": "address"}


def subject_timeline(user, subject) -> list[TimelineEntry]:
    """Measures on this person/organisation/address with their legal dates (events and open
    deadlines), only those the user may see. One query: each measure carries its events and open
    deadlines as arrays."""
    from .constants import EventType
    from .models import Deadline, Measure, MeasureEvent

    field = _SUBJECT_FIELD.get(str(getattr(subject, "kind", "")))
    if field is None:
        return []
    events = (
        MeasureEvent.objects.filter(measure=OuterRef("pk"))
        .order_by("seq")
        .values(row=JSONObject(date="date", code="code"))
    )
    deadlines = (
        Deadline.objects.filter(measure=OuterRef("pk"), done=False)
        .order_by("due_date", "id")
        .values(row=JSONObject(due_date="due_date", label="label"))
    )
    measures = (
        restrict(Measure.objects.filter(**{field: subject}), user)
        .only("pk", "kind")
        .annotate(event_rows=ArraySubquery(events), deadline_rows=ArraySubquery(deadlines))
    )
    event_labels = dict(EventType.choices)
    entries: list[TimelineEntry] = []
    for m in measures:
        url = reverse("measures:detail", kwargs={"pk": m.pk})
        for ev in m.event_rows:
            entries.append(
                TimelineEntry(
                    date=date.fromisoformat(ev["date"]),
                    kind="measure",
                    title=f"{m.reference} {m.get_kind_display()}: {event_labels.get(ev['code'], ev['code'])}",
                    url=url,
                )
            )
        for d in m.deadline_rows:
            entries.append(
                TimelineEntry(
                    date=date.fromisoformat(d["due_date"]),
                    kind="deadline",
                    title=f"{m.reference}: {d['label']}",
                    url=url,
                    detail=_("uiterste datum"),
                )
            )
    return entries


def deadlines_widget(user):
    if not user.has_perm("measures.view_measure"):
        return None
    from vik.core.deadline_state import date_and_badge_html, deadline_state

    from .selectors import my_deadlines

    today = timezone.localdate()
    mine = my_deadlines(user=user, today=today)
    rows = (mine.overdue + mine.today + mine.this_week)[:6]
    summary = format_html(
        '<p><span class="vik-tag vik-tag--danger">{} {}</span> <span class="vik-tag vik-tag--warn">{} {}</span> '
        '<span class="vik-tag">{} {}</span></p>',
        len(mine.overdue),
        _("verstreken"),
        len(mine.today),
        _("vandaag"),
        len(mine.this_week),
        _("deze week"),
    )
    items = format_html_join(
        "",
        '<li><a class="utrecht-link" href="{}">{}</a> – {} {}</li>',
        (
            (
                reverse("measures:detail", kwargs={"pk": d.measure_id}),
                d.measure.reference,
                d.label,
                date_and_badge_html(deadline_state(d.due_date, today=today)),
            )
            for d in rows
        ),
    )
    html = format_html(
        '{}<ul>{}</ul><p><a class="utrecht-link" href="{}">{}</a></p>',
        summary,
        items,
        reverse("measures:my_deadlines"),
        _("Alle termijnen"),
    )
    return {"title": _("Mijn termijnen"), "html": html}
