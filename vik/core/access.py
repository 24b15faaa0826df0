"""Need-to-know: the one place that decides who sees which record.

Rule (docs/authorization.md): a user sees a record when
  1. their role (Django group permissions) allows ``view`` on the model, and
  2. their clearances include the record's compartment, and
  3. the record's ``visible_to`` overlaps the user's principals (own team, own user, own groups,
     own organisation), or the user holds ``core.view_all_teams`` (the casustafel chair), or a
     live break-glass grant covers exactly this record (detail pages only).
Lists, counts, search and dashboards filter in SQL on the GIN-indexed ``visible_to`` array;
single records go through :func:`get_for_user`, which answers 404 for anything not visible.
"""

from __future__ import annotations

from typing import NoReturn, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .accesslog import as_bigint
from .constants import Compartment, OrgKind
from .exceptions import RecordHidden
from .models import BreakGlass, ProtectedModel, ShareGrant, User

M = TypeVar("M", bound=models.Model)


def principals(user: User) -> list[str]:
    if not user.is_authenticated or not user.is_active:
        return []
    tokens = [f"u:{user.pk}"]
    tokens += [f"g:{gid}" for gid in _group_ids(user)]
    unit = user.org_unit
    if unit is not None:
        if unit.kind == OrgKind.TEAM:
            tokens.append(unit.team_token)
        tokens.append(unit.org_token)
    return tokens


def _group_ids(user: User) -> list[int]:
    return [gid for gid, _name in user.group_pairs]


def clearances(user: User) -> list[str]:
    if not user.is_authenticated or not user.is_active:
        return []
    return [c for c in user.clearances if c in Compartment.values]


def perm_name(model: type[models.Model], action: str = "view") -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def can_use_model(user: User, model: type[models.Model], action: str = "view") -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(perm_name(model, action)))


def visible_q(user: User, model: type[ProtectedModel], prefix: str = "") -> Q:
    """The SQL filter for records of ``model`` that ``user`` may see. ``prefix`` lets a query on
    another model filter through a relation (``prefix='signal__'``)."""
    if not can_use_model(user, model):
        return Q(pk__in=[])
    cleared = clearances(user)
    if not cleared:
        return Q(pk__in=[])
    q = Q(**{f"{prefix}compartment__in": cleared})
    if user.has_perm("core.view_all_teams"):
        return q
    return q & Q(**{f"{prefix}visible_to__overlap": principals(user)})


def restrict(qs: QuerySet[M], user: User) -> QuerySet[M]:
    return qs.filter(visible_q(user, qs.model))  # type: ignore[arg-type]


def is_visible(user: User, obj: ProtectedModel) -> bool:
    if not can_use_model(user, type(obj)):
        return False
    if obj.compartment not in clearances(user):
        return False
    if user.has_perm("core.view_all_teams"):
        return True
    return bool(set(obj.visible_to) & set(principals(user)))


def visible_only(user: User, objs) -> list:
    """The records among ``objs`` (of any protected models, None allowed) that ``user`` may see,
    in order: one query per model. Pages that show a record related to another one (a measure's
    person, a receivable's organisation) show it only when its own page would open for the user."""
    by_model: dict[type, set] = {}
    for obj in objs:
        if obj is not None:
            by_model.setdefault(type(obj), set()).add(obj.pk)
    allowed: set[tuple[type, object]] = set()
    for model, pks in by_model.items():
        ids = restrict(model._default_manager.filter(pk__in=pks), user).values_list("pk", flat=True)  # type: ignore[attr-defined]
        allowed |= {(model, pk) for pk in ids}
    return [obj for obj in objs if obj is not None and (type(obj), obj.pk) in allowed]


def has_break_glass(user: User, obj: models.Model) -> bool:
    if not user.is_authenticated or not user.has_perm("core.break_glass"):
        return False
    ct = ContentType.objects.get_for_model(type(obj))
    return BreakGlass.objects.filter(
        user=user, content_type=ct, object_id=obj.pk, expires_at__gt=timezone.now()
    ).exists()


