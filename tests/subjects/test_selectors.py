"""Search, likely duplicates, the subject page and the network: ranked, need-to-know filtered,
purpose-bound and access-logged."""

from datetime import date

import pytest

from subjects import selectors
from subjects.constants import LinkType
from subjects.models import Organisation
from tests.factories.subjects import (
    AddressFactory,
    LinkFactory,
    OrganisationFactory,
    PersonFactory,
    VehicleFactory,
)
from vik.core.constants import AccessAction
from vik.core.exceptions import ApplicationError, PurposeRequired
from vik.core.models import AccessLog
from vik.core.registry import TimelineEntry, registry

pytestmark = pytest.mark.django_db
PURPOSE = "Reden: onderzoek signaal Grotestraat"


def search(user, q, **kw):
    return selectors.subject_search(user=user, query=q, purpose=PURPOSE, **kw)


def labels(result):
    return [h.label for h in result.hits]


@pytest.fixture
def people(analyst):
    return {
        "jansen": PersonFactory(
            voornamen="Jan", geslachtsnaam="Jansen", birth_date=date(1979, 3, 14), bsn="111222333"
        ),
        "pjansen": PersonFactory(voornamen="Piet", geslachtsnaam="Jansen", birth_date=date(1990, 1, 1)),
        "janssen": PersonFactory(voornamen="Anna", geslachtsnaam="Janssen"),
        "bakker": PersonFactory(voornamen="Kees", geslachtsnaam="Bakker"),
        "berg": PersonFactory(voornamen="Pieter", geslachtsnaam="van der Berg"),
        "yilmaz": PersonFactory(voornamen="Ayşe", geslachtsnaam="Yılmaz"),
    }


def test_typo_finds_jansen_first(analyst, people):
    result = search(analyst, "Jansne")
    assert result.hits[0].label in {"Jan Jansen", "Piet Jansen"}
    assert "Kees Bakker" not in labels(result)


def test_voorvoegsel_and_accents_do_not_matter(analyst, people):
    assert "Pieter van der Berg" in labels(search(analyst, "Berg"))
    assert "Pieter van der Berg" in labels(search(analyst, "van den Berg"))
    assert "Ayşe Yılmaz" in labels(search(analyst, "yilmaz"))


def test_aliases_and_trade_names_are_searched(analyst, people):
    PersonFactory(voornamen="Mo", geslachtsnaam="Bouzid", aliases=["De Snor", "Mo B."])
    OrganisationFactory(name="Holding Almelo B.V.", trade_names=["Shisha Palace"])
    assert labels(search(analyst, "snor")) == ["Mo Bouzid"]
    assert labels(search(analyst, "shisha palace")) == ["Holding Almelo B.V."]


def test_merged_name_stays_findable_as_alias_of_the_survivor(analyst, people):
    from subjects.services import subject_merge

    subject_merge(actor=analyst, survivor=people["bakker"], duplicate=people["yilmaz"])
    assert labels(search(analyst, "Yılmaz")) == ["Kees Bakker"]


def test_prefix_typeahead_finds_while_typing(analyst, people):
    assert {"Jan Jansen", "Piet Jansen", "Anna Janssen"} <= set(labels(search(analyst, "jan")))


def test_narrowing_by_initials_given_name_and_birth_date(analyst, people):
    assert labels(search(analyst, "P. Jansen")) == ["Piet Jansen"]
    assert labels(search(analyst, "Jan Jansen"))[0] == "Jan Jansen"
    assert "Piet Jansen" not in labels(search(analyst, "Jan Jansen"))
    assert labels(search(analyst, "Jansen 14-03-1979")) == ["Jan Jansen"]
    assert labels(search(analyst, "Jansen", filters={"birth_date": date(1990, 1, 1)})) == ["Piet Jansen"]


def test_exact_bsn_through_blind_index(analyst, people):
    result = search(analyst, "1112.22.333")
    assert [h.label for h in result.hits if h.kind == "person"] == ["Jan Jansen"]
    rows = AccessLog.objects.filter(actor_id=analyst.pk)
    assert rows.exists() and all("111222333" not in r.detail for r in rows)  # no plaintext BSN


