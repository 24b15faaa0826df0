"""What the letters app registers with the core: the subject timeline and the data-subject
section (docs/privacy-providers.md)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from vik.core.registry import TimelineEntry

from .constants import LetterState

_SUBJECT_FIELD = {
    "person": "measure__person",
    "organisation": "measure__organisation",
    "address": "measure__address",
}


def subject_timeline(user, subject) -> list[TimelineEntry]:
    """Sent letters about this subject (through their measure), only those the user may see."""
    from .permissions import letters_visible

    field = _SUBJECT_FIELD.get(str(getattr(subject, "kind", "")))
    if field is None:
        return []
    rows = letters_visible(user).filter(**{field: subject}, state=LetterState.SENT).select_related("measure")
    return [
        TimelineEntry(
            date=letter.sent_on,
            kind="letter",
            title=_("%(m)s brief verzonden: %(k)s")
            % {"m": letter.measure.reference, "k": letter.get_kind_display()},
            url=reverse("letters:detail", kwargs={"pk": letter.pk}),
        )
        for letter in rows[:200]
    ]


def dsar_section(person, user):
    """Letters sent to or about the person (through measures against them). The person received
    these letters: the section names them with their dates; the text is in the PDF copy."""
    from subjects.privacy import person_ids, retention_text, withheld_for_compartment
    from vik.privacy.providers import DsarItem, DsarSection

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
