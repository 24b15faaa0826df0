"""Merge two records of the same kind, and undo a merge."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from guardian.models.models import BaseObjectPermission

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models import ForeignObjectRel
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core.access import is_visible
from vik.core.exceptions import ApplicationError
from vik.core.models import User

from ..constants import SubjectKind
from ..models import Link, MergeRecord, SubjectBase
from ..names import alias_keys, tidy
from .common import SUBJECT_MODELS, kind_of

# --- merge and undo ------------------------------------------------------------------------------------

# Fields the survivor takes over from the duplicate when it has no value of its own.
MERGE_FILL = {
    SubjectKind.PERSON: ["voornamen", "initials", "birth_date", "birth_place"],
    SubjectKind.ORGANISATION: ["kvk_number", "vestigingsnummer", "rsin", "legal_form", "risk_branch"],
    SubjectKind.ADDRESS: [
        "bag_nummeraanduiding",
        "bag_verblijfsobject",
        "gemeente_code",
        "wijk_code",
        "buurt_code",
        "latitude",
        "longitude",
    ],
    SubjectKind.VEHICLE: ["make", "model_name", "colour"],
}
# List fields the survivor extends with the duplicate's values.
MERGE_LISTS = {
    SubjectKind.PERSON: ["aliases"],
    SubjectKind.ORGANISATION: ["trade_names", "sbi_codes"],
    SubjectKind.ADDRESS: [],
    SubjectKind.VEHICLE: [],
}
# Identifiers that must not differ: two different BSNs are two different people.
MERGE_CONFLICTS = {
    SubjectKind.PERSON: [
        ("bsn_index", _("Deze personen hebben verschillende BSN's en zijn dus niet dezelfde persoon."))
    ],
    SubjectKind.ORGANISATION: [
        ("kvk_number", _("Deze organisaties hebben verschillende KvK-nummers.")),
        ("rsin", _("Deze organisaties hebben verschillende RSIN's.")),
    ],
    SubjectKind.ADDRESS: [
        ("bag_nummeraanduiding", _("Deze adressen hebben verschillende BAG-nummeraanduidingen."))
    ],
    SubjectKind.VEHICLE: [("kenteken", _("Deze voertuigen hebben verschillende kentekens."))],
}


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


@dataclass(frozen=True)
class ReferenceField:
    model: type[models.Model]
    attname: str

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


def reference_fields(model: type[models.Model]) -> list[ReferenceField]:
    """Every foreign key in any installed app that points at ``model``, found through the model
    metadata so that apps added later (signals, measures, Bibob, meetings) are covered without a
    change here. Hidden relations (``related_name='+'``) and many-to-many through tables count too.
    Per-object permission tables are left out: a merge must not widen who may see the survivor."""
    found: dict[tuple[str, str], ReferenceField] = {}
    for rel in model._meta.get_fields(include_hidden=True):
        if not isinstance(rel, ForeignObjectRel) or rel.many_to_many:
            continue  # m2m are reached through their through-model's foreign key (also a rel here)
        related = rel.related_model
        if related is None or issubclass(related, BaseObjectPermission) or not related._meta.managed:  # type: ignore[arg-type, union-attr]
            continue
        field = rel.field
        found[(related._meta.label_lower, field.attname)] = ReferenceField(related, field.attname)  # type: ignore[arg-type, union-attr]
    return sorted(found.values(), key=lambda r: (r.label, r.attname))


def _move_references(model: type[SubjectBase], *, from_pk: int, to_pk: int) -> list[dict]:
    moved_refs = []
    for ref in reference_fields(model):
        manager = ref.model._base_manager
        pks = list(manager.filter(**{ref.attname: from_pk}).values_list("pk", flat=True))
        if not pks:
            continue
        moved, kept = [], []
        try:
            with transaction.atomic():
                manager.filter(pk__in=pks).update(**{ref.attname: to_pk})
            moved = pks
        except IntegrityError:
            # A unique constraint (one-to-one, unique m2m pair): move row by row, keep the clashes.
            for pk in pks:
                try:
                    with transaction.atomic():
                        manager.filter(pk=pk).update(**{ref.attname: to_pk})
                    moved.append(pk)
                except IntegrityError:
                    kept.append(pk)
        moved_refs.append(
            {"model": ref.label, "field": ref.attname, "moved": _jsonable(moved), "kept": _jsonable(kept)}
        )
    return moved_refs


def _lock_pair(model: type[SubjectBase], a: int, b: int) -> dict[int, SubjectBase]:
    rows = model._default_manager.select_for_update().filter(pk__in=[a, b]).order_by("pk")
    return {obj.pk: obj for obj in rows}


@transaction.atomic
def subject_merge(
    *, actor: User, survivor: SubjectBase, duplicate: SubjectBase, reason: str = ""
) -> MergeRecord:
    """The survivor absorbs the duplicate: links and every reference move to the survivor, empty
    values are filled from the duplicate (with their provenance), names become aliases. The
    duplicate stays as a tombstone pointing at the survivor; the MergeRecord holds what
    ``subject_merge_undo`` needs to reverse it exactly."""
    if type(survivor) is not type(duplicate):
        raise ApplicationError(
            _("Een %(a)s en een %(b)s kunnen niet worden samengevoegd: alleen records van dezelfde soort.")
            % {"a": survivor._meta.verbose_name, "b": duplicate._meta.verbose_name},
            field="duplicate",
        )
    if survivor.pk == duplicate.pk:
        raise ApplicationError(_("Een record kan niet met zichzelf worden samengevoegd."), field="duplicate")
    if not actor.has_perm("subjects.merge_subject"):
        raise ApplicationError(_("U mag geen records samenvoegen."))
    if not (is_visible(actor, survivor) and is_visible(actor, duplicate)):
        raise ApplicationError(_("U kunt alleen records samenvoegen die u mag inzien."), field="duplicate")
    kind = kind_of(survivor)
    model = type(survivor)
    locked = _lock_pair(model, survivor.pk, duplicate.pk)
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    if survivor.is_merged or duplicate.is_merged:
        raise ApplicationError(
            _("Eén van beide records is al samengevoegd met een ander record."), field="duplicate"
        )
    for field, message in MERGE_CONFLICTS[kind]:  # type: ignore[index]
        a, b = getattr(survivor, field), getattr(duplicate, field)
        if not _empty(a) and not _empty(b) and a != b:
            raise ApplicationError(str(message), field="duplicate")

    record = MergeRecord.objects.create(
        kind=kind, survivor_id=survivor.pk, duplicate_id=duplicate.pk, actor=actor, reason=tidy(reason)[:300]
    )
    origin = f"{kind}:{duplicate.pk}"
    fields_changed: list[dict] = []
    update_fields: set[str] = {"provenance", "updated_at"}
    provenance = dict(survivor.provenance or {})
    for field in MERGE_FILL[kind]:  # type: ignore[index]
        mine, theirs = getattr(survivor, field), getattr(duplicate, field)
        if _empty(theirs) or mine == theirs:
            continue
        if _empty(mine):
            setattr(survivor, field, theirs)
            fields_changed.append({"field": field, "before": _jsonable(mine), "after": _jsonable(theirs)})
            provenance[field] = {"source": duplicate.source or "", "from": origin, "merge": record.pk}
            update_fields.add(field)
        else:
            provenance.setdefault("_alternatives", []).append(
                {"field": field, "value": _jsonable(theirs), "from": origin, "merge": record.pk}
            )
    if kind == SubjectKind.PERSON and duplicate.bsn_index and not survivor.bsn_index:  # type: ignore[attr-defined]
        # The plaintext never goes into the snapshot: undo compares blind indexes.
        survivor.bsn, survivor.bsn_index = duplicate.bsn, duplicate.bsn_index  # type: ignore[attr-defined]
        fields_changed.append({"field": "bsn", "before_index": "", "after_index": duplicate.bsn_index})  # type: ignore[attr-defined]
        provenance["bsn"] = {"source": duplicate.source or "", "from": origin, "merge": record.pk}
        update_fields |= {"bsn", "bsn_index"}
    lists_added: dict[str, list] = {}
    extra_names: list[str] = []
    if kind == SubjectKind.PERSON and duplicate.display_name != survivor.display_name:  # type: ignore[attr-defined]
        extra_names = [duplicate.display_name]  # type: ignore[attr-defined]
    if kind == SubjectKind.ORGANISATION and duplicate.name != survivor.name:  # type: ignore[attr-defined]
        extra_names = [duplicate.name]  # type: ignore[attr-defined]
    for field in MERGE_LISTS[kind]:  # type: ignore[index]
        current = list(getattr(survivor, field) or [])
        incoming = list(getattr(duplicate, field) or [])
        if field in ("aliases", "trade_names"):
            incoming = extra_names + incoming
        added = [v for i, v in enumerate(incoming) if v not in current and v not in incoming[:i]]
        if added:
            setattr(survivor, field, current + added)
            lists_added[field] = added
            update_fields.add(field)
            if field in ("aliases", "trade_names"):
                survivor.alias_keys = alias_keys(current + added)  # type: ignore[attr-defined]
                update_fields.add("alias_keys")
    survivor.provenance = provenance
    survivor.save(update_fields=sorted(update_fields))

    links = []
    for end in ("from", "to"):
        qs = Link.objects.filter(**{f"{end}_kind": kind, f"{end}_id": duplicate.pk})
        link_ids = list(qs.values_list("pk", flat=True))
        if link_ids:
            Link.objects.filter(pk__in=link_ids).update(
                **{f"{end}_id": survivor.pk, "updated_at": timezone.now()}
            )
            links += [{"id": pk, "end": end} for pk in link_ids]
    references = _move_references(model, from_pk=duplicate.pk, to_pk=survivor.pk)

    duplicate.merged_into_kind = kind
    duplicate.merged_into_id = survivor.pk
    duplicate.save(update_fields=["merged_into_kind", "merged_into_id", "updated_at"])

    record.snapshot = {
        "duplicate_label": str(duplicate),
        "survivor_label": str(survivor),
        "fields": fields_changed,
        "lists_added": lists_added,
        "links": links,
        "references": references,
    }
    record.save(update_fields=["snapshot", "updated_at"])
    return record


@transaction.atomic
def subject_merge_undo(*, actor: User, merge: MergeRecord) -> MergeRecord:
    """Reverse a merge exactly, keeping what changed since: a value edited after the merge stays,
    a link or reference added to the survivor later stays with the survivor."""
    if not actor.has_perm("subjects.merge_subject"):
        raise ApplicationError(_("U mag geen samenvoegingen ongedaan maken."))
    merge = MergeRecord.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ApplicationError(_("Deze samenvoeging is al ongedaan gemaakt."))
    model = SUBJECT_MODELS[merge.kind]
    locked = _lock_pair(model, merge.survivor_id, merge.duplicate_id)
    survivor, duplicate = locked.get(merge.survivor_id), locked.get(merge.duplicate_id)
    if survivor is None or duplicate is None:
        raise ApplicationError(
            _("Eén van beide records bestaat niet meer; de samenvoeging kan niet worden teruggedraaid.")
        )
    if not (is_visible(actor, survivor) and is_visible(actor, duplicate)):
        raise ApplicationError(_("U kunt alleen samenvoegingen terugdraaien van records die u mag inzien."))
    if survivor.is_merged:
        raise ApplicationError(
            _(
                "Het overgebleven record is later zelf samengevoegd; maak eerst die latere samenvoeging ongedaan."
            )
        )
    if duplicate.merged_into_id != survivor.pk:
        raise ApplicationError(_("Het samengevoegde record wijst niet meer naar dit record."))
    snap = merge.snapshot
    kind = merge.kind
    update_fields: set[str] = {"provenance", "updated_at"}
    for change in snap.get("fields", []):
        field = change["field"]
        if field == "bsn":
            if survivor.bsn_index == change["after_index"]:  # type: ignore[attr-defined]
                survivor.bsn, survivor.bsn_index = None, ""  # type: ignore[attr-defined]
                update_fields |= {"bsn", "bsn_index"}
            continue
        model_field = model._meta.get_field(field)
        if _jsonable(getattr(survivor, field)) == change["after"]:
            before = change["before"]
            setattr(survivor, field, None if before is None else model_field.to_python(before))  # type: ignore[union-attr]
            update_fields.add(field)
    for field, added in snap.get("lists_added", {}).items():
        current = list(getattr(survivor, field) or [])
        remaining = [v for v in current if v not in added]
        if remaining != current:
            setattr(survivor, field, remaining)
            update_fields.add(field)
            if field in ("aliases", "trade_names"):
                survivor.alias_keys = alias_keys(remaining)  # type: ignore[attr-defined]
                update_fields.add("alias_keys")
    provenance = {
        k: v
        for k, v in (survivor.provenance or {}).items()
        if not (isinstance(v, dict) and v.get("merge") == merge.pk)
    }
    if "_alternatives" in provenance:
        provenance["_alternatives"] = [a for a in provenance["_alternatives"] if a.get("merge") != merge.pk]
        if not provenance["_alternatives"]:
            del provenance["_alternatives"]
    survivor.provenance = provenance
    survivor.save(update_fields=sorted(update_fields))

    for end in ("from", "to"):
        link_ids = [item["id"] for item in snap.get("links", []) if item["end"] == end]
        if link_ids:
            Link.objects.filter(pk__in=link_ids, **{f"{end}_kind": kind, f"{end}_id": survivor.pk}).update(
                **{f"{end}_id": duplicate.pk, "updated_at": timezone.now()}
            )
    # The referring models are found the way the merge found them (model metadata), not by name.
    referring = {r.label: r.model for r in reference_fields(type(survivor))}
    for ref in snap.get("references", []):
        ref_model = referring.get(ref["model"])
        if ref_model is None:
            continue
        if ref["moved"]:
            ref_model._base_manager.filter(pk__in=ref["moved"], **{ref["field"]: survivor.pk}).update(
                **{ref["field"]: duplicate.pk}
            )

    duplicate.merged_into_kind = ""
    duplicate.merged_into_id = None
    duplicate.save(update_fields=["merged_into_kind", "merged_into_id", "updated_at"])
    merge.undone_at = timezone.now()
    merge.undone_by = actor
    merge.save(update_fields=["undone_at", "undone_by", "updated_at"])
    return merge
