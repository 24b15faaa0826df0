"""The agenda and the minutes as documents, rendered per audience (a partner organisation or the
municipality's own staff, for the compartments the reader is cleared for). The same HTML
fragment is the web page, the PDF (weasyprint, the machine's fonts) and, once the minutes are
approved, the frozen encrypted copy. Minutes hold decisions and actions only: never raw police
data, M. tip text or Bibob content (data minimisation, DOMAIN §1.7)."""

from __future__ import annotations

from itertools import combinations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from vik.core.constants import OrgKind
from vik.core.pdf import render_pdf

from .models import FrozenMinutes, Meeting
from .permissions import Audience
from .selectors import items_for_audience

PDF_CSS = """
@page { size: A4; margin: 2cm 2cm 2.2cm 2cm;
  @bottom-right { content: "Pagina " counter(page) " van " counter(pages); font-size: 8pt; color: #555; } }
body { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 10pt; line-height: 1.4; color: #000; }
h1 { font-size: 16pt; margin: 0 0 .3cm 0; } h2 { font-size: 12pt; margin: .5cm 0 .15cm 0; }
.vik-doc-meta { margin: 0 0 .4cm 0; } .vik-doc-meta dt { font-weight: bold; float: left; width: 4cm; }
.vik-doc-meta dd { margin: 0 0 .1cm 4cm; } .vik-doc-conf { border: 1px solid #000; padding: .15cm; font-size: 8pt; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #888; padding: .1cm; text-align: left; vertical-align: top; }
"""


def _participants(meeting: Meeting) -> list[str]:
    return [str(o) for o in meeting.participant_orgs.order_by("name")]


def render_fragment(*, meeting: Meeting, audience: Audience, kind: str) -> str:
    """``kind`` is "agenda" or "minutes". Always rendered in Dutch."""
    items = items_for_audience(meeting=meeting, audience=audience)
    with translation.override("nl"):
        return render_to_string(
            f"meetings/documents/{kind}.html",
            {
                "meeting": meeting,
                "items": items,
                "audience": audience,
                "internal": audience.org is None,
                "participants": _participants(meeting),
            },
        )


def pdf_bytes(fragment: SafeString, *, title: str, kind: str) -> bytes:
    """``kind`` is "agenda" or "minutes"; ``fragment`` is the rendered (autoescaped) document;
    ``title`` is text (a meeting title a chair typed) and is escaped here."""
    html = format_html(
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>{}</title>'
        "<style>{}</style></head><body>{}</body></html>",
        title,
        mark_safe(PDF_CSS),  # noqa: S308 - a constant of this module
        fragment,
    )
    return render_pdf(html, kind=f"meetings.{kind}")


def _subsets(values: list[str]) -> list[tuple[str, ...]]:
    values = sorted(set(values))
    return [tuple(c) for n in range(len(values) + 1) for c in combinations(values, n)]


def minutes_freeze(meeting: Meeting) -> int:
    """At approval: render the minutes for every audience that can exist (the municipality's own
    staff and each participant partner organisation, times every set of compartments a reader of
    that audience can be cleared for) and store them encrypted. Returns the number of copies."""
    present = list(meeting.items.values_list("compartment", flat=True).distinct())
    audiences: list[Audience] = [Audience(org=None, compartments=s) for s in _subsets(present)]
    for org in meeting.participant_orgs.filter(kind=OrgKind.PARTNER):
        shared = list(meeting.items.filter(visible_orgs=org).values_list("compartment", flat=True).distinct())
        audiences += [Audience(org=org, compartments=s) for s in _subsets(shared)]
    for audience in audiences:
        FrozenMinutes.objects.update_or_create(
            meeting=meeting,
            org=audience.org,
            compartments_key=audience.key,
            defaults={
                "compartments": list(audience.compartments),
                "html": render_fragment(meeting=meeting, audience=audience, kind="minutes"),
            },
        )
    return len(audiences)


def frozen_minutes(meeting: Meeting, audience: Audience) -> SafeString | None:
    """The frozen copy for this audience: the one for the compartments of the meeting (or of the
    items shared with the organisation) the reader is cleared for."""
    copies = FrozenMinutes.objects.filter(meeting=meeting, org=audience.org).only(
        "compartments", "compartments_key"
    )
    cleared = set(audience.compartments)
    best = None
    for copy in copies:
        if set(copy.compartments) <= cleared and (
            best is None or len(copy.compartments) > len(best.compartments)
        ):
            best = copy
    if best is None:
        return None
    html = FrozenMinutes.objects.get(pk=best.pk).html
    return mark_safe(html)  # noqa: S308 - our own rendering, autoescaped when it was frozen


def minutes_for(meeting: Meeting, audience: Audience) -> SafeString:
    from .constants import MeetingState

    if meeting.state == MeetingState.MINUTES_APPROVED:
        frozen = frozen_minutes(meeting, audience)
        if frozen is not None:
            return frozen
    return mark_safe(render_fragment(meeting=meeting, audience=audience, kind="minutes"))  # noqa: S308


def agenda_for(meeting: Meeting, audience: Audience) -> SafeString:
    return mark_safe(render_fragment(meeting=meeting, audience=audience, kind="agenda"))  # noqa: S308
