"""The subjects app's privacy providers (docs/privacy-providers.md): the person resolver of an
access request, the section with the person's identity, identifiers and relations, and the
rectification of a person's names. Registered in apps.py.

Also the helpers the other domain apps' privacy modules share (they all depend on subjects):
:func:`retention_session` (the documented path through the append-only history triggers),
:func:`delete_with_history` / :func:`drop_history` (change-audit entries hold content too),
:func:`unlink_foreign_references`, :func:`withheld_for_compartment`, :func:`person_ids` (the
person and the duplicates merged into them) and :func:`retention_text`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core.constants import Compartment
from vik.core.exceptions import ApplicationError

from .constants import SubjectKind
from .models import Address, Link, Organisation, Person, Vehicle

ANONYMISED = "[geanonimiseerd]"
MAX_MERGE_HOPS = 10
#: Person fields a rectification (AVG art. 16) may correct through this hook.
RECTIFIABLE = {"voornamen", "voorvoegsel", "geslachtsnaam", "birth_place"}


# --- shared retention helpers -------------------------------------------------------------------


def delete_with_history(qs: models.QuerySet) -> int:
    """Delete rows together with their django-auditlog entries, which hold the same content in
    plain text. Returns the number of rows deleted (0 when they are already gone)."""
    from auditlog.models import LogEntry

    from django.contrib.contenttypes.models import ContentType

    pks = [str(pk) for pk in qs.values_list("pk", flat=True)]
    if not pks:
        return 0
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(qs.model), object_pk__in=pks
    ).delete()
    return qs.model.objects.filter(pk__in=pks).delete()[0]


def drop_history(model: type[models.Model], pks) -> None:
    """Delete the django-auditlog entries of rows that are kept but emptied (anonymisation)."""
    from auditlog.models import LogEntry

    from django.contrib.contenttypes.models import ContentType

    keys = [str(pk) for pk in pks]
    if keys:
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_pk__in=keys
        ).delete()


@contextmanager
def retention_session() -> Iterator[None]:
    """Open the documented retention path through the append-only history triggers (measures,
    bibob, meetings): ``SET LOCAL vik.retention = 'on'`` lets their trigger functions allow
    DELETE and UPDATE for the rest of *this transaction only*; it is switched off again on the way
    out (on an error the rollback undoes it). Must run inside the destruction item's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("retention_session() must run inside a transaction")
    with connection.cursor() as cur:
        cur.execute("SET LOCAL vik.retention = 'on'")
    yield  # on an error the transaction (or savepoint) rolls back, and the setting with it
    with connection.cursor() as cur:
        cur.execute("SET LOCAL vik.retention = 'off'")


def unlink_foreign_references(model: type[models.Model], pk: int) -> None:
    """Before a record is destroyed, clear nullable references to it from *other* apps (an agenda
    item of the casustafel pointing at a measure): the referring record keeps its own content and
    retention, it only loses the link. Non-nullable references are left for the delete to
    refuse (the caller's transaction then rolls back and the list stops there)."""
    for rel in model._meta.related_objects:
        if rel.many_to_many or not rel.field.null:
            continue
        other = rel.related_model
        if other._meta.app_label == model._meta.app_label:
            continue
        other._default_manager.filter(**{rel.field.name: pk}).update(**{rel.field.name: None})


def withheld_for_compartment(compartment: str, what: str):
    """The ``Withheld`` entry for a record of a sealed compartment, or None for ``general``."""
    from vik.privacy.constants import WithholdingGround as G
    from vik.privacy.providers import Withheld

    if compartment == Compartment.MMA:
        return Withheld(
            _("%(what)s uit een melding van Meld Misdaad Anoniem") % {"what": what}, G.SOURCE_PROTECTION
        )
    if compartment == Compartment.POLICE:
        return Withheld(
            _("%(what)s uit politiegegevens (Wpg)") % {"what": what},
            G.POLICE_CONSULTATION,
            _("de politie wordt eerst geraadpleegd"),
        )
    if compartment == Compartment.BIBOB:
        return Withheld(_("%(what)s uit een Bibob-onderzoek") % {"what": what}, G.BIBOB)
    return None


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


# --- the access-request section -----------------------------------------------------------------

_MODELS = {
    SubjectKind.PERSON: Person,
    SubjectKind.ORGANISATION: Organisation,
    SubjectKind.ADDRESS: Address,
    SubjectKind.VEHICLE: Vehicle,
}


def person_ids(person) -> list[int]:
    """The pk asked for plus the duplicates merged into it (their references were moved, but the
    records still exist): what other apps filter their sections on."""
    ids = [person.pk]
    frontier = [person.pk]
    for _hop in range(MAX_MERGE_HOPS):
        frontier = list(Person.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True))
        if not frontier:
            break
        ids += frontier
    return ids


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
    from vik.privacy.constants import WithholdingGround as G
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
                G.THIRD_PARTY,
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


def retention_text(code: str) -> str:
    """How long a record of retention class ``code`` is kept, as the rule row says today."""
    from vik.privacy.models import RetentionRule

    rule = RetentionRule.objects.filter(code=code, active=True).first()
    if rule is None:
        return ""
    return _("%(period)s na %(event)s, daarna %(action)s") % {
        "period": rule.period_display,
        "event": rule.runs_from,
        "action": str(rule.get_action_display()).lower(),
    }
