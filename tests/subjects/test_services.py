"""Services: validation with Dutch messages, name normalisation, encryption, links, and merges
that are exactly reversible."""

from datetime import date

import pytest

from django.db import connection

from subjects import services
from subjects.constants import LinkType, SubjectKind
from subjects.models import Address, Link, MergeRecord, Organisation, Person, Vehicle
from tests.factories.subjects import AddressFactory, LinkFactory, OrganisationFactory, PersonFactory
from vik.core.encryption import blind_index
from vik.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def _refused(fn, field=None, fragment=""):
    with pytest.raises(ApplicationError) as exc:
        fn()
    if field is not None:
        assert exc.value.field == field, exc.value.message
    assert fragment in exc.value.message
    return exc.value


# --- persons ----------------------------------------------------------------------------------


def test_person_create_splits_voorvoegsel_and_normalises(analyst):
    person = services.person_create(
        actor=analyst, voornamen="Jan Pieter", geslachtsnaam="van der Bérg", bsn="111222333"
    )
    person.refresh_from_db()
    assert (person.voorvoegsel, person.geslachtsnaam) == ("van der", "Bérg")
    assert person.name_normalised == "berg"
    assert person.initials == "J.P."
    assert person.display_name == "Jan Pieter van der Bérg"
    assert person.owner_team == analyst.org_unit and person.compartment == "general"
    assert person.visible_to == ["t:veiligheid"]


def test_explicit_voorvoegsel_is_kept(analyst):
    person = services.person_create(actor=analyst, voorvoegsel="De", geslachtsnaam="Vries")
    assert (person.voorvoegsel, person.geslachtsnaam, person.name_normalised) == ("de", "Vries", "vries")


def test_bsn_is_encrypted_at_rest_and_found_through_blind_index(analyst):
    person = services.person_create(actor=analyst, geslachtsnaam="Jansen", bsn="1112.22.333")
    with connection.cursor() as cur:
        cur.execute("SELECT bsn, bsn_index FROM subjects_person WHERE id = %s", [person.pk])
        raw, index = cur.fetchone()
    assert "111222333" not in raw
    assert index == blind_index("111222333")
    assert Person.objects.get(pk=person.pk).bsn == "111222333"


def test_invalid_bsn_is_refused_and_nothing_saved(analyst):
    _refused(
        lambda: services.person_create(actor=analyst, geslachtsnaam="Jansen", bsn="111222334"),
        "bsn",
        "elfproef",
    )
    assert Person.objects.count() == 0


def test_birth_date_in_future_refused(analyst):
    _refused(
        lambda: services.person_create(actor=analyst, geslachtsnaam="Jansen", birth_date=date(2999, 1, 1)),
        "birth_date",
    )
    assert Person.objects.count() == 0


def test_compartment_outside_clearance_refused(analyst):
    _refused(
        lambda: services.person_create(actor=analyst, geslachtsnaam="Jansen", compartment="bibob"),
        "compartment",
    )
    assert Person.objects.count() == 0


def test_partner_cannot_create_subjects(make_user):
    partner = make_user("partner")
    _refused(
        lambda: services.person_create(actor=partner, geslachtsnaam="Jansen"), None, "team van de gemeente"
    )
    assert Person.objects.count() == 0


def test_person_update_recomputes_name_and_records_provenance(analyst):
    person = services.person_create(actor=analyst, geslachtsnaam="Jansen")
    person = services.person_update(actor=analyst, person=person, geslachtsnaam="ter Horst", voornamen="Anna")
    person.refresh_from_db()
    assert (person.voorvoegsel, person.geslachtsnaam, person.name_normalised, person.initials) == (
        "ter",
        "Horst",
        "horst",
        "A.",
    )
    assert "anouk" in person.provenance["geslachtsnaam"]["source"]
    _refused(lambda: services.person_update(actor=analyst, person=person, bsn="123"), "bsn")
    person.refresh_from_db()
    assert person.bsn is None


# --- organisations, addresses, vehicles: each identifier's bad input --------------------------------


@pytest.mark.parametrize(
    "field,value,fragment",
    [
        ("kvk_number", "1234567", "8 cijfers"),
        ("vestigingsnummer", "1234", "12 cijfers"),
        ("rsin", "111222334", "elfproef"),
        ("sbi_codes", "56A", "SBI-code"),
        ("legal_form", "gmbh", "rechtsvorm"),
    ],
)
def test_organisation_bad_identifier(analyst, field, value, fragment):
    _refused(
        lambda: services.organisation_create(actor=analyst, name="Shisha Lounge Almelo", **{field: value}),
        field,
        fragment,
    )
    assert Organisation.objects.count() == 0


