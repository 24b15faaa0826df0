"""The subjects app's privacy providers (docs/privacy-providers.md): the person resolver of an
access request, the section with the person's identity, identifiers and relations, and the
rectification of a person's names. Registered in apps.py.

The person and the duplicates merged into them (``person_ids``, which the other apps' privacy
sections filter on) is a selector: :func:`subjects.selectors.person_ids`. The generic retention toolkit (``retention_session``,
``delete_with_history``, ...) lives in :mod:`vik.privacy.retention`."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core.constants import Compartment
from vik.core.exceptions import ApplicationError
from vik.privacy.retention import withheld_for_compartment

from .constants import SubjectKind
from .models import Address, Link, Organisation, Person, Vehicle
from .selectors import MAX_MERGE_HOPS, person_ids

#: Person fields a rectification (AVG art. 16) may correct through this hook.
RECTIFIABLE = {"voornamen", "voorvoegsel", "geslachtsnaam", "birth_place"}


# --- the person resolver ------------------------------------------------------------------------


def mask_bsn(bsn: str | None) -> str:
    """Only the last three digits: enough for the person to recognise their number, useless to
    anyone who intercepts the answer (the full number stays in VIK, encrypted)."""
    if not bsn:
        return ""
    return "•" * (len(bsn) - 3) + bsn[-3:]


def _survivor(person: Person) -> Person:
    """A merged duplicate's data lives on in the survivor: answer for the survivor."""
    for _hop in range(MAX_MERGE_HOPS):
        if person.merged_into_id is None:
            break
        nxt = Person.objects.filter(pk=person.merged_into_id).first()
        if nxt is None:
            break
        person = nxt
    return person


def resolve_person(pk: int):
    from vik.privacy.providers import DataSubject

    person = Person.objects.filter(pk=pk).first()
    if person is None:
        return None
    person = _survivor(person)
    identity: dict[str, Any] = {
        str(_("Voornamen")): person.voornamen,
        str(_("Geslachtsnaam")): " ".join(p for p in [person.voorvoegsel, person.geslachtsnaam] if p),
        str(_("Geboortedatum")): person.birth_date.strftime("%d-%m-%Y") if person.birth_date else "",
        str(_("Geboorteplaats")): person.birth_place,
    }
    if person.bsn:
        identity[str(_("BSN (afgeschermd)"))] = mask_bsn(person.bsn)
    return DataSubject(
        pk=person.pk,
        display_name=person.display_name,
        model_label="subjects.person",
        identity={k: v for k, v in identity.items() if v},
        obj=person,
    )


def find_persons(*, name: str = "", birth_date=None, bsn: str = "", postcode: str = "", house_number=None):
    """The privacy officer's finder for a data-subject request: by BSN (exact), else a similar
    surname (optionally with the birth date), else the residents of an address. All persons in
    VIK, across compartments: the request concerns everything held about the person."""
    from vik.core.encryption import blind_index

    from .names import search_key

    qs = Person.objects.filter(merged_into_id__isnull=True)
    if bsn:
        qs = qs.filter(bsn_index=blind_index(bsn))
    elif name:
        words = name.split()
        key = search_key(words[-1]) if words else ""
        if not key:
            return []
        qs = qs.filter(Q(name_normalised=key) | Q(name_normalised__trigram_similar=key))
        if birth_date:
            qs = qs.filter(birth_date=birth_date)
    elif postcode and house_number:
        addresses = Address.objects.filter(
            postcode=postcode.replace(" ", "").upper(), house_number=house_number
        )
        qs = qs.filter(
            pk__in=Link.objects.filter(
                from_kind=SubjectKind.PERSON, to_kind=SubjectKind.ADDRESS, to_id__in=addresses.values("pk")
            ).values("from_id")
        )
    else:
        return []
    return [
        p for p in (resolve_person(p.pk) for p in qs.order_by("geslachtsnaam", "voornamen", "pk")[:25]) if p
    ]


