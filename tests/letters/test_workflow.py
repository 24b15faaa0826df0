"""Letters on a measure: dates only from the engine, missing data refused, the four-eyes
workflow, sending as the procedure event, immutability, encryption, need-to-know and logging."""

from __future__ import annotations

from datetime import date

import pytest

from django.db import DatabaseError, transaction
from django.urls import reverse

from letters import fields, services
from letters.constants import LetterState
from letters.models import Letter, LetterVersion
from measures import deadlines as dl
from measures.models import DeadlineRule
from tests.factories.letters import docx_with
from tests.factories.measures import make_measure, record
from tests.letters.conftest import TODAY, docx_text
from vik.core.encryption import decrypt_bytes
from vik.core.exceptions import ApplicationError
from vik.core.models import AccessLog

pytestmark = pytest.mark.django_db


def _generate(users, measure, **kw):
    kw.setdefault("kind", "voornemen_sluiting")
    kw.setdefault("planned_date", TODAY)
    kw.setdefault("signatory", users["decision_maker"])
    return services.letter_generate(actor=users["analyst"], measure=measure, **kw)


def _through_to_approved(users, analyst2, letter):
    services.letter_submit(actor=users["analyst"], letter=letter)
    services.letter_check(actor=analyst2, letter=letter)
    return services.letter_approve(actor=users["decision_maker"], letter=letter)


def test_voornemen_names_the_zienswijze_date_the_engine_computes(frozen, users, measure):
    letter = _generate(users, measure, params={"zienswijze_days": 14})
    rule = DeadlineRule.objects.get(code="zienswijze")
    expected = dl.compute(dl.Rule("zienswijze", days=14, atw=rule.atw), TODAY)
    text = docx_text(services.current_docx(letter)[0])
    assert f"uiterlijk op {fields.weekday_date(expected)}" in text
    assert expected == date(2026, 4, 27) and "maandag 27 april 2026" in text
    assert letter.printed_deadlines == {"zienswijze": expected.isoformat()}
    assert "13 april 2026" in text and measure.address.street in text


def test_sending_records_the_voornemen_and_the_measure_shows_the_same_date(frozen, users, analyst2, measure):
    letter = _through_to_approved(users, analyst2, _generate(users, measure))
    services.letter_send(actor=users["analyst"], letter=letter, sent_on=TODAY)
    measure.refresh_from_db()
    assert measure.state == "voornemen"
    event = measure.events.get(code="voornemen")
    assert event.date == TODAY
    deadline = measure.deadlines.get(key="zienswijze")
    assert deadline.due_date.isoformat() == letter.printed_deadlines["zienswijze"]
    letter.refresh_from_db()
    assert letter.state == LetterState.SENT and letter.sent_on == TODAY
    assert decrypt_bytes(bytes(letter.pdf)).startswith(b"%PDF-")


def test_a_send_date_that_changes_the_printed_term_is_refused(users, analyst2, measure):
    from datetime import datetime

    import time_machine

    from tests.letters.conftest import AMS

    with time_machine.travel(datetime(2026, 4, 13, 10, tzinfo=AMS), tick=False) as t:
        letter = _through_to_approved(users, analyst2, _generate(users, measure))
        t.move_to(datetime(2026, 4, 15, 10, tzinfo=AMS))
        with pytest.raises(ApplicationError) as exc:
            services.letter_send(actor=users["analyst"], letter=letter, sent_on=date(2026, 4, 15))
    assert "maandag 27-04-2026" in exc.value.message and "opnieuw" in exc.value.message
    measure.refresh_from_db()
    assert not measure.events.filter(code="voornemen").exists()


def test_missing_address_names_what_is_missing_and_creates_nothing(frozen, users):
    from measures.constants import MeasureKind
    from tests.factories.subjects import PersonFactory

    lod = make_measure(
        users["analyst"],
        kind=MeasureKind.LOD,
        rapportage_date=date(2026, 4, 1),
        person=PersonFactory(owner_team=users["analyst"].org_unit),
    )
    with pytest.raises(ApplicationError) as exc:
        _generate(users, lod, kind="voornemen_last")
    assert "het adres" in exc.value.message
    assert not Letter.objects.exists() and not LetterVersion.objects.exists()


def test_a_decision_letter_without_a_decision_has_no_term_and_is_refused(frozen, users, measure):
    with pytest.raises(ApplicationError) as exc:
        _generate(users, measure, kind="besluit_sluiting")
    assert "past nu niet in de procedure" in exc.value.message
    assert not Letter.objects.exists()


