"""Cross-cutting services: notifications and break-glass."""

from __future__ import annotations

import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .accesslog import log_access
from .constants import AccessAction, EmailStatus
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
            wants_mail = bool(email and user.email)
            note = Notification.objects.create(
                user=user,
                message=message[:500],
                link=link,
                dedup_key=dedup_key,
                email_status=EmailStatus.PENDING if wants_mail else EmailStatus.NONE,
            )
            if wants_mail:
                # Through the outbox and a retried task: an SMTP (or Redis) failure neither
                # aborts the caller (e.g. the deadline scan) nor counts the e-mail as sent.
                from .outbox import enqueue

                enqueue("vik.core.send_notification_email", note.pk)
    except IntegrityError:
        return None
    return note


def notification_email_deliver(*, notification_id: int) -> str:
    """Send a notification's e-mail once. Returns "sent", "skipped" (already sent, or nothing to
    send) or "retry" (SMTP failed; the state says so)."""
    with transaction.atomic():
        note = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=notification_id)
            .first()
        )
        if note is None or note.email_status in (EmailStatus.SENT, EmailStatus.NONE) or not note.user.email:
            return "skipped"
        try:
            send_mail(
                "VIK: " + note.message[:120],
                note.message + (f"\n\n{note.link}" if note.link else ""),
                settings.DEFAULT_FROM_EMAIL,
                [note.user.email],
            )
        except (OSError, smtplib.SMTPException) as exc:
            note.email_status = EmailStatus.RETRYING
            note.email_attempts += 1
            note.email_error = f"{type(exc).__name__}: {exc}"[:300]
            note.save(update_fields=["email_status", "email_attempts", "email_error", "updated_at"])
            return "retry"
        note.email_status = EmailStatus.SENT
        note.email_attempts += 1
        note.email_error = ""
        note.emailed_at = timezone.now()
        note.save(update_fields=["email_status", "email_attempts", "email_error", "emailed_at", "updated_at"])
    return "sent"


def notification_email_give_up(*, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, email_status=EmailStatus.RETRYING).update(
        email_status=EmailStatus.FAILED, updated_at=timezone.now()
    )


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


LOGGING_CONTROLS_PERM = "core.view_logging_controls"


def access_log_verify(*, trigger: str, progress=None):
    """Verify the access-log chain and record the run (``AccessLogVerification``). A broken
    chain opens an incident notice for everyone responsible for the logging controls (the
    privacy officer, and the functional admin standing in for the security officer): one notice
    per finding, so a chain that stays broken does not flood them, while every nightly run
    still shows in the history. Returns the run."""
    from django.urls import NoReverseMatch, reverse

    from .accesslog import verify_chain
    from .models import AccessLogVerification
    from .tracing import current

    trace = current()
    run = AccessLogVerification.objects.create(trigger=trigger, trace_id=trace.trace_id if trace else "")
    counted = [0]

    def count(n: int) -> None:
        counted[0] += n
        if progress:
            progress(n)

    broken = verify_chain(progress=count)
    run.finished_at = timezone.now()
    run.rows_checked = counted[0]
    run.ok = broken is None
    if broken is not None:
        run.broken_row_id = broken.row_id or None
        run.reason = broken.reason[:300]
    run.save(update_fields=["finished_at", "rows_checked", "ok", "broken_row_id", "reason"])
    if broken is not None:
        try:
            link = reverse("privacy:logs")
        except NoReverseMatch:
            link = ""
        where = _("bij rij %(row)s") % {"row": broken.row_id} if broken.row_id else _("aan het einde")
        notify_permission_holders(
            perm=LOGGING_CONTROLS_PERM,
            message=_(
                "Beveiligingsincident: de controle van het toegangslogboek vond de keten verbroken "
                "%(where)s (%(reason)s). Behandel dit als incident (BIO2 12.4)."
            )
            % {"where": where, "reason": broken.reason},
            link=link,
            dedup_key=f"accesslog-broken-{broken.row_id}-{broken.reason[:60]}",
        )
    return run
