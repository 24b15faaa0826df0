"""Cross-cutting services: notifications and break-glass."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .accesslog import log_access
from .constants import AccessAction
from .exceptions import ApplicationError
from .models import BreakGlass, Notification, User

BREAK_GLASS_MINUTES = 60


def notification_send(
    *, user: User, message: str, link: str = "", dedup_key: str | None = None, email: bool = True
) -> Notification | None:
    """Create an in-app notification (and e-mail it). With ``dedup_key`` a second call with the
    same key sends nothing: reminder jobs stay idempotent when they run twice."""
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                user=user, message=message[:500], link=link, dedup_key=dedup_key
            )
    except IntegrityError:
        return None
    if email and user.email:

        def _mail():
            send_mail(
                "VIK: " + message[:120],
                message + (f"\n\n{link}" if link else ""),
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
            Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())

        transaction.on_commit(_mail)
    return note


def notify_permission_holders(*, perm: str, message: str, link: str = "", dedup_key: str = "") -> int:
    app_label, codename = perm.split(".")
    users = (
        User.objects.filter(is_active=True)
        .filter(
            models.Q(
                groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label
            )
            | models.Q(
                user_permissions__codename=codename, user_permissions__content_type__app_label=app_label
            )
        )
        .distinct()
    )
    sent = 0
    for user in users:
        if notification_send(
            user=user, message=message, link=link, dedup_key=f"{dedup_key}:{user.pk}" if dedup_key else None
        ):
            sent += 1
    return sent


@transaction.atomic
def break_glass_open(*, actor: User, obj: models.Model, reason: str, request=None) -> BreakGlass:
    """The privacy officer opens content with a recorded reason; the chair is told at once."""
    if not actor.has_perm("core.break_glass"):
        raise ApplicationError(_("U mag geen break-glass gebruiken."))
    reason = " ".join(reason.split())
    if len(reason) < 20:
        raise ApplicationError(_("Beschrijf de reden in ten minste 20 tekens."), field="reason")
    ct = ContentType.objects.get_for_model(type(obj))
    grant = BreakGlass.objects.create(
        user=actor,
        content_type=ct,
        object_id=obj.pk,
        reason=reason,
        expires_at=timezone.now() + timedelta(minutes=BREAK_GLASS_MINUTES),
    )
    log_access(user=actor, action=AccessAction.BREAK_GLASS, obj=obj, purpose=reason, request=request)
    notify_permission_holders(
        perm="core.view_all_teams",
        message=_("Break-glass door %(u)s op %(o)s: %(r)s")
        % {"u": actor.get_username(), "o": obj._meta.verbose_name, "r": reason},
        dedup_key=f"breakglass-{grant.pk}",
    )
    return grant
