"""Registry questions on behalf of a user and a purpose, and what VIK does with the answers.

Every question is written to the query log (``RegistryQuery``) whatever its outcome; every
person, organisation or address an answer returns becomes a ``RegistryDisclosure`` and one
access-log row with the purpose. Creating or changing a VIK record goes through the subjects
services; ``Verification`` says whether and when a record was checked against its registry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vik.core.accesslog import log_access_many
from vik.core.constants import AccessAction
from vik.core.encryption import blind_index
from vik.core.exceptions import ApplicationError

from .clients.bag import BagAddress, BagClient, BagObject
from .clients.base import CallContext, RegistryContractError, RegistryError, RegistryUnavailable
from .clients.bewoning import Bewoning, BrpBewoningClient
from .clients.brp import BrpPerson, BrpPersonenClient
from .clients.kvk import KvkClient, KvkHit, KvkProfile
from .constants import DisclosedKind, Outcome, Registry, VerificationStatus
from .fields import IDENTITY, brp_fields
from .models import AcceptedDifference, RegistryDisclosure, RegistryQuery, Verification
from .sbi import legal_form_code

logger = logging.getLogger("registries")
SYSTEM_LABEL = "VIK (nachtelijke controle)"


@dataclass
class Disclosed:
    kind: str
    identifier: str
    label: str


def _actor_fields(actor) -> dict[str, Any]:
    if actor is None:
        return {"actor": None, "actor_label": SYSTEM_LABEL, "role": "", "org_unit": ""}
    unit = getattr(actor, "org_unit", None)
    return {
        "actor": actor,
        "actor_label": actor.get_username()[:150],
        "role": (actor.role_label or "")[:200],
        "org_unit": str(unit)[:200] if unit else "",
    }


def _call(
    *,
    actor,
    purpose: str,
    registry: str,
    operation: str,
    fields: list[str],
    ask: Callable[[CallContext], Any],
    disclosed: Callable[[Any], list[Disclosed]],
    request=None,
    action: str = AccessAction.READ,
):
    """Ask, log the question, log what came back; re-raise a registry error after logging it."""
    purpose = " ".join(str(purpose or "").split())
    if not purpose:
        raise ApplicationError(_("Een bevraging van een basisregistratie heeft een doel nodig."))
    context = CallContext(user_id=actor.get_username() if actor else "VIK", purpose=purpose)
    outcome, reason, result = Outcome.OK, "", None
    try:
        result = ask(context)
    except RegistryContractError as exc:
        outcome, reason = Outcome.CONTRACT, str(exc.extra.get("reason", ""))[:300]
        raise
    except RegistryUnavailable as exc:
        outcome, reason = Outcome.UNAVAILABLE, exc.message[:300]
        raise
    except RegistryError as exc:
        outcome, reason = Outcome.REFUSED, exc.message[:300]
        raise
    except Exception as exc:
        outcome, reason = Outcome.UNAVAILABLE, f"internal error: {type(exc).__name__}"
        raise
    finally:
        items = disclosed(result) if result is not None else []
        with transaction.atomic():
            query = RegistryQuery.objects.create(
                registry=registry,
                operation=operation,
                **_actor_fields(actor),
                purpose=purpose[:300],
                processing=f"{settings.REGISTRIES_VERWERKING}: {purpose}"[:242],
                fields=fields,
                trace_id=context.trace_id,
                outcome=outcome,
                result_count=len(items),
                reason=reason,
            )
            rows = RegistryDisclosure.objects.bulk_create(
                [
                    RegistryDisclosure(
                        query=query,
                        kind=item.kind,
                        identifier=item.identifier,
                        identifier_index=blind_index(item.identifier),
                        label=item.label[:200],
                    )
                    for item in items
                ]
            )
            for row in rows:
                row.query = query
            if rows and actor is not None:
                log_access_many(
                    user=actor,
                    action=action,
                    objs=rows,  # type: ignore[arg-type]
                    purpose=purpose,
                    detail=f"{query.get_registry_display()} {operation} (trace {context.trace_id})",
                    request=request,
                )
    return result


def _persons(result: list[BrpPerson]) -> list[Disclosed]:
    return [
        Disclosed(DisclosedKind.PERSON, p.bsn, p.volledige_naam or p.geslachtsnaam or p.bsn) for p in result
    ]


# --- BRP ------------------------------------------------------------------------------------------


def brp_person_by_bsn(*, actor, purpose: str, bsn: str, use: str = "fill", request=None) -> BrpPerson | None:
    fields = brp_fields(actor, use)
    if not fields:
        raise ApplicationError(_("U mag de BRP niet bevragen."))
    bsn = BrpPersonenClient.clean_bsn(bsn)  # refused before any call
    found = _call(
        actor=actor,
        purpose=purpose,
        registry=Registry.BRP,
        operation="RaadpleegMetBurgerservicenummer",
        fields=fields,
        ask=lambda ctx: BrpPersonenClient(ctx).by_bsn([bsn], fields=fields),
        disclosed=_persons,
        request=request,
    )
    return found[0] if found else None


def brp_search_name(
    *, actor, purpose: str, geslachtsnaam: str, birth_date: date, request=None
) -> list[BrpPerson]:
    fields = [f for f in brp_fields(actor, "fill") if f != "geboorte.plaats"]
    if not fields:
        raise ApplicationError(_("U mag de BRP niet bevragen."))
    return _call(
        actor=actor,
        purpose=purpose,
        registry=Registry.BRP,
        operation="ZoekMetGeslachtsnaamEnGeboortedatum",
        fields=fields,
        ask=lambda ctx: BrpPersonenClient(ctx).by_name_and_birth_date(
            geslachtsnaam, birth_date, fields=fields
        ),
        disclosed=_persons,
        request=request,
        action=AccessAction.SEARCH,
    )


def bewoning_in_period(
    *, actor, purpose: str, object_id: str, start: date, end: date, request=None
) -> list[Bewoning]:
    """Who was registered at the object in [start, end]: one access-log row per person."""
    if not actor.has_perm("registries.query_bewoning"):
        raise ApplicationError(_("U mag de bewoning van een adres niet opvragen."))

    def people(result: list[Bewoning]) -> list[Disclosed]:
        seen: dict[str, Disclosed] = {}
        for b in result:
            for p in b.bewoners:
                seen.setdefault(p.bsn, Disclosed(DisclosedKind.PERSON, p.bsn, p.naam or p.bsn))
        return list(seen.values())

    return _call(
        actor=actor,
        purpose=purpose,
        registry=Registry.BEWONING,
        operation="BewoningMetPeriode",
        fields=["bewoningen"],
        ask=lambda ctx: BrpBewoningClient(ctx).in_period(object_id, start, end),
        disclosed=people,
        request=request,
    )


# --- BAG and KvK ---------------------------------------------------------------------------------


def _require_bag_kvk(actor) -> None:
    if not actor.has_perm("registries.query_bag_kvk"):
        raise ApplicationError(_("U mag de BAG en de KvK niet bevragen."))


def bag_addresses(
    *, actor, purpose: str, postcode: str, house_number: int, house_letter: str = "", request=None
) -> list[BagAddress]:
    _require_bag_kvk(actor)
    return _call(
        actor=actor,
        purpose=purpose,
        registry=Registry.BAG,
        operation="adressen",
        fields=[],
        ask=lambda ctx: BagClient(ctx).by_postcode(postcode, house_number, house_letter=house_letter),
        disclosed=lambda r: [Disclosed(DisclosedKind.ADDRESS, a.nummeraanduiding, a.line) for a in r],
        request=request,
        action=AccessAction.SEARCH,
    )


def bag_object(*, actor, purpose: str, object_id: str, request=None) -> BagObject | None:
    _require_bag_kvk(actor)
    return _call(
        actor=actor,
        purpose=purpose,
        registry=Registry.BAG,
        operation="adresseerbareobjecten",
        fields=[],
        ask=lambda ctx: BagClient(ctx).adresseerbaar_object(object_id),
        disclosed=lambda r: [
            Disclosed(DisclosedKind.ADDRESS, r.identificatie, f"{r.kind} {r.identificatie}")
        ],
        request=request,
    )


def kvk_search(
    *, actor, purpose: str, kvk_number: str = "", name: str = "", town: str = "", request=None
) -> list[KvkHit]:
    _require_bag_kvk(actor)
    return _call(
        actor=actor,
        purpose=purpose,
        registry=Registry.KVK,
        operation="zoeken",
        fields=[],
        ask=lambda ctx: KvkClient(ctx).search(kvk_number=kvk_number, name=name, town=town),
        disclosed=lambda r: [Disclosed(DisclosedKind.ORGANISATION, h.kvk_number, h.name) for h in r],
        request=request,
        action=AccessAction.SEARCH,
    )


def kvk_profile(*, actor, purpose: str, kvk_number: str, request=None) -> KvkProfile | None:
    _require_bag_kvk(actor)
    return _call(
        actor=actor,
        purpose=purpose,
        registry=Registry.KVK,
        operation="basisprofiel",
        fields=[],
        ask=lambda ctx: KvkClient(ctx).profile(kvk_number),
        disclosed=lambda r: [Disclosed(DisclosedKind.ORGANISATION, r.kvk_number, r.name)],
        request=request,
    )


# --- verification of VIK records --------------------------------------------------------------------


def verification_set(
    *, kind: str, obj_id: int, registry: str, status: str, fields: list[str] | None = None, note: str = ""
) -> Verification:
    now = timezone.now()
    defaults = {"registry": registry, "status": status, "checked_at": now, "note": note[:300]}
    if status == VerificationStatus.VERIFIED:
        defaults |= {"verified_at": now, "fields": fields or []}
    ver, _created = Verification.objects.update_or_create(
        subject_kind=kind, subject_id=obj_id, defaults=defaults
    )
    return ver


# Comparison: per kind, VIK field -> (label, value from the registry's answer)
PERSON_COMPARE = {
    "voornamen": (gettext_lazy("voornamen"), lambda p: p.voornamen),
    "voorvoegsel": (gettext_lazy("voorvoegsel"), lambda p: p.voorvoegsel),
    "geslachtsnaam": (gettext_lazy("geslachtsnaam"), lambda p: p.geslachtsnaam),
    "birth_date": (gettext_lazy("geboortedatum"), lambda p: p.birth_date),
    "birth_place": (gettext_lazy("geboorteplaats"), lambda p: p.birth_place),
}
ADDRESS_COMPARE = {
    "street": (gettext_lazy("straat"), lambda a: a.street),
    "house_number": (gettext_lazy("huisnummer"), lambda a: a.house_number),
    "house_letter": (gettext_lazy("huisletter"), lambda a: a.house_letter),
    "house_number_addition": (gettext_lazy("toevoeging"), lambda a: a.addition),
    "postcode": (gettext_lazy("postcode"), lambda a: a.postcode),
    "town": (gettext_lazy("woonplaats"), lambda a: a.town),
    "bag_nummeraanduiding": (gettext_lazy("BAG nummeraanduiding-id"), lambda a: a.nummeraanduiding),
    "bag_verblijfsobject": (gettext_lazy("BAG verblijfsobject-id"), lambda a: a.adresseerbaar_object),
}
ORGANISATION_COMPARE = {
    "name": (gettext_lazy("naam"), lambda o: o.name),
    "vestigingsnummer": (gettext_lazy("vestigingsnummer"), lambda o: o.vestigingsnummer),
    "rsin": (gettext_lazy("RSIN"), lambda o: o.rsin),
    "legal_form": (gettext_lazy("rechtsvorm"), lambda o: legal_form_code(o.legal_form)),
    "sbi_codes": (gettext_lazy("SBI-codes"), lambda o: sorted(s.code for s in o.sbi)),
}
COMPARE = {"person": PERSON_COMPARE, "address": ADDRESS_COMPARE, "organisation": ORGANISATION_COMPARE}
REGISTRY_OF = {"person": Registry.BRP, "address": Registry.BAG, "organisation": Registry.KVK}


@dataclass
class Difference:
    field: str
    label: str
    ours: Any
    theirs: Any


def differences(kind: str, obj, theirs_obj) -> list[Difference]:
    out = []
    for name, (label, get) in COMPARE[kind].items():
        theirs = get(theirs_obj)
        ours = getattr(obj, name)
        if isinstance(ours, list):
            ours = sorted(ours)
        if theirs in ("", None, []):
            continue  # the registry gives nothing (unknown date, field not asked): no difference
        if (ours if ours is not None else "") != theirs:
            out.append(Difference(name, str(label), ours, theirs))
    return out


def person_differences(person, brp: BrpPerson) -> list[Difference]:
    return differences("person", person, brp)


def _registry_record(kind: str, *, actor, purpose: str, obj, request=None):
    """The registry's version of a VIK record, or None when the registry does not know it."""
    if kind == "person":
        if not obj.bsn:
            raise ApplicationError(
                _("Deze persoon heeft geen BSN; vergelijken met de BRP kan alleen op BSN.")
            )
        return brp_person_by_bsn(actor=actor, purpose=purpose, bsn=obj.bsn, use="compare", request=request)
    if kind == "address":
        if obj.bag_nummeraanduiding:
            _require_bag_kvk(actor)
            return _call(
                actor=actor,
                purpose=purpose,
                registry=Registry.BAG,
                operation="adres",
                fields=[],
                ask=lambda ctx: BagClient(ctx).address(obj.bag_nummeraanduiding),
                disclosed=lambda r: [Disclosed(DisclosedKind.ADDRESS, r.nummeraanduiding, r.line)],
                request=request,
            )
        found = bag_addresses(
            actor=actor,
            purpose=purpose,
            postcode=obj.postcode,
            house_number=obj.house_number,
            house_letter=obj.house_letter,
            request=request,
        )
        exact = [
            a for a in found if a.house_letter == obj.house_letter and a.addition == obj.house_number_addition
        ]
        return exact[0] if len(exact) == 1 else None
    if kind == "organisation":
        if not obj.kvk_number:
            raise ApplicationError(
                _("Deze organisatie heeft geen KvK-nummer; vergelijken kan alleen op KvK-nummer.")
            )
        return kvk_profile(actor=actor, purpose=purpose, kvk_number=obj.kvk_number, request=request)
    raise ApplicationError(_("Voor dit soort record is er geen basisregistratie."))