def test_organisation_create_normalises(analyst):
    org = services.organisation_create(
        actor=analyst,
        name="Autohandel Wessels B.V.",
        kvk_number="6123 4567",
        rsin="111222333",
        sbi_codes="4511, 4520",
        risk_branch="auto",
    )
    assert (org.kvk_number, org.name_normalised, org.sbi_codes) == (
        "61234567",
        "autohandel wessels",
        ["4511", "4520"],
    )


ADDRESS = {"street": "Grotestraat", "house_number": 12, "postcode": "7607 ab", "town": "Almelo"}


@pytest.mark.parametrize(
    "field,value,fragment",
    [
        ("postcode", "7607SA", "SA"),
        ("postcode", "760AB", "4 cijfers"),
        ("bag_nummeraanduiding", "014120000012345", "16 cijfers"),
        ("bag_nummeraanduiding", "0141010000012345", "verblijfsobject"),
        ("bag_verblijfsobject", "0141990000012345", "objecttype"),
        ("wijk_code", "WK01", "WK"),
        ("buurt_code", "BU01410101X", "BU"),
        ("house_number", "12a", "getal"),
        ("house_letter", "AB", "huisletter"),
        ("latitude", "abc", "decimaal"),
    ],
)
def test_address_bad_input(analyst, field, value, fragment):
    data = {**ADDRESS, field: value}
    if field == "latitude":
        data["longitude"] = "6.66"
    _refused(lambda: services.address_create(actor=analyst, **data), field, fragment)
    assert Address.objects.count() == 0


def test_address_create_normalises_and_checks_cbs_nesting(analyst):
    addr = services.address_create(
        actor=analyst,
        **ADDRESS,
        house_letter="b",
        gemeente_code="gm0141",
        wijk_code="WK014101",
        buurt_code="BU01410103",
    )
    assert (addr.postcode, addr.house_letter, addr.gemeente_code) == ("7607AB", "B", "GM0141")
    assert str(addr) == "Grotestraat 12B, 7607 AB Almelo"
    _refused(
        lambda: services.address_create(
            actor=analyst, **ADDRESS, wijk_code="WK014101", buurt_code="BU01410201"
        ),
        "buurt_code",
        "wijk",
    )


def test_vehicle_kenteken_validated_and_normalised(analyst):
    assert services.vehicle_create(actor=analyst, kenteken="12-abc-3").kenteken == "12ABC3"
    _refused(lambda: services.vehicle_create(actor=analyst, kenteken="A1B2C3"), "kenteken", "kentekenreeks")
    assert Vehicle.objects.count() == 1


# --- links ----------------------------------------------------------------------------------------------------


def test_link_rules(analyst):
    person, org = PersonFactory(), OrganisationFactory()
    addr = AddressFactory()
    _refused(
        lambda: services.link_create(
            actor=analyst, source_obj=person, target_obj=person, link_type=LinkType.FAMILIE_VAN
        ),
        "target_id",
    )
    _refused(
        lambda: services.link_create(
            actor=analyst, source_obj=org, target_obj=addr, link_type=LinkType.WOONT_OP
        ),
        "link_type",
        "adres",
    )
    _refused(
        lambda: services.link_create(
            actor=analyst,
            source_obj=person,
            target_obj=addr,
            link_type=LinkType.WOONT_OP,
            start_date=date(2024, 1, 2),
            end_date=date(2024, 1, 1),
        ),
        "end_date",
    )
    link = services.link_create(
        actor=analyst,
        source_obj=person,
        target_obj=addr,
        link_type=LinkType.WOONT_OP,
        start_date=date(2020, 1, 1),
    )
    assert (link.from_kind, link.to_kind, link.visible_to) == ("person", "address", ["t:veiligheid"])
    _refused(
        lambda: services.link_create(
            actor=analyst, source_obj=person, target_obj=addr, link_type=LinkType.WOONT_OP
        ),
        "link_type",
        "bestaat al",
    )
    _refused(lambda: services.link_end(actor=analyst, link=link, end_date=date(2019, 1, 1)), "end_date")
    services.link_end(actor=analyst, link=link, end_date=date(2024, 6, 30))
    assert Link.objects.get(pk=link.pk).end_date == date(2024, 6, 30)
    _refused(
        lambda: services.link_end(actor=analyst, link=link, end_date=date(2024, 7, 1)),
        "end_date",
        "al beëindigd",
    )


