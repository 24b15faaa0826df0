"""User management for the functional admin, built as least privilege (separation of duties).

- The functional admin (``core.manage_users``) creates users, edits their names, e-mail and
  organisation unit, revokes roles and clearances, (de)activates accounts and sends a user a
  link to set their own password. Nothing here ever sets ``is_superuser``, ``is_staff``, raw
  ``user_permissions`` or anyone's password: superusers are made on the command line only
  (``manage.py createsuperuser``) and passwords only through the user's own reset flow.
- Nobody changes their own roles, clearances, organisation unit or active state.
- A role or clearance that opens more than general content (a compartment: MMA, police, Bibob;
  or a role holding a sensitive permission such as break-glass, the access log, all teams or
  user management) is a :class:`GrantRequest` that takes effect only when a second person
  approves it: a holder of ``core.approve_access_grant`` (privacy officer or another functional
  admin) who is neither the requester nor the user concerned. Every step writes a
  :class:`UserChange` row (append-only history) in the same transaction.

Other features that want to give a user access (the OIDC group mapping) call
:func:`clearance_grant_request` / :func:`role_grant_request` with ``actor=None`` and
``source="oidc"``: sensitive grants then wait for a person's approval like any other.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .constants import Compartment
from .exceptions import ApplicationError
from .models import GrantRequest, OrgUnit, User, UserChange

MANAGE_USERS = "core.manage_users"
APPROVE_GRANTS = "core.approve_access_grant"
MIN_REASON = 10

#: Permissions that make a role "sensitive": granting such a role needs a second person.
SENSITIVE_PERMISSIONS = {
    "core.view_all_teams",
    "core.break_glass",
    "core.view_access_log",
    "core.manage_configuration",
    MANAGE_USERS,
    APPROVE_GRANTS,
}
#: Apps whose permissions open a compartment by themselves (Bibob material under art. 28 Wet Bibob).
SENSITIVE_APPS = {"bibob"}


# --- rules ------------------------------------------------------------------------------------


def clearance_needs_approval(clearance: str) -> bool:
    return clearance != Compartment.GENERAL


def role_needs_approval(group: Group) -> bool:
    """Data-driven (no group names in code): a role is sensitive when it holds a sensitive
    permission or any permission of a compartment's app."""
    for app, code in Permission.objects.filter(group=group).values_list(
        "content_type__app_label", "codename"
    ):
        if f"{app}.{code}" in SENSITIVE_PERMISSIONS or app in SENSITIVE_APPS:
            return True
    return False


def _reason(reason: str, field: str = "reason") -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise ApplicationError(
            _("Geef een reden van ten minste %(n)d tekens.") % {"n": MIN_REASON}, field=field
        )
    return reason[:500]


def _require_manager(actor: User | None, user: User) -> None:
    """The actor may manage ``user``: holds the permission, is not the user, and the user is not
    a superuser (those are managed on the command line)."""
    if actor is None:
        return
    if not (actor.is_active and actor.has_perm(MANAGE_USERS)):
        raise ApplicationError(_("U mag geen gebruikers beheren."))
    if actor.pk == user.pk:
        raise ApplicationError(_("U kunt uw eigen rollen, compartimenten en account niet wijzigen."))
    if user.is_superuser:
        raise ApplicationError(_("Dit account wordt alleen via de opdrachtregel beheerd."))


def _history(*, actor, user, action, detail="", reason="", grant_request=None) -> UserChange:
    return UserChange.objects.create(
        actor=actor, user=user, action=action, detail=detail[:300], reason=reason, grant_request=grant_request
    )


def _notify_deciders(grant: GrantRequest) -> None:
    from django.db.models import Q

    from .services import notification_send

    deciders = (
        User.objects.filter(is_active=True)
        .filter(
            Q(
                groups__permissions__codename="approve_access_grant",
                groups__permissions__content_type__app_label="core",
            )
        )
        .exclude(pk=grant.user_id)
        .distinct()
    )
    if grant.requested_by_id:
        deciders = deciders.exclude(pk=grant.requested_by_id)
    link = reverse("core:grant_requests")
    for decider in deciders:
        notification_send(
            user=decider,
            message=_("Aanvraag ter goedkeuring: %(what)s voor %(user)s")
            % {"what": grant.what, "user": grant.user.get_username()},
            link=link,
            dedup_key=f"grantrequest-{grant.pk}:{decider.pk}",
            email=False,
        )