def find_records(*, name: str = "", birth_date=None, bsn: str = "", postcode: str = "", house_number=None):
    """The privacy pages' record finder (legal hold, restriction, rectification, "who viewed"):
    the persons of :func:`find_persons`, organisations by name or KvK number, and addresses by
    postcode and house number, described in human words."""
    from vik.privacy.providers import FoundRecord

    from .names import organisation_key

    records = []
    for p in find_persons(
        name=name, birth_date=birth_date, bsn=bsn, postcode=postcode, house_number=house_number
    ):
        extra = [f"{k}: {v}" for k, v in p.identity.items() if k not in (_("Voornamen"), _("Geslachtsnaam"))]
        records.append(FoundRecord("subjects.person", p.pk, _("Persoon"), p.display_name, " · ".join(extra)))
    orgs = Organisation.objects.none()
    pc = (postcode or "").replace(" ", "").upper()
    if name and not bsn:
        key = organisation_key(name)
        if key:
            orgs = Organisation.objects.filter(
                Q(name_normalised=key) | Q(name_normalised__trigram_similar=key) | Q(kvk_number=name.strip())
            )
    elif pc and house_number:
        addresses = Address.objects.filter(postcode=pc, house_number=house_number)
        orgs = Organisation.objects.filter(
            pk__in=Link.objects.filter(
                from_kind=SubjectKind.ORGANISATION,
                to_kind=SubjectKind.ADDRESS,
                to_id__in=addresses.values("pk"),
            ).values("from_id")
        )
    for o in orgs.filter(merged_into_id__isnull=True).order_by("name", "pk")[:25]:
        detail = _("KvK-nummer %(kvk)s") % {"kvk": o.kvk_number} if o.kvk_number else ""
        records.append(FoundRecord("subjects.organisation", o.pk, _("Organisatie"), o.name, detail))
    if pc and house_number:
        for a in Address.objects.filter(postcode=pc, house_number=house_number).order_by("pk")[:25]:
            records.append(FoundRecord("subjects.address", a.pk, _("Adres"), a.display_name))
    return records


# --- the access-request section -----------------------------------------------------------------

_MODELS = {
    SubjectKind.PERSON: Person,
    SubjectKind.ORGANISATION: Organisation,
    SubjectKind.ADDRESS: Address,
    SubjectKind.VEHICLE: Vehicle,
}


def _identity_item(p: Person):
    from vik.privacy.providers import DsarItem

    fields = {
        _("naam"): p.display_name,
        _("geboortedatum"): p.birth_date.strftime("%d-%m-%Y") if p.birth_date else "",
        _("geboorteplaats"): p.birth_place,
        _("andere namen (aliassen)"): ", ".join(p.aliases),
        _("BSN"): _("bekend, eindigend op %(end)s") % {"end": p.bsn[-3:]} if p.bsn else "",
    }
    if p.compartment == Compartment.GENERAL:
        fields[_("bron")] = p.source
    return DsarItem(
        title=_("Persoonsgegevens"),
        date=timezone.localtime(p.created_at).date().isoformat(),
        purpose=_("Registratie van betrokkenen bij de aanpak van ondermijning"),
        fields={str(k): v for k, v in fields.items() if v},
        retention=_("zolang de persoon in een signaal, dossier, maatregel of casustafel voorkomt"),
    )


def _other_label(kind: str, obj) -> str:
    if kind == SubjectKind.ORGANISATION:
        return obj.name + (f" (KvK {obj.kvk_number})" if obj.kvk_number else "")
    return str(obj)


