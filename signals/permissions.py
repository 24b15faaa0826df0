"""The one access module of the signals app: every read of one record comes through here and
answers 404 for anything the user may not see (never 403: existence is not revealed)."""

from __future__ import annotations

from django.http import Http404

from vik.core.access import get_for_user, visible_q
from vik.core.constants import OrgKind
from vik.core.models import User

from .models import Attachment, Control, Finding, ImportBatch, Signal

VIEW_SIGNAL = "signals.view_signal"
ADD_SIGNAL = "signals.add_signal"
CHANGE_SIGNAL = "signals.change_signal"
EXPORT_SIGNAL = "signals.export_signal"
IMPORT_SIGNAL = "signals.import_signal"
FLAG_CASUSTAFEL = "signals.flag_casustafel"
VIEW_CONTROL = "signals.view_control"
ADD_CONTROL = "signals.add_control"
CHANGE_CONTROL = "signals.change_control"


def get_signal_for_user(user: User, pk: object) -> Signal:
    return get_for_user(Signal.objects.select_related("source", "assignee", "owner_team"), user, pk)


def get_signal_for_change(user: User, pk: object) -> Signal:
    signal = get_signal_for_user(user, pk)
    if not user.has_perm(CHANGE_SIGNAL):
        raise Http404
    return signal


def get_attachment_for_user(user: User, signal_pk: object, pk: object) -> Attachment:
    signal = get_signal_for_user(user, signal_pk)
    try:
        return Attachment.objects.select_related("signal").get(signal=signal, pk=int(pk))
    except (Attachment.DoesNotExist, TypeError, ValueError):
        raise Http404


def get_control_for_user(user: User, pk: object) -> Control:
    return get_for_user(Control.objects.select_related("address", "owner_team"), user, pk)


def get_finding_for_user(user: User, pk: object) -> Finding:
    try:
        pk_int = int(pk)
    except (TypeError, ValueError):
        raise Http404
    finding = (
        Finding.objects.select_related("control", "control__address")
        .filter(visible_q(user, Control, prefix="control__"), pk=pk_int)
        .first()
    )
    if finding is None:
        raise Http404
    return finding


def get_import_batch_for_user(user: User, pk: object) -> ImportBatch:
    """An import batch is seen by the person who uploaded it only."""
    if not user.has_perm(IMPORT_SIGNAL):
        raise Http404
    try:
        return ImportBatch.objects.get(pk=int(pk), created_by=user)
    except (ImportBatch.DoesNotExist, TypeError, ValueError):
        raise Http404


def is_partner(user: User) -> bool:
    unit = getattr(user, "org_unit", None)
    return unit is not None and unit.kind == OrgKind.PARTNER


def may_read_narrative(user: User, signal: Signal) -> bool:
    """The M. text is never shown to partners (source protection, DOMAIN §1.1)."""
    if signal.is_mma and is_partner(user):
        return False
    return True


def resolve_signal(user: User, pk: int) -> Signal:
    """Case kind for purposes: a signal the user may see, or Http404."""
    return get_signal_for_user(user, pk)