def test_invalid_bsn_in_search_is_refused_with_reason(analyst, people):
    with pytest.raises(ApplicationError) as exc:
        search(analyst, "111222334")
    assert "elfproef" in exc.value.message
    assert AccessLog.objects.filter(actor_id=analyst.pk).count() == 0


def test_postcode_house_number_kvk_and_kenteken(analyst, people):
    home = AddressFactory(street="Grotestraat", house_number=12, postcode="7607AB")
    AddressFactory(street="Grotestraat", house_number=14, postcode="7607AB")
    LinkFactory(source_obj=people["bakker"], target_obj=home, link_type=LinkType.WOONT_OP)
    org = OrganisationFactory(name="Shisha Lounge Almelo", kvk_number="61234567")
    car = VehicleFactory(kenteken="12ABC3")
    result = search(analyst, "7607 AB 12")
    assert [(h.kind, h.label) for h in result.hits][:1] == [("address", "Grotestraat 12, 7607 AB Almelo")]
    assert "Kees Bakker" in labels(result)  # lives there
    assert "Grotestraat 14, 7607 AB Almelo" not in labels(result)
    narrowed = search(analyst, "Bakker", filters={"postcode": "7607AB", "house_number": 12})
    assert [h.label for h in narrowed.hits if h.kind == "person"] == ["Kees Bakker"]
    assert labels(search(analyst, "Bakker", filters={"postcode": "7607AB", "house_number": 14})) == [
        "Grotestraat 14, 7607 AB Almelo"
    ]
    assert labels(search(analyst, "61234567")) == [org.name]
    assert labels(search(analyst, "shisha")) == [org.name]
    assert [(h.kind, h.id) for h in search(analyst, "12-abc-3").hits] == [("vehicle", car.pk)]
    assert "Grotestraat 14, 7607 AB Almelo" in labels(search(analyst, "grotestraat 14"))


def test_street_search_ignores_accents_and_case_and_matches_inside_the_name(analyst, people):
    """The street search runs on the trigram index's expression (upper(vik_unaccent(street))):
    accents and case do not matter either way round, a part of the name is enough, and % or _
    in the query are literal characters, not wildcards."""
    church = AddressFactory(street="Rue de l'Église", house_number=3, postcode="7607AC")
    dike = AddressFactory(street="Hoge Dijkweg", house_number=8, postcode="7607AD")
    assert [h.id for h in search(analyst, "eglise").hits if h.kind == "address"] == [church.pk]
    assert [h.id for h in search(analyst, "ÉGLISE").hits if h.kind == "address"] == [church.pk]
    assert [h.id for h in search(analyst, "dijkw").hits if h.kind == "address"] == [dike.pk]
    assert [h.id for h in search(analyst, "hoge dijk 8").hits if h.kind == "address"] == [dike.pk]
    assert [h for h in search(analyst, "h%ge").hits if h.kind == "address"] == []
    assert [h for h in search(analyst, "hog_ dijk").hits if h.kind == "address"] == []


def test_search_without_purpose_is_refused_and_not_logged(analyst, people):
    with pytest.raises(PurposeRequired):
        selectors.subject_search(user=analyst, query="Jansen", purpose=None)
    assert AccessLog.objects.filter(actor_id=analyst.pk).count() == 0


def test_search_writes_one_search_row_and_a_read_row_per_hit_with_the_purpose(analyst, people):
    result = search(analyst, "Jansen")
    reads = AccessLog.objects.filter(actor_id=analyst.pk, action=AccessAction.READ)
    assert reads.count() == len(result.hits) > 0  # each hit names a record (issue #15 item 4)
    assert {r.purpose for r in reads} == {PURPOSE} and {r.detail for r in reads} == {"zoekresultaat"}
    row = AccessLog.objects.get(actor_id=analyst.pk, action=AccessAction.SEARCH)
    assert (row.action, row.purpose, row.actor_id, row.result) == (
        AccessAction.SEARCH,
        PURPOSE,
        analyst.pk,
        "allowed",
    )
    assert "Jansen" in row.detail


def test_other_team_and_other_compartment_never_appear(analyst, other_team, people):
    PersonFactory(voornamen="Hidden", geslachtsnaam="Jansen", owner_team=other_team)
    PersonFactory(voornamen="Sealed", geslachtsnaam="Jansen", compartment="bibob")
    found = labels(search(analyst, "Jansen"))
    assert "Hidden Jansen" not in found and "Sealed Jansen" not in found
    assert selectors.person_list(user=analyst).filter(geslachtsnaam="Jansen").count() == 2


