"""Registry questions on behalf of a user: the query log, one access-log row per returned
person/organisation/address with the purpose, the fields allowlist, verification, accepting
differences, the nightly re-check, retention and the data-subject section."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from django.db import connection
from django.utils import timezone

from registries import privacy, services
from registries.clients.base import RegistryUnavailable
from registries.constants import Outcome, VerificationStatus
from registries.fields import IDENTITY, RESIDENCE
from registries.models import AcceptedDifference, RegistryDisclosure, RegistryQuery, Verification
from tests.factories.subjects import OrganisationFactory, PersonFactory
from vik.core.encryption import blind_index
from vik.core.models import AccessLog, LogRef
from vik.privacy.models import RetentionRule

pytestmark = pytest.mark.django_db

PURPOSE = "Signaal 12: onderzoek naar woonfraude"


def _log_rows():
    """Access-log rows about this test's disclosures (the insert-only log outlives a flush). The
    log's reference table holds kind and id only (#15), so the label comes from the disclosure."""
    disclosures = {d.pk: str(d) for d in RegistryDisclosure.objects.select_related("query")}
    refs = dict(
        LogRef.objects.filter(
            kind="registries.registrydisclosure", object_id__in=list(disclosures)
        ).values_list("pk", "object_id")
    )
    rows = AccessLog.objects.filter(ref_id__in=list(refs)).order_by("id")
    return [
        (disclosures[refs[ref]], purpose, action)
        for ref, purpose, action in rows.values_list("ref_id", "purpose", "action")
    ]


def test_brp_question_is_logged_with_who_why_which_fields_and_bsns(users, registry_standin):
    analyst = users["analyst"]
    person = services.brp_person_by_bsn(actor=analyst, purpose=PURPOSE, bsn="999993653")
    assert person.geslachtsnaam == "Jansen"
    query = RegistryQuery.objects.get()
    assert (query.registry, query.operation, query.outcome) == (
        "brp",
        "RaadpleegMetBurgerservicenummer",
        "ok",
    )
    assert query.actor == analyst and query.purpose == PURPOSE
    assert query.fields == IDENTITY + RESIDENCE
    assert len(query.trace_id) == 32
    [disclosure] = query.disclosures.all()
    assert disclosure.identifier == "999993653"
    assert disclosure.identifier_index == blind_index("999993653")
    with connection.cursor() as cur:  # the BSN is encrypted at rest
        cur.execute("SELECT identifier FROM registries_registrydisclosure")
        assert "999993653" not in cur.fetchone()[0]
    assert _log_rows() == [("BRP Personen: Jan Hendrik Jansen", PURPOSE, "read")]


def test_failed_question_is_logged_too_and_nothing_is_disclosed(users, registry_standin):
    registry_standin.fault(brp="500")
    with pytest.raises(RegistryUnavailable):
        services.brp_person_by_bsn(actor=users["analyst"], purpose=PURPOSE, bsn="999993653")
    query = RegistryQuery.objects.get()
    assert query.outcome == Outcome.UNAVAILABLE and query.result_count == 0
    assert not RegistryDisclosure.objects.exists()


def test_fields_follow_role_and_use(users, registry_standin):
    services.brp_person_by_bsn(actor=users["bibob"], purpose=PURPOSE, bsn="999993653")
    assert RegistryQuery.objects.get().fields == IDENTITY  # no residence for the Bibob role
    with pytest.raises(Exception, match="niet bevragen"):
        services.brp_person_by_bsn(actor=users["decision_maker"], purpose=PURPOSE, bsn="999993653")


def test_invalid_bsn_is_refused_and_not_logged_as_a_question(users, registry_standin):
    with pytest.raises(Exception, match="elfproef"):
        services.brp_person_by_bsn(actor=users["analyst"], purpose=PURPOSE, bsn="123456789")
    assert not RegistryQuery.objects.exists()
    assert registry_standin.state()["calls"] == {}


def test_bewoning_logs_every_person_with_the_purpose(users, registry_standin):
    result = services.bewoning_in_period(
        actor=users["analyst"],
        purpose=PURPOSE,
        object_id="0141010000000002",
        start=date(2016, 1, 1),
        end=date(2017, 1, 1),
    )
    assert len(result) == 2
    labels = sorted(label for label, _p, _a in _log_rows())
    assert labels == ["BRP Bewoning: Jan Hendrik Jansen", "BRP Bewoning: Pieter van der Berg"]
    assert {p for _l, p, _a in _log_rows()} == {PURPOSE}


