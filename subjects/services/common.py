"""Helpers shared by the subject services: the subject kinds, validation, create and update."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core.access import clearances, init_visibility
from vik.core.constants import Compartment, OrgKind
from vik.core.exceptions import ApplicationError
from vik.core.models import OrgUnit, User

from ..constants import SubjectKind
from ..models import Address, Organisation, Person, SubjectBase, Vehicle
from ..names import tidy

SUBJECT_MODELS: dict[str, type[SubjectBase]] = {
    SubjectKind.PERSON: Person,
    SubjectKind.ORGANISATION: Organisation,
    SubjectKind.ADDRESS: Address,
    SubjectKind.VEHICLE: Vehicle,
}


def kind_of(obj: models.Model) -> str:
    for kind, model in SUBJECT_MODELS.items():
        if isinstance(obj, model):
            return kind
    raise ValueError(f"Not a subject: {obj!r}")


# --- helpers ------------------------------------------------------------------------------------


def _identifier(fn, value: Any, field: str) -> str:
    try:
        return fn(value)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], field=field)


def _owner_team(actor: User, owner_team: OrgUnit | None) -> OrgUnit:
    team = owner_team or actor.org_unit
    if team is None or team.kind != OrgKind.TEAM:
        raise ApplicationError(
            _("Alleen medewerkers van een team van de gemeente kunnen subjecten vastleggen.")
        )
    return team


def _compartment(actor: User, compartment: str) -> str:
    compartment = compartment or Compartment.GENERAL
    if compartment not in Compartment.values:
        raise ApplicationError(_("Onbekend compartiment."), field="compartment")
    if compartment not in clearances(actor):
        raise ApplicationError(
            _(
                "U bent niet geautoriseerd voor dit compartiment; u zou het record daarna zelf niet meer kunnen zien."
            ),
            field="compartment",
        )
    return compartment


def _full_clean(obj: models.Model) -> None:
    try:
        obj.full_clean(exclude=["visible_to", "owner_team", "provenance"], validate_unique=False)
    except ValidationError as exc:
        errors = exc.message_dict
        field = next(iter(errors))
        raise ApplicationError(
            errors[field][0], field=None if field == "__all__" else field, extra={"errors": errors}
        )


def _require_editable(obj: SubjectBase) -> None:
    if obj.is_merged:
        raise ApplicationError(
            _("Dit record is samengevoegd met een ander record en kan niet meer worden gewijzigd.")
        )


def _create(obj: SubjectBase, *, actor: User, owner_team: OrgUnit | None, compartment: str) -> SubjectBase:
    obj.owner_team = _owner_team(actor, owner_team)
    obj.compartment = _compartment(actor, compartment)
    _full_clean(obj)
    obj.save()
    init_visibility(obj)
    return obj


def _locked_update(
    obj: SubjectBase,
    fields: tuple[str, ...],
    tracked: tuple[str, ...],
    apply,
    data: dict[str, Any],
    actor: User,
    expected_version: int | None,
) -> SubjectBase:
    """The edit of one record: only its editable ``fields``, on the row locked for the rest of
    the transaction; ``tracked`` are the columns whose change raises the version and is recorded
    (the editable ones and what is derived from them)."""
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"Unknown {type(obj)._meta.model_name} fields: {sorted(unknown)}")
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    before = {f: getattr(locked, f) for f in tracked}
    return _update(
        locked,
        actor=actor,
        before=before,
        apply=lambda: apply(locked, data),
        expected_version=expected_version,
    )


def _update(
    obj: SubjectBase, *, actor: User, before: dict[str, Any], apply, expected_version: int | None = None
) -> SubjectBase:
    _require_editable(obj)
    if expected_version is not None and obj.version != expected_version:
        who = (
            obj.edited_by.get_full_name() or obj.edited_by.get_username() if obj.edited_by else _("een ander")
        )
        raise ApplicationError(
            _(
                "Dit gegeven is gewijzigd door %(who)s sinds u het formulier opende (%(when)s). "
                "Uw wijziging is niet opgeslagen: bekijk de nieuwe gegevens en breng uw wijziging opnieuw aan."
            )
            % {"who": who, "when": timezone.localtime(obj.updated_at).strftime("%d-%m-%Y %H:%M")}
        )
    apply()
    _full_clean(obj)
    changed = [f for f, v in before.items() if getattr(obj, f) != v]
    if changed:
        obj.version += 1
        obj.edited_by = actor
        for f in changed:
            if not f.endswith(("_normalised", "_index", "_keys")) and f != "initials":
                obj.provenance[f] = {
                    "source": _("gewijzigd door %(u)s") % {"u": actor.get_username()},
                    "at": timezone.now().date().isoformat(),
                }
        obj.save(update_fields=[*changed, "provenance", "version", "edited_by", "updated_at"])
    return obj


def _text_list(values, *, field: str, max_length: int = 200) -> list[str]:
    if isinstance(values, str):
        values = values.replace(";", "\n").splitlines()
    out: list[str] = []
    for value in values or []:
        value = tidy(str(value))
        if not value:
            continue
        if len(value) > max_length:
            raise ApplicationError(
                _("Eén van de waarden is langer dan %(n)s tekens.") % {"n": max_length}, field=field
            )
        if value not in out:
            out.append(value)
    return out