# --- account ----------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *, actor: User, username: str, first_name: str, last_name: str, email: str, org_unit: OrgUnit | None
) -> User:
    """A new account without roles, clearances or a password: the user sets the password through
    the link :func:`password_reset_send` e-mails to them; roles and clearances follow by request."""
    if not (actor.is_active and actor.has_perm(MANAGE_USERS)):
        raise ApplicationError(_("U mag geen gebruikers beheren."))
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(_("Deze gebruikersnaam bestaat al."), field="username")
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        org_unit=org_unit,
        clearances=[],
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    _history(
        actor=actor, user=user, action="create", detail=f"organisatie {org_unit.code if org_unit else '-'}"
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    org_unit: OrgUnit | None,
    reason: str = "",
) -> User:
    _require_manager(actor, user)
    changes = []
    if org_unit != user.org_unit:
        # The organisation unit decides which team's records the user sees: a reason is required.
        reason = _reason(reason)
        changes.append(
            f"organisatie {user.org_unit.code if user.org_unit else '-'} -> {org_unit.code if org_unit else '-'}"
        )
    old_email = user.email
    if email != old_email:
        changes.append("e-mailadres gewijzigd")
        if old_email:
            # The address receives password links: its owner hears of the change, so that an
            # address swapped by someone else does not go unnoticed.
            transaction.on_commit(
                lambda: send_mail(
                    _("VIK: uw e-mailadres is gewijzigd"),
                    _(
                        "Het e-mailadres van uw VIK-account is gewijzigd door een beheerder. Herkent u "
                        "dit niet? Neem dan direct contact op met de servicedesk."
                    ),
                    settings.DEFAULT_FROM_EMAIL,
                    [old_email],
                )
            )
    if (first_name, last_name) != (user.first_name, user.last_name):
        changes.append("naam gewijzigd")
    user.first_name, user.last_name, user.email, user.org_unit = first_name, last_name, email, org_unit
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "email", "org_unit"])
    if changes:
        _history(actor=actor, user=user, action="update", detail="; ".join(changes), reason=reason)
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User, reason: str) -> User:
    """Takes effect on the user's next request: the authentication backend refuses inactive users
    when it loads the session's user, so an open session ends at once."""
    _require_manager(actor, user)
    reason = _reason(reason)
    user.is_active = False
    user.save(update_fields=["is_active"])
    _history(actor=actor, user=user, action="deactivate", reason=reason)
    return user


@transaction.atomic
def user_activate(*, actor: User, user: User, reason: str) -> User:
    _require_manager(actor, user)
    reason = _reason(reason)
    user.is_active = True
    user.save(update_fields=["is_active"])
    _history(actor=actor, user=user, action="activate", reason=reason)
    return user


