"""Writes of the identity app: accounts from the IdP's claims (matched on sub), the group mapping,
local-login policy, idle deactivation and the quarterly access review."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core.constants import OrgKind
from vik.core.exceptions import ApplicationError
from vik.core.models import User
from vik.core.services import notification_send, notify_permission_holders

from .models import (
    AccessReview,
    AccessReviewLine,
    ClearanceNeedsApproval,
    Deactivation,
    GroupMapping,
    OidcIdentity,
    TeamLeadership,
    UnknownIdpGroup,
)
from .oidc import OidcRefused

logger = logging.getLogger("vik.identity")

ADMIN_PERM = "core.manage_configuration"
PRIVACY_PERM = "core.view_access_log"


# --- accounts from claims -------------------------------------------------------------------


def claim_groups(claims: dict) -> list[str]:
    raw = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        return []
    return sorted({g.strip() for g in raw if isinstance(g, str) and g.strip() and len(g) <= 255})


def _report_unknown_groups(names: set[str]) -> None:
    now = timezone.now()
    for name in sorted(names):
        row, created = UnknownIdpGroup.objects.get_or_create(name=name, defaults={"last_seen_at": now})
        if not created:
            UnknownIdpGroup.objects.filter(pk=row.pk).update(last_seen_at=now, times_seen=F("times_seen") + 1)
        if created or not row.handled:
            notify_permission_holders(
                perm=ADMIN_PERM,
                message=_(
                    "Onbekende groep van de identity provider genegeerd: %(g)s. Leg een groepskoppeling vast of markeer de groep als afgehandeld."
                )
                % {"g": name},
                link="/beheer/identity/unknownidpgroup/",
                dedup_key=f"idp-unknown-group-{row.pk}",
            )
        logger.warning("oidc: unknown IdP group ignored", extra={"idp_group": name})


def _unique_username(claims: dict) -> str:
    base = str(claims.get("preferred_username") or claims.get("sub"))
    base = re.sub(r"[^\w.@+-]", "", base.split("@")[0] if "@" in base else base)[:120] or "gebruiker"
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def oidc_user_sync(*, claims: dict, iss: str) -> User:
    """The VIK account for these (validated) claims, with roles and team from the mapping.

    Found by (issuer, sub) only. A person none of whose groups maps to a role or team gets no
    account. A deactivated account stays deactivated (refused). Clearances are never granted:
    a mapping that implies one leaves a note for the functional admin."""
    sub = claims["sub"]
    groups = claim_groups(claims)
    mappings = list(GroupMapping.objects.filter(idp_group__in=groups).select_related("role", "org_unit"))
    mapped = {m.idp_group for m in mappings}
    unknown = set(groups) - mapped
    if unknown:
        _report_unknown_groups(unknown)
    identity = OidcIdentity.objects.select_related("user").filter(issuer=iss, sub=sub).first()
    if identity is not None and not identity.user.is_active:
        raise OidcRefused(
            "account_inactive",
            _("Uw VIK-account is gedeactiveerd. Neem contact op met de functioneel beheerder."),
        )
    if not any(m.role_id or m.org_unit_id for m in mappings):
        raise OidcRefused(
            "no_mapped_group",
            _("Uw gemeenteaccount geeft geen toegang tot VIK. Vraag uw leidinggevende om toegang."),
        )
    if identity is None:
        try:
            with transaction.atomic():
                user = User(username=_unique_username(claims), is_active=True, clearances=["general"])
                user.set_unusable_password()  # signs in at the IdP only
                user.save()
                identity = OidcIdentity.objects.create(user=user, issuer=iss, sub=sub)
            logger.info("oidc: account created", extra={"user_id": user.pk})
        except IntegrityError:  # the same person's first login in two tabs at once
            identity = OidcIdentity.objects.select_related("user").get(issuer=iss, sub=sub)
    with transaction.atomic():
        user = identity.user
        _apply_claims(user, claims, mappings)
        OidcIdentity.objects.filter(pk=identity.pk).update(last_groups=groups, last_refresh_at=timezone.now())
    return user


def _apply_claims(user: User, claims: dict, mappings: list[GroupMapping]) -> None:
    for attr, claim, limit in (("first_name", "given_name", 150), ("last_name", "family_name", 150)):
        value = claims.get(claim)
        if isinstance(value, str) and value:
            setattr(user, attr, value[:limit])
    if not user.first_name and isinstance(claims.get("name"), str):
        user.first_name = claims["name"][:150]
    email = claims.get("email")
    if isinstance(email, str) and "@" in email and len(email) <= 254:
        user.email = email  # contact only: never used to find the account
    units = sorted({m.org_unit for m in mappings if m.org_unit_id}, key=lambda u: u.code)  # type: ignore[union-attr]
    user.org_unit = units[0] if units else None
    user.save()
    roles = {m.role for m in mappings if m.role_id}
    # the IdP is the source of an IdP account's roles
    user.groups.set(roles)  # type: ignore[arg-type]
    user._vik_group_pairs = None  # type: ignore[assignment]
    lead = {m.org_unit_id for m in mappings if m.team_leader and m.org_unit_id}
    TeamLeadership.objects.filter(user=user, from_idp=True).exclude(org_unit_id__in=lead).delete()
    for unit_id in lead:
        TeamLeadership.objects.get_or_create(user=user, org_unit_id=unit_id, defaults={"from_idp": True})
    # Clearances: never from a claim. Close notes the approval flow has since satisfied, open
    # notes for compartments the user still lacks.
    ClearanceNeedsApproval.objects.filter(
        user=user, resolved_at__isnull=True, compartment__in=user.clearances
    ).update(resolved_at=timezone.now())
    for m in mappings:
        if m.implies_clearance and m.implies_clearance not in user.clearances:
            note, created = ClearanceNeedsApproval.objects.get_or_create(
                user=user,
                compartment=m.implies_clearance,
                resolved_at=None,
                defaults={"idp_group": m.idp_group},
            )
            if created:
                notify_permission_holders(
                    perm=ADMIN_PERM,
                    message=_(
                        "%(u)s zit in IdP-groep %(g)s die compartiment %(c)s vraagt. Dat wordt niet automatisch toegekend: start de goedkeuring."
                    )
                    % {"u": user.get_username(), "g": m.idp_group, "c": note.get_compartment_display()},
                    link="/beheer/identity/clearanceneedsapproval/",
                    dedup_key=f"clearance-needs-approval-{note.pk}",
                )


def local_login_refusal(user: User) -> str | None:
    """When local login is switched off for municipal staff: the Dutch refusal, else None.
    Partners (organisation units of kind partner) always keep local login with TOTP."""
    if settings.OIDC_LOCAL_LOGIN_STAFF:
        return None
    is_staff_member = OidcIdentity.objects.filter(user=user).exists() or (
        user.org_unit is not None and user.org_unit.kind == OrgKind.TEAM
    )
    if is_staff_member and not user.is_superuser:
        return _("Medewerkers van de gemeente loggen in met hun gemeenteaccount.")
    return None


# --- idle deactivation ----------------------------------------------------------------------


def deactivate_idle_users(*, now: datetime | None = None) -> list[User]:
    """Deactivate active accounts without a login for VIK_IDLE_DEACTIVATE_DAYS days (never
    logged in: counted from the day the account was made) and tell the functional admin."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.VIK_IDLE_DEACTIVATE_DAYS)
    idle = list(
        User.objects.filter(is_active=True)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .order_by("username")
    )
    for user in idle:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(is_active=False)
            Deactivation.objects.create(
                user=user, reason=Deactivation.Reason.IDLE, last_login=user.last_login
            )
        logger.info("identity: idle account deactivated", extra={"user_id": user.pk})
    if idle:
        names = ", ".join(u.get_username() for u in idle[:20]) + (" …" if len(idle) > 20 else "")
        notify_permission_holders(
            perm=ADMIN_PERM,
            message=_("%(n)d account(s) gedeactiveerd na %(d)d dagen zonder inloggen: %(names)s")
            % {"n": len(idle), "d": settings.VIK_IDLE_DEACTIVATE_DAYS, "names": names},
            link="/beheer/identity/deactivation/",
            dedup_key=f"idle-deactivation-{timezone.localdate(now).isoformat()}",
        )
    return idle


