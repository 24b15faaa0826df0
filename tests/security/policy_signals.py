"""Authorization matrix for the signals app. Records belong to the analyst's team (general
compartment); the decision maker is in that team too and holds view permission only."""

from django.utils import timezone

from tests.security.matrix import Rule

CASE_WORK = {"analyst", "chair"}
READERS = {"analyst", "chair", "decision_maker"}


def build(world):
    from signals import services
    from signals.models import ImportBatch
    from tests.factories.signals import PDF_BYTES, make_signal

    analyst = world.users["analyst"]
    world.signal = make_signal(analyst, summary="Matrix signaal")
    world.attachment = services.attachment_add(
        actor=analyst, signal=world.signal, filename="r.pdf", data=PDF_BYTES
    )
    world.control = services.control_create(
        actor=analyst, control_type="horeca", date=timezone.localdate(), location_note="Markt"
    )
    world.finding = services.finding_add(
        actor=analyst, control=world.control, finding_type="vergunning", description="Geen vergunning"
    )
    # An import batch is seen by its uploader only: one per user who may import.
    world.batches = {
        key: ImportBatch.objects.create(
            created_by=world.users[key], owner_team=world.team, filename="x.csv", status="preview"
        )
        for key in CASE_WORK
    }


def _signal(w):
    return {"pk": w.signal.pk}


POLICY = {
    "signals:list": Rule(get=READERS | {"bibob"}),
    "signals:create": Rule(get=CASE_WORK, post=CASE_WORK),
    "signals:duplicates": Rule(get=CASE_WORK),
    "signals:export": Rule(get=CASE_WORK, post=CASE_WORK),
    "signals:import": Rule(get=CASE_WORK, post=CASE_WORK),
    # the batch belongs to the analyst; the chair's own batch has another id (404 for others)
    "signals:import_detail": Rule(
        get={"analyst"}, post={"analyst"}, kwargs=lambda w: {"pk": w.batches["analyst"].pk}
    ),
    "signals:import_progress": Rule(get={"analyst"}, kwargs=lambda w: {"pk": w.batches["analyst"].pk}),
    "signals:control_list": Rule(get=READERS),
    "signals:control_create": Rule(get=CASE_WORK, post=CASE_WORK),
    "signals:control_detail": Rule(get=READERS, kwargs=lambda w: {"pk": w.control.pk}),
    "signals:finding_create": Rule(post=CASE_WORK, kwargs=lambda w: {"pk": w.control.pk}),
    "signals:finding_spawn": Rule(post=CASE_WORK, kwargs=lambda w: {"pk": w.finding.pk}),
    "signals:detail": Rule(get=READERS, kwargs=_signal),
    "signals:transition": Rule(post=CASE_WORK, kwargs=_signal),
    "signals:alignment": Rule(post=CASE_WORK, kwargs=_signal),
    "signals:assign": Rule(post=CASE_WORK, kwargs=_signal),
    "signals:casustafel": Rule(post={"chair"}, kwargs=_signal),
    "signals:outcome": Rule(post=CASE_WORK, kwargs=_signal),
    "signals:link_subject": Rule(post=CASE_WORK, kwargs=_signal),
    "signals:attachment_upload": Rule(post=CASE_WORK, kwargs=_signal),
    "signals:attachment_download": Rule(
        get=READERS, kwargs=lambda w: {"pk": w.signal.pk, "attachment_pk": w.attachment.pk}
    ),
}