def password_reset_send(*, actor: User, user: User, request=None) -> None:
    """E-mail the user a one-time link to set their own password. The admin never sees the link
    and never types a password; the second factor (TOTP) still applies at the next login."""
    _require_manager(actor, user)
    if not user.email:
        raise ApplicationError(_("Deze gebruiker heeft geen e-mailadres; vul dat eerst in."))
    if not user.is_active:
        raise ApplicationError(_("Dit account is gedeactiveerd."))
    path = reverse(
        "core:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    link = request.build_absolute_uri(path) if request is not None else path
    with transaction.atomic():
        _history(actor=actor, user=user, action="password_reset_sent", detail=_("herstellink gemaild"))

    def _mail():
        send_mail(
            _("VIK: stel uw wachtwoord in"),
            _(
                "Via de onderstaande link stelt u zelf een (nieuw) wachtwoord in voor VIK. De link is "
                "eenmalig bruikbaar. Heeft u hier niet om gevraagd? Neem dan contact op met de servicedesk."
            )
            + f"\n\n{link}",
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )

    transaction.on_commit(_mail)


# --- roles and clearances ---------------------------------------------------------------------


def _grant_request(*, actor, user, kind, group, clearance, reason, source) -> GrantRequest:
    _require_manager(actor, user)
    reason = _reason(reason)
    if kind == GrantRequest.Kind.ROLE:
        if user.groups.filter(pk=group.pk).exists():
            raise ApplicationError(_("De gebruiker heeft deze rol al."), field="group")
        sensitive = role_needs_approval(group)
    else:
        if clearance not in Compartment.values:
            raise ApplicationError(_("Onbekend compartiment."), field="clearance")
        if clearance in user.clearances:
            raise ApplicationError(_("De gebruiker heeft dit compartiment al."), field="clearance")
        sensitive = clearance_needs_approval(clearance)
    pending = GrantRequest.objects.filter(
        user=user, kind=kind, group=group, clearance=clearance or "", status=GrantRequest.Status.PENDING
    ).first()
    if pending is not None:
        raise ApplicationError(
            _("Er loopt al een aanvraag hiervoor."), field="group" if group else "clearance"
        )
    grant = GrantRequest.objects.create(
        user=user,
        kind=kind,
        group=group,
        clearance=clearance or "",
        reason=reason,
        source=source,
        requested_by=actor,
    )
    _history(actor=actor, user=user, action="request", detail=grant.what, reason=reason, grant_request=grant)
    if sensitive:
        transaction.on_commit(lambda: _notify_deciders(grant))
        return grant
    # Nothing beyond general content: no second person needed.
    _apply(grant)
    grant.status = GrantRequest.Status.APPROVED
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant.decision_note = _("geen tweede goedkeuring nodig")
    grant.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    _history(actor=actor, user=user, action="grant", detail=grant.what, reason=reason, grant_request=grant)
    return grant


@transaction.atomic
def role_grant_request(
    *, actor: User | None, user: User, group: Group, reason: str, source: str = "beheer"
) -> GrantRequest:
    """Ask for ``group`` for ``user``. Applied at once when the role holds nothing sensitive,
    otherwise pending until a second person decides (:func:`grant_request_decide`)."""
    return _grant_request(
        actor=actor,
        user=user,
        kind=GrantRequest.Kind.ROLE,
        group=group,
        clearance="",
        reason=reason,
        source=source,
    )


@transaction.atomic
def clearance_grant_request(
    *, actor: User | None, user: User, clearance: str, reason: str, source: str = "beheer"
) -> GrantRequest:
    """Ask for a compartment clearance for ``user``. ``general`` is applied at once; MMA, police
    and Bibob wait for a second person (:func:`clearance_grant_decide`)."""
    return _grant_request(
        actor=actor,
        user=user,
        kind=GrantRequest.Kind.CLEARANCE,
        group=None,
        clearance=clearance,
        reason=reason,
        source=source,
    )


def _apply(grant: GrantRequest) -> None:
    user = User.objects.select_for_update().get(pk=grant.user_id)
    if grant.kind == GrantRequest.Kind.ROLE:
        user.groups.add(grant.group)  # type: ignore[arg-type]
    elif grant.clearance not in user.clearances:
        user.clearances = [*user.clearances, grant.clearance]
        user.save(update_fields=["clearances"])


@transaction.atomic
def grant_request_decide(
    *, actor: User, request: GrantRequest, approve: bool, note: str = ""
) -> GrantRequest:
    """The second person approves or rejects. Never the requester, never the user concerned."""
    grant = (
        GrantRequest.objects.select_for_update(of=("self",))
        .select_related("user", "group")
        .get(pk=request.pk)
    )
    if not (actor.is_active and actor.has_perm(APPROVE_GRANTS)):
        raise ApplicationError(_("U mag geen aanvragen beoordelen."))
    if grant.status != GrantRequest.Status.PENDING:
        raise ApplicationError(_("Over deze aanvraag is al besloten."))
    if actor.pk == grant.user_id:
        raise ApplicationError(_("U kunt niet over uw eigen rollen of compartimenten beslissen."))
    if actor.pk == grant.requested_by_id:
        raise ApplicationError(_("Een tweede persoon moet de aanvraag beoordelen, niet de aanvrager."))
    note = " ".join((note or "").split())[:500]
    if not approve and len(note) < MIN_REASON:
        raise ApplicationError(
            _("Geef bij een afwijzing een toelichting van ten minste %(n)d tekens.") % {"n": MIN_REASON},
            field="note",
        )
    if approve:
        if not grant.user.is_active:
            raise ApplicationError(_("Dit account is gedeactiveerd."))
        _apply(grant)
    grant.status = GrantRequest.Status.APPROVED if approve else GrantRequest.Status.REJECTED
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant.decision_note = note
    grant.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    _history(
        actor=actor,
        user=grant.user,
        action="grant" if approve else "reject",
        detail=grant.what,
        reason=note or grant.reason,
        grant_request=grant,
    )
    return grant


#: The name another feature (the OIDC group mapping) calls for a clearance decision.
clearance_grant_decide = grant_request_decide


@transaction.atomic
def role_revoke(*, actor: User, user: User, group: Group, reason: str) -> None:
    """Taking a role away needs no second person (least privilege), but never one's own."""
    _require_manager(actor, user)
    reason = _reason(reason)
    if not user.groups.filter(pk=group.pk).exists():
        raise ApplicationError(_("De gebruiker heeft deze rol niet."), field="group")
    user.groups.remove(group)
    _history(
        actor=actor,
        user=user,
        action="revoke",
        detail=_("rol %(name)s") % {"name": group.name},
        reason=reason,
    )


@transaction.atomic
def clearance_revoke(*, actor: User, user: User, clearance: str, reason: str) -> None:
    _require_manager(actor, user)
    reason = _reason(reason)
    user = User.objects.select_for_update().get(pk=user.pk)
    if clearance not in user.clearances:
        raise ApplicationError(_("De gebruiker heeft dit compartiment niet."), field="clearance")
    user.clearances = [c for c in user.clearances if c != clearance]
    user.save(update_fields=["clearances"])
    _history(
        actor=actor,
        user=user,
        action="revoke",
        detail=_("compartiment %(name)s") % {"name": Compartment(clearance).label},
        reason=reason,
    )


# --- reads ------------------------------------------------------------------------------------


def can_manage_users(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(MANAGE_USERS))


def can_decide_grants(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(APPROVE_GRANTS))


def user_list(*, q: str = "", limit: int = 200):
    """Accounts the functional admin manages (superusers are command-line only: not listed)."""
    from django.db.models import Q

    qs = User.objects.filter(is_superuser=False).select_related("org_unit").prefetch_related("groups")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q))
    return qs.order_by("username")[:limit]


def get_managed_user(pk) -> User | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**31:
        return None
    return User.objects.filter(pk=pk, is_superuser=False).select_related("org_unit").first()


def user_overview(*, user: User) -> dict:
    return {
        "roles": list(user.groups.order_by("name")),
        "clearance_labels": [Compartment(c).label for c in user.clearances if c in Compartment.values],
        "requests": list(
            GrantRequest.objects.filter(user=user).select_related("group", "requested_by", "decided_by")[:50]
        ),
        "history": list(UserChange.objects.filter(user=user).select_related("actor")[:100]),
    }


def grant_requests_pending():
    return list(
        GrantRequest.objects.filter(status=GrantRequest.Status.PENDING)
        .select_related("user", "user__org_unit", "group", "requested_by")
        .order_by("created_at")
    )


def grant_requests_decided(*, limit: int = 50):
    return list(
        GrantRequest.objects.exclude(status=GrantRequest.Status.PENDING)
        .select_related("user", "group", "requested_by", "decided_by")
        .order_by("-decided_at")[:limit]
    )


def get_grant_request(pk: int) -> GrantRequest | None:
    if not 0 < pk < 2**63:
        return None
    return GrantRequest.objects.filter(pk=pk).select_related("user", "group").first()