# --- quarterly access review (BIO2) ---------------------------------------------------------


def quarter_of(day) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def access_review_start(*, now: datetime | None = None) -> AccessReview:
    """Open this quarter's review (idempotent): one line per active account, as its rights stand
    now, for the leader(s) of its team; accounts without a team leader go to the functional
    admin (reviewer empty)."""
    now = now or timezone.now()
    period = quarter_of(timezone.localdate(now))
    with transaction.atomic():
        review, created = AccessReview.objects.get_or_create(period=period)
        if not created:
            return review
        leaders: dict[int, list[int]] = {}
        for unit_id, user_id in (
            TeamLeadership.objects.filter(user__is_active=True)
            .order_by("org_unit_id", "user_id")
            .values_list("org_unit_id", "user_id")
        ):
            leaders.setdefault(unit_id, []).append(user_id)
        people = User.objects.filter(is_active=True).select_related("org_unit").prefetch_related("groups")
        lines = []
        for person in people.order_by("username"):
            candidates = [u for u in leaders.get(person.org_unit_id, []) if u != person.pk]  # type: ignore[arg-type]
            lines.append(
                AccessReviewLine(
                    review=review,
                    person=person,
                    reviewer_id=candidates[0] if candidates else None,
                    org_unit=person.org_unit,
                    roles=", ".join(sorted(g.name for g in person.groups.all()))[:500],
                    clearances=", ".join(person.clearances)[:200],
                    last_login=person.last_login,
                )
            )
        AccessReviewLine.objects.bulk_create(lines)
    reviewers = {line.reviewer_id for line in lines if line.reviewer_id}
    for reviewer in User.objects.filter(pk__in=reviewers):
        notification_send(
            user=reviewer,
            message=_("Kwartaalreview toegangsrechten %(p)s: bevestig of trek de rechten van uw team in.")
            % {"p": period},
            link="/toegangsreview/",
            dedup_key=f"access-review-{review.pk}-{reviewer.pk}",
        )
    if any(line.reviewer_id is None for line in lines):
        notify_permission_holders(
            perm=ADMIN_PERM,
            message=_("Kwartaalreview %(p)s: accounts zonder teamleider wachten op uw beoordeling.")
            % {"p": period},
            link="/toegangsreview/",
            dedup_key=f"access-review-unassigned-{review.pk}",
        )
    return review