def test_a_template_field_the_case_lacks_is_refused_by_name(frozen, users, measure):
    services.template_upload(
        actor=users["functional_admin"],
        kind="voornemen_sluiting",
        data=docx_with("Bezwaar tot {{ termijn.bezwaar }}"),
        filename="t.docx",
    )
    with pytest.raises(ApplicationError) as exc:
        _generate(users, measure)
    assert "bezwaar" in exc.value.message and not Letter.objects.exists()


def test_decision_letter_has_objection_clause_with_engine_date(frozen, users, measure):
    record(users["analyst"], measure, "voornemen", date(2026, 4, 2))
    record(users["analyst"], measure, "zienswijze_ontvangen", date(2026, 4, 8))
    record(users["decision_maker"], measure, "besluit", date(2026, 4, 10), duration_months=6)
    measure.refresh_from_db()
    letter = _generate(users, measure, kind="besluit_sluiting")
    expected = dl.compute(DeadlineRule.objects.get(code="bezwaartermijn"), TODAY)
    text = docx_text(services.current_docx(letter)[0])
    assert "6 maanden" in text and f"uiterlijk op {fields.weekday_date(expected)}" in text


def test_four_eyes_and_mandate(frozen, users, analyst2, measure):
    letter = _generate(users, measure)
    services.letter_submit(actor=users["analyst"], letter=letter)
    with pytest.raises(ApplicationError):
        services.letter_check(actor=users["analyst"], letter=letter)  # the author
    services.letter_check(actor=analyst2, letter=letter)
    with pytest.raises(ApplicationError):
        services.letter_approve(actor=analyst2, letter=letter)  # no mandate
    services.letter_approve(actor=users["decision_maker"], letter=letter)
    assert Letter.objects.get(pk=letter.pk).state == LetterState.APPROVED


def test_a_new_upload_restarts_the_check_and_the_uploader_cannot_check(frozen, users, analyst2, measure):
    letter = _generate(users, measure)
    services.letter_submit(actor=users["analyst"], letter=letter)
    services.letter_upload(actor=analyst2, letter=letter, data=docx_with("bewerkt"))
    letter.refresh_from_db()
    assert letter.state == LetterState.DRAFT and letter.versions.count() == 2
    services.letter_submit(actor=users["analyst"], letter=letter)
    with pytest.raises(ApplicationError):
        services.letter_check(actor=analyst2, letter=letter)


def test_sent_letter_is_immutable_and_stored_encrypted(frozen, users, analyst2, measure):
    letter = _through_to_approved(users, analyst2, _generate(users, measure))
    services.letter_send(actor=users["analyst"], letter=letter, sent_on=TODAY)
    with pytest.raises(ApplicationError):
        services.letter_upload(actor=users["analyst"], letter=letter, data=docx_with("later"))
    with pytest.raises(DatabaseError), transaction.atomic():
        Letter.objects.filter(pk=letter.pk).update(return_note="gewijzigd")
    version = letter.versions.get()
    raw = bytes(version.content)
    assert not raw.startswith(b"PK") and measure.address.street.encode() not in raw
    assert decrypt_bytes(raw).startswith(b"PK")


def test_need_to_know_is_inherited_from_the_measure(frozen, users, make_user, other_team, login, measure):
    letter = _generate(users, measure)
    outsider = make_user("analyst", username="buiten", org=other_team)
    assert login(outsider).get(reverse("letters:detail", args=[letter.pk])).status_code == 404
    assert login(outsider).get(reverse("letters:download", args=[letter.pk])).status_code == 404
    assert login(users["bibob"]).get(reverse("letters:detail", args=[letter.pk])).status_code == 404
    assert login(users["analyst"]).get(reverse("letters:detail", args=[letter.pk])).status_code == 200


def test_generating_and_downloading_are_logged_with_purpose(frozen, users, login, measure):
    letter = _generate(users, measure)
    response = login(users["analyst"]).get(reverse("letters:download", args=[letter.pk]))
    assert response.status_code == 200 and response.content.startswith(b"PK")
    from vik.core.models import LogRef

    ref = LogRef.objects.get(kind="letters.letter", object_id=letter.pk)
    rows = AccessLog.objects.filter(ref_id=ref.pk).order_by("id")
    assert [r.action for r in rows] == ["export", "download"]
    assert all(f"Brief in zaak {measure.reference}" in r.purpose for r in rows)