def dsar_section(person, user):
    """Identity, identifiers (BSN shown only as its last three digits) and relations. Other
    persons are never named (rights of others); relations from the MMA, police or Bibob
    compartments are described, not shown."""
    from vik.privacy.constants import WithholdingGround
    from vik.privacy.providers import DsarItem, DsarSection, Withheld

    section = DsarSection(code="subjects", label=_("Persoonsgegevens en relaties"))
    p = person.obj if isinstance(person.obj, Person) else Person.objects.filter(pk=person.pk).first()
    if p is None:
        return section
    section.items.append(_identity_item(p))
    if p.compartment != Compartment.GENERAL:
        withheld = withheld_for_compartment(p.compartment, _("De herkomst van deze gegevens"))
        if withheld is not None:
            section.withheld.append(withheld)

    ids = person_ids(p)
    links = list(
        Link.objects.filter(
            Q(from_kind=SubjectKind.PERSON, from_id__in=ids) | Q(to_kind=SubjectKind.PERSON, to_id__in=ids)
        ).order_by("start_date", "pk")
    )
    wanted: dict[str, set[int]] = defaultdict(set)
    ends = []
    for link in links:
        outgoing = link.from_kind == SubjectKind.PERSON and link.from_id in ids
        kind, pk = (link.to_kind, link.to_id) if outgoing else (link.from_kind, link.from_id)
        ends.append((link, kind, pk))
        wanted[kind].add(pk)
    others = {
        (kind, obj.pk): obj
        for kind, pks in wanted.items()
        for obj in _MODELS[kind].objects.filter(pk__in=pks)
    }
    third_parties: dict[str, int] = defaultdict(int)
    for link, kind, pk in ends:
        other = others.get((kind, pk))
        if other is None:
            continue
        withheld = withheld_for_compartment(link.compartment, _("1 relatie"))
        if withheld is None and other.compartment != Compartment.GENERAL:
            withheld = withheld_for_compartment(other.compartment, _("1 relatie"))
        if withheld is not None:
            section.withheld.append(withheld)
            continue
        if kind == SubjectKind.PERSON:
            third_parties[link.get_link_type_display()] += 1
            continue
        period = " – ".join(d.strftime("%d-%m-%Y") for d in (link.start_date, link.end_date) if d)
        section.items.append(
            DsarItem(
                title=_("Relatie: %(type)s %(other)s")
                % {"type": link.get_link_type_display(), "other": _other_label(kind, other)},
                date=link.start_date.isoformat() if link.start_date else "",
                purpose=_("Netwerk van betrokkenen bij de aanpak van ondermijning"),
                fields={
                    str(k): v
                    for k, v in {
                        _("soort"): str(SubjectKind(kind).label),
                        _("periode"): period,
                        _("bron"): link.source,
                        _("betrouwbaarheid"): link.get_reliability_display(),
                    }.items()
                    if v
                },
            )
        )
    for link_type, n in sorted(third_parties.items()):
        section.withheld.append(
            Withheld(
                _("Naam en gegevens van %(n)s andere persoon/personen (relatie: %(type)s)")
                % {"n": n, "type": link_type},
                WithholdingGround.THIRD_PARTY,
            )
        )
    return section


# --- rectification ------------------------------------------------------------------------------


def rectify(pk: int, field_name: str, new_text: str) -> str:
    """Correct a person's name or place of birth (AVG art. 16). The derived search keys are
    recomputed as the services do; the provenance notes the rectification."""
    from .services import _apply_person, _require_editable

    if field_name not in RECTIFIABLE:
        raise ApplicationError(
            _("Alleen naam en geboorteplaats van een persoon kunnen zo worden gecorrigeerd."),
            field="field_name",
        )
    person = Person.objects.select_for_update().filter(pk=pk).first()
    if person is None:
        raise ApplicationError(_("Deze persoon bestaat niet."), field="object_id")
    _require_editable(person)
    original = getattr(person, field_name) or ""
    tracked = ("voornamen", "voorvoegsel", "geslachtsnaam", "name_normalised", "initials", "birth_place")
    before = {f: getattr(person, f) for f in tracked}
    _apply_person(person, {field_name: new_text})
    changed = [f for f in tracked if getattr(person, f) != before[f]]
    if changed:
        person.provenance[field_name] = {
            "source": str(_("gerectificeerd (AVG art. 16)")),
            "at": timezone.localdate().isoformat(),
        }
        person.save(update_fields=[*changed, "provenance", "updated_at"])
    return original