def subject_compare(*, actor, purpose: str, obj, request=None) -> tuple[Any, list[Difference]]:
    """Ask the registry and record the outcome (verified / differs / not found)."""
    kind = obj.kind
    theirs = _registry_record(kind, actor=actor, purpose=purpose, obj=obj, request=request)
    if theirs is None:
        verification_set(
            kind=kind, obj_id=obj.pk, registry=REGISTRY_OF[kind], status=VerificationStatus.NOT_FOUND
        )
        return None, []
    diffs = differences(kind, obj, theirs)
    verification_set(
        kind=kind,
        obj_id=obj.pk,
        registry=REGISTRY_OF[kind],
        status=VerificationStatus.DIFFERS if diffs else VerificationStatus.VERIFIED,
        fields=[] if diffs else list(COMPARE[kind]),
        note=", ".join(d.label for d in diffs),
    )
    return theirs, diffs


def person_compare(*, actor, purpose: str, person, request=None) -> tuple[BrpPerson | None, list[Difference]]:
    return subject_compare(actor=actor, purpose=purpose, obj=person, request=request)


@transaction.atomic
def subject_accept_difference(*, actor, purpose: str, obj, field: str, request=None) -> list[Difference]:
    """Take one registry value over into the VIK record (through the subjects service, so the
    change log has it), asking the registry again so that what is taken over is what it says now."""
    from subjects import services as subject_services

    kind = obj.kind
    if field not in COMPARE.get(kind, {}):
        raise ApplicationError(
            _("Dit gegeven kan niet uit de basisregistratie worden overgenomen."), field="field"
        )
    theirs, diffs = subject_compare(actor=actor, purpose=purpose, obj=obj, request=request)
    match = next((d for d in diffs if d.field == field), None)
    if theirs is None or match is None:
        raise ApplicationError(_("Dit verschil bestaat niet (meer); vergelijk opnieuw."), field="field")
    update = getattr(subject_services, f"{kind}_update")
    obj = update(actor=actor, **{kind: obj}, **{field: match.theirs})
    remaining = differences(kind, obj, theirs)
    ver = verification_set(
        kind=kind,
        obj_id=obj.pk,
        registry=REGISTRY_OF[kind],
        status=VerificationStatus.DIFFERS if remaining else VerificationStatus.VERIFIED,
        fields=[] if remaining else list(COMPARE[kind]),
        note=", ".join(d.label for d in remaining),
    )
    last = RegistryQuery.objects.filter(actor=actor, registry=REGISTRY_OF[kind]).order_by("-at").first()
    AcceptedDifference.objects.create(verification=ver, field=field, actor=actor, query=last)
    return remaining