def test_bag_and_kvk_disclosures_are_logged(users, registry_standin):
    services.bag_addresses(actor=users["analyst"], purpose=PURPOSE, postcode="7609RG", house_number=1)
    services.kvk_profile(actor=users["analyst"], purpose=PURPOSE, kvk_number="61234567")
    labels = [label for label, _p, _a in _log_rows()]
    assert labels == [
        "BAG: Twentepoort Oost 1, 7609 RG Almelo",
        "KvK Handelsregister: Autohandel Wessels B.V.",
    ]


def test_compare_and_accept_differences_one_by_one(users, registry_standin, team):
    analyst = users["analyst"]
    person = PersonFactory(
        owner_team=team,
        voornamen="Jan",
        geslachtsnaam="Jansen",
        bsn="999993653",
        birth_date=date(1979, 3, 14),
    )
    brp, diffs = services.person_compare(actor=analyst, purpose=PURPOSE, person=person)
    assert {d.field for d in diffs} >= {"voornamen"}
    assert Verification.objects.get(subject_id=person.pk).status == VerificationStatus.DIFFERS
    remaining = services.person_accept_difference(
        actor=analyst, purpose=PURPOSE, person=person, field="voornamen"
    )
    person.refresh_from_db()
    assert person.voornamen == "Jan Hendrik"
    assert "voornamen" not in {d.field for d in remaining}
    assert AcceptedDifference.objects.get().field == "voornamen"
    for d in remaining:
        services.person_accept_difference(actor=analyst, purpose=PURPOSE, person=person, field=d.field)
    ver = Verification.objects.get(subject_id=person.pk)
    assert ver.status == VerificationStatus.VERIFIED and ver.verified_at is not None


def test_nightly_reverify_marks_records_and_waits_while_a_registry_is_down(users, registry_standin, team):
    ok = PersonFactory(
        owner_team=team,
        voornamen="Ayşe",
        geslachtsnaam="Yılmaz",
        bsn="999990019",
        birth_date=date(1988, 7, 2),
        birth_place="Almelo",
    )
    off = PersonFactory(
        owner_team=team,
        voornamen="Fenna",
        geslachtsnaam="Kuipers",
        bsn="999995571",
        birth_date=date(1990, 1, 1),
    )
    org = OrganisationFactory(owner_team=team, name="Autohandel Wessels B.V.", kvk_number="61234567")
    registry_standin.fault(brp="503", kvk="503")
    counts = services.reverify_unverified()
    assert counts["checked"] == 0 and not Verification.objects.exists()
    registry_standin.fault()
    counts = services.reverify_unverified()
    assert counts == {"checked": 3, "verified": 1, "differs": 2, "not_found": 0}
    assert (
        Verification.objects.get(subject_id=ok.pk, subject_kind="person").status
        == VerificationStatus.VERIFIED
    )
    assert (
        Verification.objects.get(subject_id=off.pk, subject_kind="person").status
        == VerificationStatus.DIFFERS
    )
    assert "SBI-codes" in Verification.objects.get(subject_id=org.pk, subject_kind="organisation").note
    assert services.reverify_unverified()["checked"] == 0  # checked recently: not asked again tonight


def test_query_log_retention_classes_and_destroy(users, registry_standin):
    rule = RetentionRule.objects.get(code="brp_query_log")
    assert (rule.period_value, rule.period_unit) == (20, "years")
    assert RetentionRule.objects.get(code="registry_query_log").period_value == 5
    with time_machine.travel(timezone.now() - timedelta(days=365 * 21)):
        services.brp_person_by_bsn(actor=users["analyst"], purpose=PURPOSE, bsn="999993653")
    services.brp_person_by_bsn(actor=users["analyst"], purpose=PURPOSE, bsn="999990019")
    due = list(privacy.due_brp(rule, timezone.localdate()))
    assert len(due) == 1
    _label, pk, _anchor = due[0]
    disclosure = RegistryDisclosure.objects.get(query_id=pk)
    privacy.destroy("registries.registryquery", pk)
    assert not RegistryQuery.objects.filter(pk=pk).exists()
    assert not LogRef.objects.filter(kind="registries.registrydisclosure", object_id=disclosure.pk).exists()
    assert RegistryQuery.objects.count() == 1


def test_query_log_is_in_the_data_subject_section(users, registry_standin, team):
    person = PersonFactory(owner_team=team, geslachtsnaam="Jansen", bsn="999993653")
    services.brp_person_by_bsn(actor=users["analyst"], purpose=PURPOSE, bsn="999993653")
    services.brp_person_by_bsn(actor=users["analyst"], purpose=PURPOSE, bsn="999990019")

    class Subject:
        obj = person

    section = privacy.dsar_section(Subject(), users["privacy_officer"])
    assert len(section.items) == 1
    assert section.items[0].purpose == PURPOSE
    assert section.log_refs == [
        (
            "registries.registrydisclosure",
            RegistryDisclosure.objects.get(identifier_index=blind_index("999993653")).pk,
        )
    ]