# --- merge and undo -----------------------------------------------------------------------------------------------


def _state(*objs):
    """Everything stored about some records, for exact before/after comparison."""
    out = []
    for obj in objs:
        fresh = type(obj)._base_manager.get(pk=obj.pk)
        out.append(
            {
                f.attname: getattr(fresh, f.attname)
                for f in type(obj)._meta.concrete_fields
                if f.attname != "updated_at"
            }
        )
    return out


def _links():
    return sorted(Link.objects.values_list("pk", "from_kind", "from_id", "to_kind", "to_id", "link_type"))


def test_merge_moves_links_and_references_and_undo_restores_exactly(analyst, reference_model):
    survivor = services.person_create(
        actor=analyst, voornamen="Jan Hendrik", geslachtsnaam="Jansen", birth_date=date(1979, 3, 14)
    )
    duplicate = services.person_create(
        actor=analyst,
        voornamen="Jan",
        geslachtsnaam="Janssen",
        birth_date=date(1979, 3, 14),
        birth_place="Almelo",
        bsn="111222333",
        aliases=["Jantje"],
    )
    other = PersonFactory()
    home = AddressFactory()
    LinkFactory(source_obj=duplicate, target_obj=home, link_type=LinkType.WOONT_OP)
    LinkFactory(source_obj=other, target_obj=duplicate, link_type=LinkType.FAMILIE_VAN)
    LinkFactory(source_obj=survivor, target_obj=other, link_type=LinkType.ZAKENPARTNER_VAN)
    ref_dup = reference_model.objects.create(title="dossier over duplicaat", person=duplicate)
    ref_surv = reference_model.objects.create(title="dossier over survivor", person=survivor)
    before_records, before_links = _state(survivor, duplicate, other, home), _links()

    merge = services.subject_merge(
        actor=analyst, survivor=survivor, duplicate=duplicate, reason="zelfde persoon, tikfout"
    )

    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == survivor.pk and duplicate.merged_into_kind == "person"
    assert survivor.birth_place == "Almelo" and survivor.bsn == "111222333"
    assert survivor.provenance["birth_place"]["from"] == f"person:{duplicate.pk}"
    assert survivor.provenance["bsn"]["merge"] == merge.pk
    assert survivor.aliases == ["Jan Janssen", "Jantje"]
    assert Link.objects.filter(from_kind="person", from_id=duplicate.pk).count() == 0
    assert Link.objects.filter(to_kind="person", to_id=duplicate.pk).count() == 0
    assert Link.objects.filter(from_kind="person", from_id=survivor.pk, to_kind="address").count() == 1
    assert reference_model.objects.get(pk=ref_dup.pk).person_id == survivor.pk
    assert {r["model"] for r in merge.snapshot["references"]} == {"subjects.testcasefile"}
    assert "111222333" not in str(merge.snapshot)  # no plaintext BSN in the merge record

    services.subject_merge_undo(actor=analyst, merge=merge)

    assert _state(survivor, duplicate, other, home) == before_records
    assert _links() == before_links
    assert reference_model.objects.get(pk=ref_dup.pk).person_id == duplicate.pk
    assert reference_model.objects.get(pk=ref_surv.pk).person_id == survivor.pk
    merge.refresh_from_db()
    assert merge.undone_at is not None and merge.undone_by == analyst
    _refused(lambda: services.subject_merge_undo(actor=analyst, merge=merge), None, "al ongedaan")


def test_undo_after_later_edits_keeps_those_edits(analyst, reference_model):
    survivor = services.person_create(actor=analyst, geslachtsnaam="Jansen")
    duplicate = services.person_create(
        actor=analyst, geslachtsnaam="Jansen", birth_place="Almelo", birth_date=date(1980, 1, 1)
    )
    home = AddressFactory()
    moved = LinkFactory(source_obj=duplicate, target_obj=home, link_type=LinkType.WOONT_OP)
    merge = services.subject_merge(actor=analyst, survivor=survivor, duplicate=duplicate)

    # after the merge: one merged value edited, one kept, a new link and a new reference
    services.person_update(actor=analyst, person=survivor, birth_place="Hengelo")
    later_link = services.link_create(
        actor=analyst, source_obj=survivor, target_obj=AddressFactory(), link_type=LinkType.HUURDER_VAN
    )
    later_ref = reference_model.objects.create(title="nieuw", person=survivor)

    services.subject_merge_undo(actor=analyst, merge=merge)
    survivor.refresh_from_db()
    assert survivor.birth_place == "Hengelo"  # edited after the merge: kept
    assert survivor.birth_date is None  # untouched since the merge: restored
    assert Link.objects.get(pk=moved.pk).from_id == duplicate.pk
    assert Link.objects.get(pk=later_link.pk).from_id == survivor.pk
    assert reference_model.objects.get(pk=later_ref.pk).person_id == survivor.pk