def person_accept_difference(*, actor, purpose: str, person, field: str, request=None) -> list[Difference]:
    return subject_accept_difference(actor=actor, purpose=purpose, obj=person, field=field, request=request)


RECHECK_DAYS = 30


def _nightly_question(kind: str, obj):
    """(registry, operation, fields, ask, disclosed) for the nightly re-check of one record."""
    if kind == "person":
        return (
            Registry.BRP,
            "RaadpleegMetBurgerservicenummer",
            IDENTITY,
            lambda ctx: next(iter(BrpPersonenClient(ctx).by_bsn([obj.bsn], fields=IDENTITY)), None),
            lambda r: _persons([r]),
        )
    if kind == "address":
        return (
            Registry.BAG,
            "adres",
            [],
            lambda ctx: BagClient(ctx).address(obj.bag_nummeraanduiding),
            lambda r: [Disclosed(DisclosedKind.ADDRESS, r.nummeraanduiding, r.line)],
        )
    return (
        Registry.KVK,
        "basisprofiel",
        [],
        lambda ctx: KvkClient(ctx).profile(obj.kvk_number),
        lambda r: [Disclosed(DisclosedKind.ORGANISATION, r.kvk_number, r.name)],
    )


def reverify_unverified(*, limit: int = 200) -> dict[str, int]:
    """Nightly: ask the registries about records that carry their identifier (BSN, BAG
    nummeraanduiding, KvK number) and are not verified, unless they were checked in the last
    RECHECK_DAYS days. A registry that is unavailable is left alone for the rest of the night."""
    from subjects.models import Address, Organisation, Person

    counts = {"checked": 0, "verified": 0, "differs": 0, "not_found": 0}
    recent = timezone.now() - timedelta(days=RECHECK_DAYS)
    sources = {
        "person": Person.objects.exclude(bsn_index=""),
        "address": Address.objects.exclude(bag_nummeraanduiding=""),
        "organisation": Organisation.objects.exclude(kvk_number=""),
    }
    for kind, qs in sources.items():
        done = Verification.objects.filter(subject_kind=kind).filter(
            Q(status=VerificationStatus.VERIFIED) | Q(checked_at__gte=recent)
        )
        candidates = (
            qs.filter(merged_into_id__isnull=True)
            .exclude(pk__in=done.values("subject_id"))
            .order_by("pk")[:limit]
        )
        for obj in candidates:
            registry, operation, fields, ask, disclosed = _nightly_question(kind, obj)
            try:
                theirs = _call(
                    actor=None,
                    purpose=_("Nachtelijke herverificatie van niet-geverifieerde records"),
                    registry=registry,
                    operation=operation,
                    fields=fields,
                    ask=ask,
                    disclosed=lambda r, d=disclosed: d(r) if r is not None else [],  # type: ignore[misc]
                )
            except RegistryUnavailable:
                break
            except RegistryError:
                continue
            counts["checked"] += 1
            if theirs is None:
                verification_set(
                    kind=kind, obj_id=obj.pk, registry=registry, status=VerificationStatus.NOT_FOUND
                )
                counts["not_found"] += 1
                continue
            diffs = differences(kind, obj, theirs)
            verification_set(
                kind=kind,
                obj_id=obj.pk,
                registry=registry,
                status=VerificationStatus.DIFFERS if diffs else VerificationStatus.VERIFIED,
                fields=[] if diffs else list(COMPARE[kind]),
                note=", ".join(d.label for d in diffs),
            )
            counts["differs" if diffs else "verified"] += 1
    return counts
