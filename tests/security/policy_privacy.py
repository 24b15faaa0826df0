"""Authorization policy of the privacy pages (vik.privacy)."""

from datetime import date

from tests.security.matrix import Rule

PO = {"privacy_officer"}


def build(world):
    from vik.privacy.models import (
        AnomalyReport,
        DataSubjectRequest,
        DestructionList,
        LegalHold,
        Restriction,
        RetentionRule,
    )

    officer = world.users["privacy_officer"]
    world.privacy_rule, _ = RetentionRule.objects.get_or_create(
        code="matrix_rule",
        defaults={
            "label": "Matrixregel",
            "period_value": 1,
            "period_unit": "years",
            "runs_from": "aanmaak",
            "action": "delete",
            "legal_basis": "test",
        },
    )
    world.privacy_hold = LegalHold.objects.create(
        model_label="core.notification", object_id=1, reason="Bezwaar loopt nog", set_by=officer
    )
    world.privacy_list = DestructionList.objects.create(swept_on=date(2025, 1, 1))
    world.privacy_dsr = DataSubjectRequest.objects.create(
        person_id=1,
        person_label="Test",
        received_on=date(2025, 1, 1),
        deadline=date(2025, 2, 1),
        handled_by=officer,
    )
    world.privacy_restriction = Restriction.objects.create(
        model_label="core.notification", object_id=1, reason="Betwist", set_by=officer
    )
    world.privacy_report, _ = AnomalyReport.objects.get_or_create(
        period_start=date(2025, 1, 1), defaults={"period_end": date(2025, 1, 31)}
    )


def _activity_pk(world):
    from vik.core.models import ProcessingActivity

    return {"pk": ProcessingActivity.objects.get(code="signaalverwerking").pk}


REGISTER_READERS = {"functional_admin", "privacy_officer"}

POLICY = {
    "privacy:register_list": Rule(get=REGISTER_READERS),
    "privacy:register_detail": Rule(get=REGISTER_READERS, kwargs=_activity_pk),
    "privacy:register_edit": Rule(get=PO, post=PO, kwargs=_activity_pk),
    "privacy:register_export": Rule(get=REGISTER_READERS, kwargs=lambda w: {"fmt": "csv"}),
    "privacy:mapping_list": Rule(get=REGISTER_READERS, post=PO),
    "privacy:processing_log": Rule(get=PO),
    "privacy:dashboard": Rule(get=PO),
    "privacy:rule_list": Rule(get={"functional_admin", "privacy_officer"}),
    "privacy:rule_edit": Rule(
        get={"functional_admin", "privacy_officer"},
        post={"functional_admin", "privacy_officer"},
        kwargs=lambda w: {"pk": w.privacy_rule.pk},
    ),
    "privacy:hold_list": Rule(get={"chair", "privacy_officer"}, post={"chair", "privacy_officer"}),
    "privacy:hold_release": Rule(post=PO, kwargs=lambda w: {"pk": w.privacy_hold.pk}),
    "privacy:list_list": Rule(get=PO),
    "privacy:sweep_run": Rule(post=PO),
    "privacy:list_detail": Rule(get=PO, kwargs=lambda w: {"pk": w.privacy_list.pk}),
    "privacy:list_approve": Rule(post=PO, kwargs=lambda w: {"pk": w.privacy_list.pk}),
    "privacy:list_carry_out": Rule(post=PO, kwargs=lambda w: {"pk": w.privacy_list.pk}),
    "privacy:dsar_list": Rule(get=PO, post=PO),
    "privacy:dsar_detail": Rule(get=PO, kwargs=lambda w: {"pk": w.privacy_dsr.pk}),
    "privacy:dsar_answer": Rule(post=PO, kwargs=lambda w: {"pk": w.privacy_dsr.pk}),
    "privacy:dsar_extend": Rule(post=PO, kwargs=lambda w: {"pk": w.privacy_dsr.pk}),
    "privacy:dsar_json": Rule(get=PO, kwargs=lambda w: {"pk": w.privacy_dsr.pk}),
    "privacy:dsar_pdf": Rule(get=PO, kwargs=lambda w: {"pk": w.privacy_dsr.pk}),
    "privacy:restriction_list": Rule(get=PO, post=PO),
    "privacy:restriction_lift": Rule(post=PO, kwargs=lambda w: {"pk": w.privacy_restriction.pk}),
    "privacy:rectification_list": Rule(get=PO, post=PO),
    "privacy:reports": Rule(get=PO),
    "privacy:anomaly_detail": Rule(get=PO, kwargs=lambda w: {"pk": w.privacy_report.pk}),
    "privacy:logs": Rule(get={"privacy_officer", "functional_admin"}),
}
