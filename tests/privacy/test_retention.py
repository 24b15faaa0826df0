"""Retention: records become due exactly on the rule's date, legal holds, the two-person
approval, complete removal and restart after a worker died halfway."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from auditlog.models import LogEntry
from auditlog.registry import auditlog

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction

from tests.privacy.conftest import LABEL
from vik.core.accesslog import log_access, verify_chain
from vik.core.constants import AccessAction
from vik.core.exceptions import ApplicationError
from vik.core.models import AccessLog, LogRef, Notification, ShareGrant
from vik.privacy.constants import ItemState, ListStatus
from vik.privacy.models import (
    DestructionItem,
    LegalHold,
    Rectification,
    Restriction,
    Tombstone,
)
from vik.privacy.selectors import is_restricted
from vik.privacy.services import (
    destruction_list_approve,
    destruction_list_carry_out,
    legal_hold_release,
    legal_hold_set,
    rectification_apply,
    restriction_set,
    retention_rule_update,
    retention_sweep,
)

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db


def make_notice(user, when: datetime, message: str = "Inhoud") -> Notification:
    with time_machine.travel(when, tick=False):
        return Notification.objects.create(user=user, message=message)


def sweep_on(day: date):
    with time_machine.travel(datetime(day.year, day.month, day.day, 2, 30, tzinfo=AMS), tick=False):
        return retention_sweep()


def approve_twice(dl, first, second):
    destruction_list_approve(actor=first, destruction_list=dl)
    destruction_list_approve(actor=second, destruction_list=dl)


def test_record_becomes_due_exactly_on_the_rules_date(users, notice_class, notice_rule):
    notice_rule(period_value=1, period_unit="years")
    note = make_notice(users["analyst"], datetime(2024, 3, 15, 10, 0, tzinfo=AMS))

    assert sweep_on(date(2025, 3, 14)).queued == 0
    result = sweep_on(date(2025, 3, 15))
    assert result.queued == 1
    item = result.destruction_list.items.get()
    assert (item.model_label, item.object_id, item.due_date) == (LABEL, note.pk, date(2025, 3, 15))
    # the next night does not queue it a second time
    assert sweep_on(date(2025, 3, 16)).queued == 0


def test_legal_calendar_moves_the_due_date_past_the_weekend(users, notice_class, notice_rule):
    # 15 March 2025 is a Saturday: under the Atw the term ends on Monday 17 March.
    notice_rule(period_value=12, period_unit="months", uses_legal_calendar=True)
    make_notice(users["analyst"], datetime(2024, 3, 15, 23, 30, tzinfo=AMS))  # local date counts, not UTC
    assert sweep_on(date(2025, 3, 15)).queued == 0
    assert sweep_on(date(2025, 3, 16)).queued == 0
    result = sweep_on(date(2025, 3, 17))
    assert result.queued == 1
    assert result.destruction_list.items.get().due_date == date(2025, 3, 17)


def test_held_record_is_not_queued_and_survives(users, notice_class, notice_rule, records_manager):
    notice_rule()
    held = make_notice(users["analyst"], datetime(2023, 1, 10, 9, tzinfo=AMS))
    other = make_notice(users["analyst"], datetime(2023, 1, 10, 9, tzinfo=AMS))
    legal_hold_set(
        actor=users["chair"], model_label=LABEL, object_id=held.pk, reason="Bezwaar tegen sluiting loopt nog"
    )

    result = sweep_on(date(2024, 6, 1))
    assert result.held == [(LABEL, held.pk)]
    assert list(result.destruction_list.items.values_list("object_id", flat=True)) == [other.pk]
    approve_twice(result.destruction_list, users["privacy_officer"], records_manager)
    destruction_list_carry_out(destruction_list=result.destruction_list)
    assert Notification.objects.filter(pk=held.pk).exists()
    assert not Notification.objects.filter(pk=other.pk).exists()


def test_hold_set_after_the_list_was_made_still_stops_destruction(
    users, notice_class, notice_rule, records_manager
):
    notice_rule()
    note = make_notice(users["analyst"], datetime(2023, 1, 10, 9, tzinfo=AMS))
    dl = sweep_on(date(2024, 6, 1)).destruction_list
    hold = legal_hold_set(
        actor=users["privacy_officer"],
        model_label=LABEL,
        object_id=note.pk,
        reason="Rechtszaak bij de rechtbank Overijssel",
    )
    approve_twice(dl, users["privacy_officer"], records_manager)
    destruction_list_carry_out(destruction_list=dl)
    assert Notification.objects.filter(pk=note.pk).exists()
    assert dl.items.get().state == ItemState.HELD
    assert not Tombstone.objects.exists()
    # once the hold is released, the next sweep queues it again
    legal_hold_release(actor=users["privacy_officer"], hold=hold, reason="Rechtszaak is afgerond")
    assert sweep_on(date(2024, 6, 2)).queued == 1


def test_hold_needs_a_reason_and_the_right_role(users, notice_class):
    with pytest.raises(ApplicationError) as exc:
        legal_hold_set(actor=users["chair"], model_label=LABEL, object_id=1, reason="kort")
    assert exc.value.field == "reason"
    with pytest.raises(ApplicationError):
        legal_hold_set(
            actor=users["analyst"], model_label=LABEL, object_id=1, reason="Bezwaar tegen sluiting loopt"
        )
    with pytest.raises(ApplicationError) as exc:
        legal_hold_set(
            actor=users["chair"],
            model_label="nergens.iets",
            object_id=1,
            reason="Bezwaar tegen sluiting loopt",
        )
    assert exc.value.field == "model_label"
    assert not LegalHold.objects.exists()


def test_two_different_people_must_approve(
    users, notice_class, notice_rule, records_manager, django_capture_on_commit_callbacks
):
    notice_rule()
    note = make_notice(users["analyst"], datetime(2023, 1, 10, 9, tzinfo=AMS))
    dl = sweep_on(date(2024, 6, 1)).destruction_list
    officer = users["privacy_officer"]

    destruction_list_approve(actor=officer, destruction_list=dl)
    with pytest.raises(ApplicationError) as exc:
        destruction_list_approve(actor=officer, destruction_list=dl)
    assert "iemand anders" in exc.value.message
    with pytest.raises(ApplicationError):
        destruction_list_approve(actor=users["functional_admin"], destruction_list=dl)
    with pytest.raises(ApplicationError) as exc:
        destruction_list_carry_out(destruction_list=dl)
    assert "twee verschillende personen" in exc.value.message
    dl.refresh_from_db()
    assert dl.status == ListStatus.PENDING
    assert Notification.objects.filter(pk=note.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        destruction_list_approve(actor=records_manager, destruction_list=dl)
    dl.refresh_from_db()
    assert dl.status == ListStatus.DONE
    assert dl.carried_out_by == records_manager
    assert not Notification.objects.filter(pk=note.pk).exists()
    tomb = Tombstone.objects.get()
    assert tomb.approvers == f"{officer.username}, {records_manager.username}"


def test_db_refuses_a_second_approval_by_the_same_person(users, notice_class, notice_rule):
    notice_rule()
    make_notice(users["analyst"], datetime(2023, 1, 10, 9, tzinfo=AMS))
    dl = sweep_on(date(2024, 6, 1)).destruction_list
    destruction_list_approve(actor=users["privacy_officer"], destruction_list=dl)
    from vik.privacy.models import DestructionApproval

    with pytest.raises(IntegrityError), transaction.atomic():
        DestructionApproval.objects.create(destruction_list=dl, user=users["privacy_officer"])


def _tables_mentioning(marker: str) -> list[str]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'core_accesslog_%'"
        )
        tables = [r[0] for r in cur.fetchall()]
        found = []
        for table in tables:
            cur.execute(f'SELECT count(*) FROM "{table}" t WHERE t::text LIKE %s', [f"%{marker}%"])
            if cur.fetchone()[0]:
                found.append(table)
    return found


def test_complete_removal_leaves_only_tombstone_and_pseudonymised_log(
    users, notice_class, notice_rule, records_manager
):
    notice_rule()
    marker = "Kees-Uniek-Merkteken-9931"
    auditlog.register(Notification)
    try:
        note = make_notice(
            users["analyst"], datetime(2023, 1, 10, 9, tzinfo=AMS), message=f"Dossier {marker}"
        )
        log_access(
            user=users["analyst"], action=AccessAction.READ, obj=note, purpose="Reden: onderzoek ondermijning"
        )
        log_access(user=users["chair"], action=AccessAction.EXPORT, obj=note, purpose="Reden: casustafel")
        ref = LogRef.objects.get(kind=LABEL, object_id=note.pk)
        ct = ContentType.objects.get_for_model(Notification)
        ShareGrant.objects.create(
            content_type=ct, object_id=note.pk, principal="o:riec", granted_by=users["chair"]
        )
        rectification_apply(
            actor=users["privacy_officer"],
            model_label=LABEL,
            object_id=note.pk,
            field_name="message",
            new_text=f"Gecorrigeerd {marker}",
            annotation="Betrokkene wees op een onjuistheid",
        )
        restriction_set(
            actor=users["privacy_officer"],
            model_label=LABEL,
            object_id=note.pk,
            reason="Betrokkene betwist de juistheid",
        )
        assert _tables_mentioning(marker)  # the marker is really there before
        log_rows_before = AccessLog.objects.filter(ref_id=ref.pk).count()

        dl = sweep_on(date(2024, 6, 1)).destruction_list
        approve_twice(dl, users["privacy_officer"], records_manager)
        destruction_list_carry_out(destruction_list=dl, actor=records_manager)
    finally:
        auditlog.unregister(Notification)

    assert _tables_mentioning(marker) == []
    assert not Notification.objects.filter(pk=note.pk).exists()
    assert not LogRef.objects.filter(kind=LABEL, object_id=note.pk).exists()
    assert not ShareGrant.objects.filter(content_type=ct, object_id=note.pk).exists()
    assert not Rectification.objects.exists() and not Restriction.objects.exists()
    assert not LogEntry.objects.filter(content_type=ct, object_pk=str(note.pk)).exists()
    # the access log is untouched: same rows, now pointing at a reference that no longer exists
    assert AccessLog.objects.filter(ref_id=ref.pk).count() == log_rows_before == 2
    assert verify_chain() is None
    tomb = Tombstone.objects.get()
    assert (tomb.model_label, tomb.object_id, tomb.rule_code, tomb.anchor_date) == (
        LABEL,
        note.pk,
        "test_notice",
        date(2023, 1, 10),
    )
    assert tomb.due_date == date(2024, 1, 10)


def test_anonymise_keeps_the_row_without_its_content(users, notice_class, notice_rule, records_manager):
    notice_rule(action="anonymise")
    note = make_notice(users["analyst"], datetime(2023, 1, 10, 9, tzinfo=AMS), message="Naam en adres")
    log_access(user=users["analyst"], action=AccessAction.READ, obj=note, purpose="Reden: onderzoek")
    dl = sweep_on(date(2024, 6, 1)).destruction_list
    approve_twice(dl, users["privacy_officer"], records_manager)
    destruction_list_carry_out(destruction_list=dl)
    note.refresh_from_db()
    assert note.message == "[geanonimiseerd]"
    assert not LogRef.objects.filter(kind=LABEL, object_id=note.pk).exists()
    assert Tombstone.objects.get().action == "anonymise"
    # an anonymised record is not queued again
    assert sweep_on(date(2024, 6, 2)).queued == 0


def test_restart_after_a_worker_died_halfway(users, notice_class, notice_rule, records_manager):
    notice_rule()
    notes = [make_notice(users["analyst"], datetime(2023, 1, 10, 9, tzinfo=AMS)) for _ in range(3)]
    for note in notes:
        log_access(user=users["analyst"], action=AccessAction.READ, obj=note, purpose="Reden: onderzoek")
    dl = sweep_on(date(2024, 6, 1)).destruction_list
    approve_twice(dl, users["privacy_officer"], records_manager)

    notice_class.fail_on = 2
    with pytest.raises(RuntimeError):
        destruction_list_carry_out(destruction_list=dl)
    dl.refresh_from_db()
    assert dl.status == ListStatus.IN_PROGRESS
    items = list(DestructionItem.objects.filter(destruction_list=dl).order_by("pk"))
    assert [i.state for i in items] == [ItemState.DONE, ItemState.PENDING, ItemState.PENDING]
    # the item that was being destroyed is whole again: row, log reference, no tombstone
    assert not Notification.objects.filter(pk=notes[0].pk).exists()
    assert Notification.objects.filter(pk=notes[1].pk).exists()
    assert LogRef.objects.filter(kind=LABEL, object_id=notes[1].pk).exists()
    assert Tombstone.objects.count() == 1

    notice_class.fail_on = None
    destruction_list_carry_out(destruction_list=dl)
    dl.refresh_from_db()
    assert dl.status == ListStatus.DONE
    assert not Notification.objects.filter(pk__in=[n.pk for n in notes]).exists()
    assert Tombstone.objects.count() == 3
    # running a finished list again changes nothing
    destruction_list_carry_out(destruction_list=dl)
    assert Tombstone.objects.count() == 3


@pytest.mark.parametrize("value", [0, -3])
def test_retention_period_of_zero_or_less_is_refused(users, notice_rule, value):
    rule = notice_rule()
    with pytest.raises(ApplicationError) as exc:
        retention_rule_update(actor=users["functional_admin"], rule=rule, data={"period_value": value})
    assert exc.value.field == "period_value"
    rule.refresh_from_db()
    assert rule.period_value == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        type(rule).objects.filter(pk=rule.pk).update(period_value=value)


def test_rule_change_is_audited_and_only_for_the_right_roles(users, notice_rule):
    rule = notice_rule()
    retention_rule_update(
        actor=users["functional_admin"], rule=rule, data={"period_value": 2, "verified": True}
    )
    rule.refresh_from_db()
    assert (rule.period_value, rule.verified) == (2, True)
    entry = LogEntry.objects.get_for_object(rule).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == users["functional_admin"]
    assert entry.changes_dict["period_value"] == ["1", "2"]
    with pytest.raises(ApplicationError):
        retention_rule_update(actor=users["analyst"], rule=rule, data={"period_value": 3})


def test_restricted_record_keeps_its_retention_clock(users, notice_class, notice_rule):
    notice_rule()
    note = make_notice(users["analyst"], datetime(2023, 1, 10, 9, tzinfo=AMS))
    restriction_set(
        actor=users["privacy_officer"],
        model_label=LABEL,
        object_id=note.pk,
        reason="Betrokkene betwist de juistheid van het signaal",
    )
    assert is_restricted(LABEL, note.pk)
    assert sweep_on(date(2024, 6, 1)).queued == 1