def get_for_user(qs: QuerySet[M] | type[M], user: User, pk: object, *, allow_break_glass: bool = True) -> M:
    """Fetch one record the user may see, or raise 404 (never 403: existence is not revealed).
    Every refusal writes a ``denied`` access-log row (for every role, also one without any
    permission on the model), with the current request's IP and purpose."""
    if isinstance(qs, type):
        qs = qs._default_manager.all()
    pk_int = as_bigint(pk)
    if pk_int is None:  # not an id, or one no database row can have (>= 2**63)
        _refuse(qs.model, user, pk)
    obj = restrict(qs, user).filter(pk=pk_int).first()
    if obj is not None:
        return obj
    if allow_break_glass:
        candidate = qs.filter(pk=pk_int).first()
        if candidate is not None and has_break_glass(user, candidate):
            return candidate
    _refuse(qs.model, user, pk, pk_int)


def _refuse(model: type[models.Model], user: User, pk: object, pk_int: int | None = None) -> NoReturn:
    from .accesslog import log_denied

    log_denied(user=user, obj_kind=model._meta.label_lower, object_id=pk)
    if pk_int is not None:
        # The 404 page offers a break-glass holder the form for this record (whether or not it
        # exists: the form does not tell either).
        raise RecordHidden(model._meta.label_lower, pk_int)
    raise Http404


# --- writes: the only code that touches visible_to -------------------------------------------


def compute_visible_to(obj: ProtectedModel) -> list[str]:
    tokens = [obj.owner_team.team_token] if obj.owner_team_id else []
    ct = ContentType.objects.get_for_model(type(obj))
    tokens += list(
        ShareGrant.objects.filter(content_type=ct, object_id=obj.pk).values_list("principal", flat=True)
    )
    return sorted(set(tokens))


def refresh_visible_to(obj: ProtectedModel) -> None:
    obj.visible_to = compute_visible_to(obj)
    type(obj)._default_manager.filter(pk=obj.pk).update(visible_to=obj.visible_to)


def principal_for(target: object) -> str:
    from django.contrib.auth.models import Group

    from .models import OrgUnit

    if isinstance(target, User):
        return f"u:{target.pk}"
    if isinstance(target, Group):
        return f"g:{target.pk}"
    if isinstance(target, OrgUnit):
        return target.team_token if target.kind == OrgKind.TEAM else target.org_token
    if isinstance(target, str) and target[:2] in {"u:", "g:", "t:", "o:"}:
        return target
    raise ValueError(f"Not a principal: {target!r}")


@transaction.atomic
def share_grant(*, obj: ProtectedModel, target: object, actor: User, reason: str = "") -> ShareGrant:
    """Share one record with a user, group, team or organisation. Takes effect on the next request."""
    from guardian.shortcuts import assign_perm

    principal = principal_for(target)
    ct = ContentType.objects.get_for_model(type(obj))
    grant, _ = ShareGrant.objects.get_or_create(
        content_type=ct,
        object_id=obj.pk,
        principal=principal,
        defaults={"granted_by": actor, "reason": reason},
    )
    if principal[:2] in {"u:", "g:"}:
        assign_perm(perm_name(type(obj)), target, obj)
    refresh_visible_to(obj)
    return grant


@transaction.atomic
def share_revoke(*, obj: ProtectedModel, target: object, actor: User) -> None:
    from guardian.shortcuts import remove_perm

    principal = principal_for(target)
    ct = ContentType.objects.get_for_model(type(obj))
    ShareGrant.objects.filter(content_type=ct, object_id=obj.pk, principal=principal).delete()
    if principal[:2] in {"u:", "g:"}:
        remove_perm(perm_name(type(obj)), target, obj)
    refresh_visible_to(obj)


def init_visibility(obj: ProtectedModel) -> None:
    """Call from a create service after the first save."""
    refresh_visible_to(obj)