def test_merge_refusals(analyst, make_user):
    a, b = PersonFactory(), PersonFactory()
    org = OrganisationFactory()
    _refused(
        lambda: services.subject_merge(actor=analyst, survivor=a, duplicate=a), "duplicate", "met zichzelf"
    )
    _refused(
        lambda: services.subject_merge(actor=analyst, survivor=a, duplicate=org),
        "duplicate",
        "dezelfde soort",
    )
    _refused(
        lambda: services.subject_merge(actor=make_user("decision_maker"), survivor=a, duplicate=b),
        None,
        "samenvoegen",
    )
    c = PersonFactory(bsn="111222333")
    d = PersonFactory(bsn="123456782")
    _refused(lambda: services.subject_merge(actor=analyst, survivor=c, duplicate=d), "duplicate", "BSN")
    services.subject_merge(actor=analyst, survivor=a, duplicate=b)
    _refused(
        lambda: services.subject_merge(actor=analyst, survivor=c, duplicate=Person.objects.get(pk=b.pk)),
        "duplicate",
        "al samengevoegd",
    )
    _refused(lambda: services.person_update(actor=analyst, person=b, birth_place="X"), None, "samengevoegd")
    assert MergeRecord.objects.count() == 1


def test_merge_of_records_the_actor_cannot_see_is_refused(analyst, other_team):
    mine, theirs = PersonFactory(), PersonFactory(owner_team=other_team)
    _refused(
        lambda: services.subject_merge(actor=analyst, survivor=mine, duplicate=theirs),
        "duplicate",
        "mag inzien",
    )
    assert not Person.objects.get(pk=theirs.pk).is_merged


def test_chained_merge_must_be_undone_in_reverse_order(analyst):
    a, b, c = PersonFactory(), PersonFactory(), PersonFactory()
    first = services.subject_merge(actor=analyst, survivor=b, duplicate=a)
    services.subject_merge(actor=analyst, survivor=c, duplicate=b)
    _refused(lambda: services.subject_merge_undo(actor=analyst, merge=first), None, "latere samenvoeging")
    first.refresh_from_db()
    assert first.undone_at is None  # nothing was undone


def test_organisation_merge_keeps_names_as_trade_names_and_refuses_different_kvk(analyst):
    a = services.organisation_create(actor=analyst, name="Autohandel Wessels B.V.", kvk_number="61234567")
    b = services.organisation_create(
        actor=analyst, name="Autohandel Wessels", trade_names=["Wessels Auto's"], risk_branch="auto"
    )
    c = services.organisation_create(actor=analyst, name="Wessels", kvk_number="61234568")
    _refused(lambda: services.subject_merge(actor=analyst, survivor=a, duplicate=c), "duplicate", "KvK")
    merge = services.subject_merge(actor=analyst, survivor=a, duplicate=b)
    a.refresh_from_db()
    assert a.trade_names == ["Autohandel Wessels", "Wessels Auto's"] and a.risk_branch == "auto"
    services.subject_merge_undo(actor=analyst, merge=merge)
    a.refresh_from_db()
    assert a.trade_names == [] and a.risk_branch == ""


def test_reference_discovery_skips_object_permission_tables():
    labels = {r.label for r in services.reference_fields(Person)}
    assert "subjects.personuserobjectpermission" not in labels
    assert "subjects.persongroupobjectpermission" not in labels


def test_merge_and_undo_are_audited(analyst):
    from auditlog.models import LogEntry

    a, b = PersonFactory(), PersonFactory()
    merge = services.subject_merge(actor=analyst, survivor=a, duplicate=b)
    services.subject_merge_undo(actor=analyst, merge=merge)
    merge_entries = LogEntry.objects.get_for_object(merge)
    assert merge_entries.filter(action=LogEntry.Action.CREATE).exists()
    assert any("undone_at" in (e.changes or {}) for e in merge_entries)
    duplicate_entries = [
        e.changes or {} for e in LogEntry.objects.get_for_object(Person.objects.get(pk=b.pk))
    ]
    assert sum("merged_into_id" in c for c in duplicate_entries) == 2  # merged, then restored
    assert merge.kind == SubjectKind.PERSON