def can_decide(user: User, line: AccessReviewLine) -> bool:
    if line.person_id == user.pk:
        return False  # nobody confirms their own rights
    if line.reviewer_id is not None:
        return line.reviewer_id == user.pk
    return user.has_perm(ADMIN_PERM)


def access_review_decide(*, actor: User, line: AccessReviewLine, decision: str, note: str = "") -> None:
    if decision not in (AccessReviewLine.Decision.CONFIRMED, AccessReviewLine.Decision.REVOKED):
        raise ApplicationError(_("Kies bevestigen of intrekken."), field="decision")
    if not can_decide(actor, line):
        raise ApplicationError(_("U mag deze regel niet beoordelen."))
    note = " ".join(note.split())[:300]
    if decision == AccessReviewLine.Decision.REVOKED and len(note) < 5:
        raise ApplicationError(_("Geef bij intrekken een korte reden op."), field="note")
    with transaction.atomic():
        locked = AccessReviewLine.objects.select_for_update().get(pk=line.pk)
        if locked.decision != AccessReviewLine.Decision.PENDING:
            raise ApplicationError(_("Over deze regel is al beslist."))
        locked.decision = decision
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.note = note
        locked.save(update_fields=["decision", "decided_by", "decided_at", "note", "updated_at"])
        if decision == AccessReviewLine.Decision.REVOKED:
            person = User.objects.select_for_update().get(pk=line.person_id)
            person.is_active = False
            person.clearances = []
            person.save(update_fields=["is_active", "clearances"])
            person.groups.clear()
            Deactivation.objects.create(
                user=person, reason=Deactivation.Reason.REVIEW, last_login=person.last_login, detail=note
            )
    if decision == AccessReviewLine.Decision.REVOKED:
        notify_permission_holders(
            perm=ADMIN_PERM,
            message=_("Toegangsreview: rechten van %(u)s ingetrokken door %(a)s: %(n)s")
            % {"u": line.person.get_username(), "a": actor.get_username(), "n": note},
            dedup_key=f"access-review-revoked-{line.pk}",
        )


def access_review_flag_overdue(*, now: datetime | None = None) -> int:
    """Lines still pending 30 days after their review started: flagged to the privacy officer."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.VIK_ACCESS_REVIEW_FLAG_DAYS)
    overdue = AccessReviewLine.objects.filter(
        decision=AccessReviewLine.Decision.PENDING, flagged_at__isnull=True, review__created_at__lte=cutoff
    )
    by_review: dict[int, int] = {}
    for review_id in overdue.values_list("review_id", flat=True):
        by_review[review_id] = by_review.get(review_id, 0) + 1
    count = overdue.update(flagged_at=now)
    for review in AccessReview.objects.filter(pk__in=by_review):
        AccessReview.objects.filter(pk=review.pk, flagged_at__isnull=True).update(flagged_at=now)
        notify_permission_holders(
            perm=PRIVACY_PERM,
            message=_("Toegangsreview %(p)s: %(n)d regel(s) na %(d)d dagen nog niet beoordeeld.")
            % {"p": review.period, "n": by_review[review.pk], "d": settings.VIK_ACCESS_REVIEW_FLAG_DAYS},
            link="/toegangsreview/",
            dedup_key=f"access-review-overdue-{review.pk}-{timezone.localdate(now).isoformat()}",
        )
    return count