def test_merged_records_leave_the_search(analyst, people):
    from subjects.services import subject_merge

    subject_merge(actor=analyst, survivor=people["jansen"], duplicate=people["janssen"])
    assert "Anna Janssen" not in labels(search(analyst, "Janssen"))


def test_roles_without_subject_permission_find_nothing(make_user, people):
    for role in ("partner", "functional_admin", "privacy_officer"):
        assert search(make_user(role), "Jansen").hits == []


# --- likely duplicates -----------------------------------------------------------------------


def test_likely_duplicates_same_bsn_first_then_name_and_birth_date_then_address(analyst, people):
    home = AddressFactory(postcode="7607AB", house_number=3)
    housemate = PersonFactory(voornamen="Els", geslachtsnaam="Visser")
    LinkFactory(source_obj=housemate, target_obj=home, link_type=LinkType.WOONT_OP)
    data = {
        "geslachtsnaam": "Jansen",
        "voornamen": "J.",
        "birth_date": date(1979, 3, 14),
        "bsn": "111222333",
        "postcode": "7607 AB",
        "house_number": 3,
    }
    found = selectors.likely_duplicates(user=analyst, kind="person", data=data)
    assert [c.label for c in found][:1] == ["Jan Jansen"]
    assert found[0].reason == "zelfde BSN"
    assert "Els Visser" in [c.label for c in found]
    assert "Piet Jansen" not in [c.label for c in found]  # other birth date
    typo = selectors.likely_duplicates(
        user=analyst, kind="person", data={"geslachtsnaam": "Jansne", "birth_date": date(1979, 3, 14)}
    )
    assert [c.label for c in typo] == ["Jan Jansen"]


def test_likely_duplicates_of_other_kinds(analyst, other_team):
    org = OrganisationFactory(name="Autohandel Wessels B.V.", kvk_number="61234567")
    OrganisationFactory(name="Autohandel Wessels", owner_team=other_team)
    assert [
        c.obj
        for c in selectors.likely_duplicates(
            user=analyst, kind="organisation", data={"name": "Autohandel Wesels"}
        )
    ] == [org]
    assert [
        c.obj
        for c in selectors.likely_duplicates(
            user=analyst, kind="organisation", data={"kvk_number": "6123 4567"}
        )
    ] == [org]
    addr = AddressFactory(postcode="7607AB", house_number=5, bag_nummeraanduiding="0141200000000005")
    assert [
        c.obj
        for c in selectors.likely_duplicates(
            user=analyst, kind="address", data={"postcode": "7607ab", "house_number": 5}
        )
    ] == [addr]
    car = VehicleFactory(kenteken="12ABC3")
    assert [
        c.obj
        for c in selectors.likely_duplicates(user=analyst, kind="vehicle", data={"kenteken": "12-abc-3"})
    ] == [car]


# --- subject page ---------------------------------------------------------------------------------


def test_links_and_addresses_over_time_hide_what_the_user_may_not_see(analyst, other_team):
    person = PersonFactory()
    old = AddressFactory(street="Oudestraat")
    new = AddressFactory(street="Nieuwstraat")
    secret = AddressFactory(street="Geheimstraat", owner_team=other_team)
    LinkFactory(
        source_obj=person,
        target_obj=old,
        link_type=LinkType.WOONT_OP,
        start_date=date(2010, 1, 1),
        end_date=date(2019, 12, 31),
    )
    LinkFactory(source_obj=person, target_obj=new, link_type=LinkType.WOONT_OP, start_date=date(2020, 1, 1))
    LinkFactory(source_obj=person, target_obj=secret, link_type=LinkType.HUURDER_VAN)
    LinkFactory(
        source_obj=person, target_obj=new, link_type=LinkType.EIGENAAR_VAN, owner_team=other_team
    )  # hidden link
    rows = selectors.subject_links(user=analyst, subject=person)
    assert [(r.other.street, r.link.link_type) for r in rows] == [
        ("Nieuwstraat", "woont_op"),
        ("Oudestraat", "woont_op"),
    ]
    assert [r.other.street for r in selectors.subject_addresses(rows)] == ["Nieuwstraat", "Oudestraat"]


