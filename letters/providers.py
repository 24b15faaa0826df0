"""What the letters app registers with the core: the subject timeline and the data-subject
section (docs/privacy-providers.md)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from vik.core.registry import TimelineEntry

from .constants import LetterState

_SUBJECT_FIELD = {
    "person": "measure__person",
    "organisation": "measure__organisation",
    "address": "measure__address",
}


def subject_annotations(user, kind: str) -> dict:
    """Subject-page annotation (``vik.core.registry.subject_annotations``): the sent letters
    about the record that the user may see, as JSON rows in the subject's own query."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db.models import OuterRef
    from django.db.models.functions import JSONObject

    from .permissions import VIEW_LETTER, letters_visible

    field = _SUBJECT_FIELD.get(kind)
    if field is None or not user.has_perm(VIEW_LETTER):
        return {}
    rows = (
        letters_visible(user)
        .filter(**{f"{field}_id": OuterRef("pk")}, state=LetterState.SENT)
        .order_by("-created_at")
        .values(row=JSONObject(pk="pk", kind="kind", sent_on="sent_on", measure_id="measure_id"))[:200]
    )
    return {"letter_rows": ArraySubquery(rows)}


def _letter_entry(pk: int, kind_label, sent_on, measure_reference: str) -> TimelineEntry:
    return TimelineEntry(
        date=sent_on,
        kind="letter",
        title=_("%(m)s brief verzonden: %(k)s") % {"m": measure_reference, "k": kind_label},
        url=reverse("letters:detail", kwargs={"pk": pk}),
    )


def subject_timeline(user, subject) -> list[TimelineEntry]:
    """Sent letters about this subject (through their measure), only those the user may see:
    from the subject's annotation when the page fetched it (``subject_annotations``), else one
    query."""
    from measures.models import Measure

    from .constants import KIND_CHOICES
    from .permissions import letters_visible

    kind = str(getattr(subject, "kind", ""))
    field = _SUBJECT_FIELD.get(kind)
    if field is None:
        return []
    if hasattr(subject, "letter_rows"):
        labels = dict(KIND_CHOICES)
        return [
            _letter_entry(
                row["pk"],
                labels.get(row["kind"], row["kind"]),
                date.fromisoformat(row["sent_on"]) if row["sent_on"] else None,
                Measure(pk=row["measure_id"]).reference,
            )
            for row in subject.letter_rows or []
        ]
    rows = letters_visible(user).filter(**{field: subject}, state=LetterState.SENT).select_related("measure")
    return [
        _letter_entry(letter.pk, letter.get_kind_display(), letter.sent_on, letter.measure.reference)
        for letter in rows[:200]
    ]


def dsar_section(person, user):
    """Letters sent to or about the person (through measures against them). The person received
    these letters: the section names them with their dates; the text is in the PDF copy."""
    from subjects.selectors import person_ids
    from vik.privacy.providers import DsarItem, DsarSection
    from vik.privacy.retention import retention_text, withheld_for_compartment

    from .models import Letter

    section = DsarSection(code="letters", label=_("Brieven en besluiten"))
    ids = person_ids(person)
    keep = retention_text("measure_decision")
    for letter in (
        Letter.objects.filter(measure__person_id__in=ids, state=LetterState.SENT)
        .select_related("measure")
        .order_by("sent_on", "pk")
    ):
        withheld = withheld_for_compartment(letter.compartment, _("1 brief"))
        if withheld is not None:
            section.withheld.append(withheld)
            continue
        section.items.append(
            DsarItem(
                title=f"{letter.reference} {letter.get_kind_display()}",
                date=letter.sent_on.isoformat(),
                purpose=_("Bestuurlijke maatregel (handhaving openbare orde en Opiumwet)"),
                fields={
                    str(_("maatregel")): letter.measure.reference,
                    str(_("verzonden / bekendgemaakt op")): letter.sent_on.strftime("%d-%m-%Y"),
                    **{
                        str(_("termijn in de brief")) + f" ({k})": v
                        for k, v in letter.printed_deadlines.items()
                    },
                },
                retention=keep,
            )
        )
        section.log_refs.append(("letters.letter", letter.pk))
    return section