def test_inbox_lists_letters_to_check_and_to_sign(frozen, users, analyst2, login, measure):
    letter = _generate(users, measure)
    services.letter_submit(actor=users["analyst"], letter=letter)
    page = login(analyst2).get(reverse("letters:inbox")).content.decode()
    assert letter.reference in page
    assert (
        letter.reference
        not in login(users["analyst"]).get(reverse("letters:inbox")).content.decode().split("Mijn brieven")[0]
    )
    services.letter_check(actor=analyst2, letter=letter)
    assert letter.reference in login(users["decision_maker"]).get(reverse("letters:inbox")).content.decode()


def test_reminder_for_a_letter_waiting_too_long(users, analyst2, measure, settings):
    from datetime import datetime

    import time_machine

    from tests.letters.conftest import AMS

    settings.LETTERS_REMINDER_DAYS = 3
    with time_machine.travel(datetime(2026, 4, 13, 10, tzinfo=AMS), tick=False):
        letter = _generate(users, measure)
        services.letter_submit(actor=users["analyst"], letter=letter)
        services.letter_check(actor=analyst2, letter=letter)
    assert list(services.waiting_reminders(date(2026, 4, 15))) == []
    ((user, message, link, _key),) = services.waiting_reminders(date(2026, 4, 17))
    assert user == users["decision_maker"] and "ondertekening" in message and link.endswith(f"/{letter.pk}/")


def test_sent_letter_is_on_the_timeline_and_in_the_data_subject_answer(frozen, users, analyst2):
    from letters import providers
    from tests.factories.subjects import PersonFactory

    person = PersonFactory(owner_team=users["analyst"].org_unit)
    measure = make_measure(users["analyst"], rapportage_date=date(2026, 4, 1), person=person)
    letter = _through_to_approved(users, analyst2, _generate(users, measure))
    services.letter_send(actor=users["analyst"], letter=letter, sent_on=TODAY)
    timeline = providers.subject_timeline(users["analyst"], person)
    assert [e.date for e in timeline] == [TODAY] and "verzonden" in timeline[0].title
    assert providers.subject_timeline(users["bibob"], person) == []
    section = providers.dsar_section(person, users["privacy_officer"])
    (item,) = section.items
    assert letter.reference in item.title and item.date == TODAY.isoformat()
    assert ("letters.letter", letter.pk) in section.log_refs


def test_the_subject_page_shows_the_sent_letter_and_the_verification_from_its_own_query(
    frozen, users, analyst2, login, with_purpose
):
    """The letters and the registry panel come along with the subject's query (annotations): the
    page shows the same as the providers, and the letter stays out of sight of a role without
    the letters permission."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from registries.constants import Registry, VerificationStatus
    from registries.models import Verification
    from tests.factories.subjects import PersonFactory

    person = PersonFactory(owner_team=users["analyst"].org_unit)
    measure = make_measure(users["analyst"], rapportage_date=date(2026, 4, 1), person=person)
    letter = _through_to_approved(users, analyst2, _generate(users, measure))
    services.letter_send(actor=users["analyst"], letter=letter, sent_on=TODAY)
    Verification.objects.create(
        subject_kind="person",
        subject_id=person.pk,
        registry=Registry.BRP,
        status=VerificationStatus.DIFFERS,
        note="Achternaam wijkt af",
    )
    url = reverse("subjects:person_detail", kwargs={"pk": person.pk})
    client = with_purpose(login(users["analyst"]))
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url).content.decode()
    assert f"{measure.reference} brief verzonden" in html
    assert reverse("letters:detail", kwargs={"pk": letter.pk}) in html
    assert "Achternaam wijkt af" in html and str(VerificationStatus.DIFFERS.label) in html
    assert not any('FROM "letters_letter"' in q["sql"].split(" WHERE ")[0] for q in ctx.captured_queries)
    assert not any(q["sql"].startswith('SELECT "registries_verification"') for q in ctx.captured_queries)

    Verification.objects.filter(subject_id=person.pk).update(
        status=VerificationStatus.VERIFIED, verified_at=timezone.now()
    )
    html = client.get(url).content.decode()
    assert "geverifieerd (" in html

    chair = with_purpose(login(users["chair"]))  # may see the person, holds no letters permission
    response = chair.get(url)
    assert response.status_code == 200 and "brief verzonden" not in response.content.decode()