def test_timeline_merges_providers_newest_first_and_filters(analyst):
    person = PersonFactory()
    addr = AddressFactory()
    LinkFactory(source_obj=person, target_obj=addr, link_type=LinkType.WOONT_OP, start_date=date(2020, 1, 1))

    def signals_provider(user, subject):
        return [
            TimelineEntry(date(2023, 5, 1), "signal", "Signaal 12"),
            TimelineEntry(date(2021, 2, 1), "signal", "Signaal 7"),
        ]

    def broken_provider(user, subject):
        raise RuntimeError("provider of another app is broken")

    registry.timeline.extend([signals_provider, broken_provider])
    try:
        rows = selectors.subject_links(user=analyst, subject=person)
        entries, kinds = selectors.subject_timeline(user=analyst, subject=person, rows=rows)
        assert [e.title for e in entries][:2] == ["Signaal 12", "Signaal 7"]
        assert entries[-1].kind == "link"
        assert kinds == ["link", "signal"]
        only, _ = selectors.subject_timeline(user=analyst, subject=person, rows=rows, kind="link")
        assert {e.kind for e in only} == {"link"}
    finally:
        registry.timeline.remove(signals_provider)
        registry.timeline.remove(broken_provider)


# --- network --------------------------------------------------------------------------------------------


def test_network_two_hops_only_through_visible_records(analyst, other_team):
    root = PersonFactory(geslachtsnaam="Root")
    friend = PersonFactory(geslachtsnaam="Friend")
    far = PersonFactory(geslachtsnaam="Far")
    too_far = PersonFactory(geslachtsnaam="TooFar")
    hidden = PersonFactory(geslachtsnaam="Hidden", owner_team=other_team)
    behind_hidden = PersonFactory(geslachtsnaam="BehindHidden")
    sealed = PersonFactory(geslachtsnaam="Sealed", compartment="bibob")
    LinkFactory(source_obj=root, target_obj=friend)
    LinkFactory(source_obj=friend, target_obj=far)
    LinkFactory(source_obj=far, target_obj=too_far)
    LinkFactory(source_obj=root, target_obj=hidden)
    LinkFactory(source_obj=hidden, target_obj=behind_hidden)
    LinkFactory(source_obj=sealed, target_obj=root)
    net = selectors.subject_network(user=analyst, subject=root)
    names = {n["label"] for n in net["nodes"]}
    assert names == {"Jan Root", "Piet Friend", "Anna Far"} or {n.split()[-1] for n in names} == {
        "Root",
        "Friend",
        "Far",
    }
    ids = {n["id"] for n in net["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in net["edges"])
    assert len(net["edges"]) == 2


def test_network_collapses_hubs_and_caps_nodes(analyst):
    root = PersonFactory()
    hub = AddressFactory(street="Twentepoort Oost")
    LinkFactory(source_obj=root, target_obj=hub, link_type=LinkType.WOONT_OP)
    for _ in range(30):
        LinkFactory(source_obj=OrganisationFactory(), target_obj=hub, link_type=LinkType.GEVESTIGD_OP)
    net = selectors.subject_network(user=analyst, subject=root, hub_threshold=25)
    kinds = [n["kind"] for n in net["nodes"]]
    assert kinds.count("organisation") == 0
    count = next(n for n in net["nodes"] if n["kind"] == "count")
    assert count["count"] == 31 and count["url"].endswith(f"/adres/{hub.pk}/")
    # the same hub two hops away (person -> organisation -> hub) is marked with its count too
    director = PersonFactory()
    LinkFactory(
        source_obj=director,
        target_obj=Organisation.objects.order_by("pk").first(),
        link_type=LinkType.BESTUURDER_VAN,
    )
    far = selectors.subject_network(user=analyst, subject=director, hub_threshold=25)
    assert [n["count"] for n in far["nodes"] if n["kind"] == "count"] == [31]
    assert len([n for n in far["nodes"] if n["kind"] == "organisation"]) == 1
    capped = selectors.subject_network(user=analyst, subject=hub, max_nodes=10)
    assert len([n for n in capped["nodes"] if n["kind"] != "count"]) == 10 and capped["truncated"]
