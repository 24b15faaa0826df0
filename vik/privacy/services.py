"""Privacy operations: every state change goes through one of these services.

Destruction is idempotent and restartable: each item is carried out in its own transaction,
together with its tombstone and its done marker. A worker killed halfway leaves every item either
untouched or completely done; running the list again finishes the rest.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from auditlog.context import disable_auditlog, set_actor

from django.apps import apps as global_apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core.accesslog import log_access
from vik.core.calendar import add_period, subtract_period
from vik.core.constants import AccessAction
from vik.core.exceptions import ApplicationError
from vik.core.ldv import processing_overview
from vik.core.models import LogRef, ShareGrant, User

from .constants import ItemState, ListStatus, RequestStatus, RetentionAction
from .models import (
    AnomalyReport,
    DataSubjectRequest,
    DestructionApproval,
    DestructionItem,
    DestructionList,
    LegalHold,
    Rectification,
    Restriction,
    RetentionRule,
    Tombstone,
)
from .providers import dsar_sections, rectifier_for, resolve_person, retention_classes
from .retention import delete_with_history
from .selectors import (
    break_glass_uses,
    denied_attempts,
    export_volumes,
    is_held,
    reads_outside_team,
    recipients_for,
    stated_reason_reads,
)

APPROVALS_NEEDED = 2
MIN_REASON = 10
DSAR_MONTHS = 1
DSAR_EXTENDED_MONTHS = 3  # one month plus an extension of two (AVG art. 12(3))


def _require(actor: User, perm: str) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.has_perm(perm)):
        raise ApplicationError(_("U heeft geen bevoegdheid voor deze handeling."))


def _reason(text: str, fieldname: str = "reason") -> str:
    text = " ".join((text or "").split())
    if len(text) < MIN_REASON:
        raise ApplicationError(
            _("Geef een reden van ten minste %(n)s tekens.") % {"n": MIN_REASON}, field=fieldname
        )
    return text


def _check_model_label(model_label: str) -> str:
    label = (model_label or "").strip().lower()
    try:
        global_apps.get_model(label)
    except (LookupError, ValueError):
        raise ApplicationError(_("Onbekend soort record: %(l)s.") % {"l": label[:100]}, field="model_label")
    return label


# --- retention rules ---------------------------------------------------------------------------

RULE_FIELDS = [
    "label",
    "period_value",
    "period_unit",
    "runs_from",
    "action",
    "legal_basis",
    "verified",
    "uses_legal_calendar",
    "active",
]


def retention_rule_update(*, actor: User, rule: RetentionRule, data: dict[str, Any]) -> RetentionRule:
    """Change a rule (functional admin, privacy officer). Audited by django-auditlog."""
    _require(actor, "privacy.change_retentionrule")
    value = data.get("period_value", rule.period_value)
    if value is None or int(value) <= 0:
        raise ApplicationError(_("Een bewaartermijn moet langer dan nul zijn."), field="period_value")
    with transaction.atomic(), set_actor(actor):
        rule = RetentionRule.objects.select_for_update().get(pk=rule.pk)
        changed = []
        for name in RULE_FIELDS:
            if name in data and getattr(rule, name) != data[name]:
                setattr(rule, name, data[name])
                changed.append(name)
        try:
            rule.full_clean()
        except ValidationError as exc:
            name, messages = next(iter(exc.message_dict.items()))
            raise ApplicationError(messages[0], field=name if name in RULE_FIELDS else None)
        if changed:
            rule.save(update_fields=[*changed, "updated_at"])
    return rule


# --- legal holds -------------------------------------------------------------------------------


def legal_hold_set(*, actor: User, model_label: str, object_id: int, reason: str) -> LegalHold:
    """Chair or privacy officer: keep a record from destruction (objection, court case)."""
    _require(actor, "privacy.add_legalhold")
    label = _check_model_label(model_label)
    reason = _reason(reason)
    with transaction.atomic(), set_actor(actor):
        return LegalHold.objects.create(
            model_label=label, object_id=int(object_id), reason=reason, set_by=actor
        )


def legal_hold_release(*, actor: User, hold: LegalHold, reason: str) -> LegalHold:
    _require(actor, "privacy.change_legalhold")
    reason = _reason(reason, "release_reason")
    with transaction.atomic(), set_actor(actor):
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.released_at is not None:
            raise ApplicationError(_("Deze blokkade is al opgeheven."))
        hold.released_at = timezone.now()
        hold.released_by = actor
        hold.release_reason = reason
        hold.save(update_fields=["released_at", "released_by", "release_reason", "updated_at"])
    return hold


# --- the nightly sweep -------------------------------------------------------------------------


@dataclass
class SweepResult:
    destruction_list: DestructionList | None = None
    queued: int = 0
    held: list[tuple[str, int]] = field(default_factory=list)
    rules_without_provider: list[str] = field(default_factory=list)


def retention_sweep(*, today: date | None = None) -> SweepResult:
    """Ask every provider what is due, skip held records and records already queued or gone, and
    put the rest on one new destruction list (none when nothing is due)."""
    today = today or timezone.localdate()
    classes = retention_classes()
    result = SweepResult()
    with transaction.atomic():
        for rule in RetentionRule.objects.filter(active=True).order_by("code"):
            provider = classes.get(rule.code)
            if provider is None:
                result.rules_without_provider.append(rule.code)
                continue
            for model_label, pk, anchor in provider.due(rule, today):
                due = rule.due_date(anchor)
                if due > today:
                    continue
                if is_held(model_label, pk):
                    result.held.append((model_label, pk))
                    continue
                if Tombstone.objects.filter(model_label=model_label, object_id=pk).exists():
                    continue
                if DestructionItem.objects.filter(
                    model_label=model_label, object_id=pk, state=ItemState.PENDING
                ).exists():
                    continue
                if result.destruction_list is None:
                    result.destruction_list = DestructionList.objects.create(swept_on=today)
                DestructionItem.objects.create(
                    destruction_list=result.destruction_list,
                    rule=rule,
                    record_class=rule.code,
                    model_label=model_label,
                    object_id=pk,
                    anchor_date=anchor,
                    due_date=due,
                    action=rule.action,
                )
                result.queued += 1
        if result.destruction_list is not None:
            dl = result.destruction_list
            transaction.on_commit(lambda: _notify_approvers(dl))
    return result


def _notify_approvers(dl: DestructionList) -> None:
    from django.urls import NoReverseMatch, reverse

    from vik.core.services import notify_permission_holders

    try:
        link = reverse("privacy:list_detail", args=[dl.pk])
    except NoReverseMatch:
        link = ""
    notify_permission_holders(
        perm="privacy.approve_destruction_records",
        message=_("Vernietigingslijst %(n)s wacht op goedkeuring.") % {"n": dl.pk},
        link=link,
        dedup_key=f"privacy-list-{dl.pk}",
    )


# --- approval and carrying out -----------------------------------------------------------------


def destruction_list_approve(*, actor: User, destruction_list: DestructionList) -> DestructionList:
    """Record one approval. The second approval, by a different person, releases the list and
    starts carrying it out (after commit)."""
    _require(actor, "privacy.approve_destruction_records")
    with transaction.atomic(), set_actor(actor):
        dl = DestructionList.objects.select_for_update().get(pk=destruction_list.pk)
        if dl.status != ListStatus.PENDING:
            raise ApplicationError(_("Deze lijst is al goedgekeurd."))
        if dl.approvals.filter(user=actor).exists():
            raise ApplicationError(
                _("U heeft deze lijst al goedgekeurd. De tweede goedkeuring moet van iemand anders komen.")
            )
        DestructionApproval.objects.create(destruction_list=dl, user=actor)
        if dl.approvals.values("user").distinct().count() >= APPROVALS_NEEDED:
            dl.status = ListStatus.APPROVED
            dl.save(update_fields=["status", "updated_at"])
            # Through the outbox: kept when Redis is down, carried out once it is back.
            from vik.core.outbox import enqueue

            started = enqueue("privacy.destruction_list_carry_out", dl.pk, actor.pk)
    # After the commit: True when the broker could not be reached (the view says so).
    dl.deferred = started.deferred if dl.status == ListStatus.APPROVED else False  # type: ignore[attr-defined]
    return dl


def destruction_list_carry_out(
    *, destruction_list: DestructionList, actor: User | None = None
) -> DestructionList:
    """Carry out an approved list, one item per transaction. Safe to run again after a crash."""
    dl = DestructionList.objects.get(pk=destruction_list.pk)
    if dl.status == ListStatus.PENDING:
        raise ApplicationError(_("Deze lijst is nog niet door twee verschillende personen goedgekeurd."))
    if dl.status == ListStatus.DONE:
        return dl
    if actor is not None:
        _require(actor, "privacy.approve_destruction_records")
    with transaction.atomic():
        DestructionList.objects.filter(pk=dl.pk, started_at__isnull=True).update(started_at=timezone.now())
        DestructionList.objects.filter(pk=dl.pk).update(
            status=ListStatus.IN_PROGRESS, updated_at=timezone.now()
        )
    approvers = ", ".join(dl.approvals.order_by("created_at").values_list("user__username", flat=True))
    for item_id in dl.items.filter(state=ItemState.PENDING).order_by("pk").values_list("pk", flat=True):
        _carry_out_item(item_id, approvers=approvers, actor=actor)
    with transaction.atomic(), set_actor(actor) if actor else nullcontext():
        dl = DestructionList.objects.select_for_update().get(pk=dl.pk)
        dl.status = ListStatus.DONE
        dl.carried_out_at = timezone.now()
        dl.carried_out_by = actor
        dl.save(update_fields=["status", "carried_out_at", "carried_out_by", "updated_at"])
    return dl


def _carry_out_item(item_id: int, *, approvers: str, actor: User | None) -> str:
    with transaction.atomic():
        item = DestructionItem.objects.select_for_update().select_related("rule").get(pk=item_id)
        if item.state != ItemState.PENDING:
            return item.state
        if is_held(item.model_label, item.object_id):
            item.state = ItemState.HELD
            item.save(update_fields=["state", "updated_at"])
            return item.state
        provider = retention_classes().get(item.record_class)
        if provider is None:
            raise ApplicationError(
                _("Geen verwerker geregistreerd voor %(c)s; de lijst is niet afgerond.")
                % {"c": item.record_class}
            )
        fn = provider.destroy
        if item.action == RetentionAction.ANONYMISE and provider.anonymise is not None:
            fn = provider.anonymise
        with disable_auditlog():
            fn(item.model_label, item.object_id)
            erase_traces(item.model_label, item.object_id, delete=fn is provider.destroy)
        rule = item.rule
        Tombstone.objects.create(
            item=item,
            record_class=item.record_class,
            model_label=item.model_label,
            object_id=item.object_id,
            action=RetentionAction.DELETE if fn is provider.destroy else RetentionAction.ANONYMISE,
            anchor_date=item.anchor_date,
            due_date=item.due_date,
            destroyed_at=timezone.now(),
            rule_code=rule.code,
            rule_summary=f"{rule.label}: {rule.period_display} na {rule.runs_from} ({rule.legal_basis})"[
                :400
            ],
            approvers=approvers[:400],
        )
        item.state = ItemState.DONE
        item.done_at = timezone.now()
        item.save(update_fields=["state", "done_at", "updated_at"])
        return item.state


def _content_type(model_label: str) -> ContentType | None:
    app_label, _sep, model = model_label.partition(".")
    try:
        return ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        return None


def erase_traces(model_label: str, object_id: int, *, delete: bool) -> None:
    """The generic part of destruction, after the app's provider removed its own content:
    pseudonymise the access log (delete the LogRef; the log itself is never touched), drop the
    change-audit history of the record, and (on delete) its shares, object permissions,
    restrictions, rectifications and released holds."""
    from auditlog.models import LogEntry
    from guardian.models import GroupObjectPermission, UserObjectPermission

    LogRef.objects.filter(kind=model_label, object_id=object_id).delete()
    delete_with_history(Rectification.objects.filter(model_label=model_label, object_id=object_id))
    ct = _content_type(model_label)
    if ct is not None:
        LogEntry.objects.filter(content_type=ct, object_pk=str(object_id)).delete()
    if not delete:
        return
    if ct is not None:
        ShareGrant.objects.filter(content_type=ct, object_id=object_id).delete()
        UserObjectPermission.objects.filter(content_type=ct, object_pk=str(object_id)).delete()
        GroupObjectPermission.objects.filter(content_type=ct, object_pk=str(object_id)).delete()
    delete_with_history(Restriction.objects.filter(model_label=model_label, object_id=object_id))
    delete_with_history(
        LegalHold.objects.filter(model_label=model_label, object_id=object_id, released_at__isnull=False)
    )


# --- data-subject access requests --------------------------------------------------------------


def dsar_create(*, actor: User, person_id: Any, received_on: date | None = None) -> DataSubjectRequest:
    """Record an access request for a person VIK knows. Deadline: one month (AVG art. 12(3))."""
    _require(actor, "privacy.add_datasubjectrequest")
    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        raise ApplicationError(_("Geef het nummer van de persoon op."), field="person_id")
    person = resolve_person(pk)
    if person is None:
        raise ApplicationError(
            _("Er is geen persoon met nummer %(n)s in VIK bekend; het verzoek is niet vastgelegd.")
            % {"n": pk},
            field="person_id",
        )
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ApplicationError(_("De ontvangstdatum ligt in de toekomst."), field="received_on")
    with transaction.atomic(), set_actor(actor):
        return DataSubjectRequest.objects.create(
            person_id=pk,
            person_label=person.display_name,
            received_on=received_on,
            deadline=add_period(received_on, months=DSAR_MONTHS),
            handled_by=actor,
        )


def dsar_extend(*, actor: User, dsr: DataSubjectRequest, reason: str) -> DataSubjectRequest:
    """Extend by two months (once), with the reason the person must be told (art. 12(3))."""
    _require(actor, "privacy.change_datasubjectrequest")
    reason = _reason(reason)
    with transaction.atomic(), set_actor(actor):
        dsr = DataSubjectRequest.objects.select_for_update().get(pk=dsr.pk)
        if dsr.extended:
            raise ApplicationError(_("De termijn is al verlengd; verder verlengen mag niet."), field="reason")
        if dsr.status != RequestStatus.OPEN:
            raise ApplicationError(_("Dit verzoek is al beantwoord."), field="reason")
        dsr.extended = True
        dsr.extension_reason = reason
        dsr.deadline = add_period(dsr.received_on, months=DSAR_EXTENDED_MONTHS)
        dsr.save(update_fields=["extended", "extension_reason", "deadline", "updated_at"])
    return dsr


def dsar_answer(*, actor: User, dsr: DataSubjectRequest, request=None) -> dict[str, Any]:
    """Gather everything the providers hold on the person, with withheld parts and their legal
    ground, plus who received the data (from the access log); record the answer."""
    _require(actor, "privacy.change_datasubjectrequest")
    person = resolve_person(dsr.person_id)
    if person is None:
        raise ApplicationError(_("Deze persoon bestaat niet (meer) in VIK."))
    sections = []
    refs: list[tuple[str, int]] = [(person.model_label, person.pk)]
    for provider in dsar_sections():
        section = provider.fn(person, actor)
        sections.append(section.as_dict())
        refs += list(section.log_refs)
    today = timezone.localdate()
    answer = {
        "verzoek": {
            "nummer": dsr.pk,
            "grondslag": "AVG art. 15",
            "ontvangen_op": dsr.received_on.isoformat(),
            "uiterste_datum": dsr.deadline.isoformat(),
            "beantwoord_op": today.isoformat(),
        },
        "persoon": {"nummer": person.pk, "naam": person.display_name, "identiteit": person.identity},
        "onderdelen": sections,
        "achtergehouden": [{"onderdeel": s["label"], **w} for s in sections for w in s["withheld"]],
        "ontvangers": recipients_for(refs),
        # the processing log (LDV): for which registered activities the person's data was
        # processed, how often and in which period (issue #24)
        "verwerkingen": [
            {**row, "first": row["first"].date().isoformat(), "last": row["last"].date().isoformat()}
            for row in processing_overview(kind=person.model_label, object_id=person.pk)
        ],
        "bewaartermijnen": [
            {
                "soort": r.label,
                "termijn": r.period_display,
                "vanaf": r.runs_from,
                "daarna": r.get_action_display(),
            }
            for r in RetentionRule.objects.filter(active=True)
        ],
    }
    with transaction.atomic(), set_actor(actor):
        dsr = DataSubjectRequest.objects.select_for_update().get(pk=dsr.pk)
        dsr.answer = json.dumps(answer, ensure_ascii=False, default=str)  # type: ignore[assignment]
        dsr.status = RequestStatus.ANSWERED
        dsr.answered_on = today
        dsr.save(update_fields=["answer", "status", "answered_on", "updated_at"])
        log_access(
            user=actor,
            action=AccessAction.EXPORT,
            kind=person.model_label,
            object_id=person.pk,
            purpose=f"Inzageverzoek {dsr.pk} (AVG art. 15)",
            request=request,
            activity="rechten-betrokkenen",
        )
    return answer


# --- restriction and rectification -------------------------------------------------------------


def restriction_set(*, actor: User, model_label: str, object_id: int, reason: str) -> Restriction:
    _require(actor, "privacy.add_restriction")
    label = _check_model_label(model_label)
    reason = _reason(reason)
    with transaction.atomic(), set_actor(actor):
        if Restriction.objects.filter(
            model_label=label, object_id=object_id, lifted_at__isnull=True
        ).exists():
            raise ApplicationError(_("Voor dit record geldt al een beperking."), field="object_id")
        return Restriction.objects.create(
            model_label=label, object_id=int(object_id), reason=reason, set_by=actor
        )


def restriction_lift(*, actor: User, restriction: Restriction) -> Restriction:
    _require(actor, "privacy.change_restriction")
    with transaction.atomic(), set_actor(actor):
        r = Restriction.objects.select_for_update().get(pk=restriction.pk)
        if r.lifted_at is not None:
            raise ApplicationError(_("Deze beperking is al opgeheven."))
        r.lifted_at = timezone.now()
        r.lifted_by = actor
        r.save(update_fields=["lifted_at", "lifted_by", "updated_at"])
    return r


def rectification_apply(
    *,
    actor: User,
    model_label: str,
    object_id: int,
    field_name: str,
    new_text: str,
    annotation: str,
    dsr: DataSubjectRequest | None = None,
) -> Rectification:
    """AVG art. 16: the app's rectifier writes the new text; the original stays, encrypted, in an
    annotated new version."""
    _require(actor, "privacy.add_rectification")
    label = (model_label or "").strip().lower()
    rectifier = rectifier_for(label)
    if rectifier is None:
        raise ApplicationError(_("Voor dit soort record is rectificatie niet mogelijk."), field="model_label")
    annotation = _reason(annotation, "annotation")
    if not (new_text or "").strip():
        raise ApplicationError(_("Geef de gecorrigeerde tekst op."), field="new_text")
    with transaction.atomic(), set_actor(actor):
        original = rectifier(int(object_id), field_name, new_text)
        version = (
            Rectification.objects.filter(
                model_label=label, object_id=object_id, field_name=field_name
            ).count()
            + 1
        )
        return Rectification.objects.create(
            model_label=label,
            object_id=int(object_id),
            field_name=field_name,
            version=version,
            original_text=original or "",
            new_text=new_text,
            annotation=annotation,
            request=dsr,
            made_by=actor,
        )


# --- anomaly report ----------------------------------------------------------------------------

THRESHOLDS = {"denied": 5, "exports": 100, "stated_reason": 50}


def access_report(*, start: date, end: date) -> dict[str, Any]:
    bg = break_glass_uses(start=start, end=end)
    report = {
        "period": [start.isoformat(), end.isoformat()],
        "stated_reason_reads": stated_reason_reads(start=start, end=end),
        "outside_team_reads": reads_outside_team(start=start, end=end),
        "break_glass": [
            {
                "user": b.user.get_username(),
                "at": timezone.localtime(b.created_at).strftime("%d-%m-%Y %H:%M"),
                "record": f"{b.content_type.app_label}.{b.content_type.model} {b.object_id}",
                "reason": b.reason,
            }
            for b in bg
        ],
        "exports": export_volumes(start=start, end=end),
        "denied": denied_attempts(start=start, end=end),
    }
    flags = []
    for row in report["denied"]:  # type: ignore[attr-defined]
        if row["n"] >= THRESHOLDS["denied"]:
            flags.append(f"{row['actor_label']}: {row['n']} geweigerde pogingen")
    for row in report["exports"]:  # type: ignore[attr-defined]
        if row["n"] >= THRESHOLDS["exports"]:
            flags.append(f"{row['actor_label']}: {row['n']} exports/afdrukken/downloads")
    for row in report["stated_reason_reads"]:  # type: ignore[attr-defined]
        if row["n"] >= THRESHOLDS["stated_reason"]:
            flags.append(f"{row['actor_label']}: {row['n']} raadplegingen zonder zaak als doel")
    for row in report["outside_team_reads"]:  # type: ignore[attr-defined]
        flags.append(f"{row['actor_label']}: {row['n']} raadplegingen buiten het eigen team")
    for b in report["break_glass"]:  # type: ignore[attr-defined]
        flags.append(f"{b['user']}: break-glass op {b['record']} ({b['at']})")
    report["flags"] = flags
    return report


def anomaly_report_generate(*, period_start: date | None = None) -> AnomalyReport:
    """The report for one calendar month (default: last month). Running it again replaces it."""
    if period_start is None:
        period_start = subtract_period(timezone.localdate().replace(day=1), months=1)
    period_start = period_start.replace(day=1)
    period_end = add_period(period_start, months=1) - timedelta(days=1)
    content = access_report(start=period_start, end=period_end)
    report, _created = AnomalyReport.objects.update_or_create(
        period_start=period_start, defaults={"period_end": period_end, "content": content}
    )
    return report
