"""The subjects app in privacy operations: it resolves the person of an access request, answers
with identity, identifiers (the BSN only masked) and relations (other persons withheld as third
parties, sealed compartments described), and corrects a person's name by rectification."""

from __future__ import annotations

import json
from datetime import date

import pytest

from subjects.constants import LinkType
from subjects.models import Person
from subjects.services import subject_merge
from tests.factories.subjects import AddressFactory, LinkFactory, PersonFactory
from vik.core.exceptions import ApplicationError
from vik.privacy.models import DataSubjectRequest, Rectification
from vik.privacy.providers import resolve_person
from vik.privacy.services import dsar_answer, dsar_create, rectification_apply

pytestmark = pytest.mark.django_db
BSN = "111222333"


@pytest.fixture
def petra(users):
    team = users["analyst"].org_unit
    petra = PersonFactory(
        owner_team=team,
        voornamen="Petra",
        geslachtsnaam="Demo",
        birth_date=date(1984, 5, 6),
        bsn=BSN,
        aliases=["Pet"],
        source="BRP",
    )
    brother = PersonFactory(owner_team=team, voornamen="Kees", geslachtsnaam="Broertje-Uniek")
    home = AddressFactory(owner_team=team, street="Wierdensestraat", house_number=12)
    LinkFactory(owner_team=team, source_obj=petra, target_obj=home, link_type=LinkType.WOONT_OP)
    LinkFactory(owner_team=team, source_obj=brother, target_obj=petra, link_type=LinkType.FAMILIE_VAN)
    tip_place = AddressFactory(owner_team=team, street="Geheimstraat", house_number=7)
    LinkFactory(
        owner_team=team,
        source_obj=petra,
        target_obj=tip_place,
        link_type=LinkType.GEBRUIKER_VAN,
        compartment="mma",
    )
    return petra


def test_answer_holds_identity_masked_bsn_and_relations_without_third_parties(users, petra):
    officer = users["privacy_officer"]
    answer = dsar_answer(actor=officer, dsr=dsar_create(actor=officer, person_id=petra.pk))

    assert answer["persoon"]["naam"] == "Petra Demo"
    assert answer["persoon"]["identiteit"]["Geboortedatum"] == "06-05-1984"
    assert answer["persoon"]["identiteit"]["BSN (afgeschermd)"] == "••••••333"
    section = next(s for s in answer["onderdelen"] if s["code"] == "subjects")
    titles = [i["title"] for i in section["items"]]
    assert titles[0] == "Persoonsgegevens"
    assert section["items"][0]["fields"]["andere namen (aliassen)"] == "Pet"
    assert any(t.startswith("Relatie: woont op Wierdensestraat 12") for t in titles)
    grounds = {w["ground"]: w for w in section["withheld"]}
    assert "familie van" in grounds["third_party"]["description"]
    assert "art. 41" in grounds["third_party"]["ground_label"]
    assert "Meld Misdaad Anoniem" in grounds["source_protection"]["description"]
    text = json.dumps(answer, ensure_ascii=False)
    for secret in (BSN, "Broertje-Uniek", "Kees", "Geheimstraat"):
        assert secret not in text


def test_a_merged_duplicate_is_answered_as_the_survivor(users, petra):
    duplicate = PersonFactory(owner_team=petra.owner_team, voornamen="Petra", geslachtsnaam="Demo")
    subject_merge(actor=users["analyst"], survivor=petra, duplicate=duplicate, reason="Zelfde persoon (BRP)")
    resolved = resolve_person(duplicate.pk)
    assert resolved.pk == petra.pk and resolved.display_name == "Petra Demo"


def test_an_unknown_person_is_refused(users):
    with pytest.raises(ApplicationError) as exc:
        dsar_create(actor=users["privacy_officer"], person_id=987654321)
    assert exc.value.field == "person_id"
    assert not DataSubjectRequest.objects.exists()


def test_rectification_corrects_the_name_and_keeps_the_original(users, petra):
    rectification_apply(
        actor=users["privacy_officer"],
        model_label="subjects.person",
        object_id=petra.pk,
        field_name="geslachtsnaam",
        new_text="van Dommelen",
        annotation="Betrokkene toonde paspoort: naam was verkeerd gespeld",
    )
    petra = Person.objects.get(pk=petra.pk)
    assert (petra.voorvoegsel, petra.geslachtsnaam, petra.name_normalised) == ("van", "Dommelen", "dommelen")
    assert "AVG art. 16" in petra.provenance["geslachtsnaam"]["source"]
    rect = Rectification.objects.get()
    assert (rect.original_text, rect.new_text, rect.version) == ("Demo", "van Dommelen", 1)

    with pytest.raises(ApplicationError) as exc:
        rectification_apply(
            actor=users["privacy_officer"],
            model_label="subjects.person",
            object_id=petra.pk,
            field_name="bsn",
            new_text="123456782",
            annotation="Betrokkene zegt dat het BSN anders is",
        )
    assert exc.value.field == "field_name"
    assert Rectification.objects.count() == 1
