"""Views end to end: rendered HTML, status codes, the access log and the database."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django.urls import reverse

from subjects.constants import LinkType
from subjects.models import Link, MergeRecord, Person
from tests.factories.subjects import (
    AddressFactory,
    LinkFactory,
    OrganisationFactory,
    PersonFactory,
    VehicleFactory,
)
from vik.core.models import AccessLog

pytestmark = pytest.mark.django_db
REASON = "Onderzoek naar signalen ondermijning wijk Centrum"


@pytest.fixture
def client_(analyst, login, with_purpose):
    return with_purpose(login(analyst), REASON)


def test_search_page_finds_with_typo_and_logs_one_row(client_, analyst):
    PersonFactory(voornamen="Jan", geslachtsnaam="Jansen")
    resp = client_.get(reverse("subjects:search"), {"q": "Jansne"})
    assert resp.status_code == 200
    assert "Jan Jansen" in resp.content.decode()
    row = AccessLog.objects.get(actor_id=analyst.pk, action="search")
    assert REASON in row.purpose
    hit = AccessLog.objects.get(actor_id=analyst.pk, action="read")  # the hit shown
    assert hit.ref_kind == "subjects.person" and REASON in hit.purpose


def test_typeahead_fragment(client_):
    PersonFactory(voornamen="Jan", geslachtsnaam="Jansen")
    resp = client_.get(reverse("subjects:typeahead"), {"q": "jans"}, HTTP_HX_REQUEST="true")
    body = resp.content.decode()
    assert resp.status_code == 200 and "<html" not in body and "Jan Jansen" in body


def test_search_without_purpose_is_refused_with_a_message(analyst, login):
    PersonFactory(voornamen="Jan", geslachtsnaam="Jansen")
    resp = login(analyst).get(reverse("subjects:search"), {"q": "Jansen"})
    assert resp.status_code == 400
    body = resp.content.decode()
    assert "Geef eerst een doel op" in body and "Jan Jansen" not in body
    assert AccessLog.objects.filter(actor_id=analyst.pk).count() == 0


def test_invalid_bsn_query_gets_a_dutch_message(client_):
    resp = client_.get(reverse("subjects:search"), {"q": "111222334"})
    assert resp.status_code == 400 and "elfproef" in resp.content.decode()


def test_person_page_logs_a_read_with_purpose_and_shows_timeline(client_, analyst):
    person = PersonFactory(voornamen="Jan", geslachtsnaam="Jansen", bsn="111222333")
    home = AddressFactory(street="Grotestraat", house_number=12)
    LinkFactory(source_obj=person, target_obj=home, link_type=LinkType.WOONT_OP, start_date=date(2020, 4, 1))
    resp = client_.get(reverse("subjects:person_detail", kwargs={"pk": person.pk}))
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "Jan Jansen" in body and "Grotestraat 12" in body and "01-04-2020" in body
    # the linked address the page names has its own row (issue #15 item 4)
    assert AccessLog.objects.filter(actor_id=analyst.pk, ref_kind="subjects.address").count() == 1
    row = AccessLog.objects.get(actor_id=analyst.pk, ref_kind="subjects.person")
    assert (row.action, row.actor_id, row.purpose) == ("read", analyst.pk, f"Reden: {REASON}")


def test_detail_without_purpose_asks_for_one_and_logs_nothing(analyst, login):
    person = PersonFactory()
    resp = login(analyst).get(reverse("subjects:person_detail", kwargs={"pk": person.pk}))
    assert resp.status_code == 400 and "Doel opgeven" in resp.content.decode()
    assert AccessLog.objects.filter(actor_id=analyst.pk).count() == 0


@pytest.mark.parametrize("factory", [PersonFactory, OrganisationFactory, AddressFactory, VehicleFactory])
def test_foreign_records_answer_404_everywhere_and_log_denied(client_, analyst, other_team, factory):
    theirs = factory(owner_team=other_team)
    sealed = factory(compartment="bibob")
    kind = theirs.kind
    for obj in (theirs, sealed):
        for name in ("detail", "edit", "network", "network_json", "link_create", "merge"):
            resp = client_.get(reverse(f"subjects:{kind}_{name}", kwargs={"pk": obj.pk}))
            assert resp.status_code == 404, name
    denied = AccessLog.objects.filter(action="denied", actor_id=analyst.pk)
    assert denied.count() == 12 and all(r.result == "denied" for r in denied)


@pytest.fixture
def foreign_ids(other_team):
    """Records the analyst may not see: another team's, and one in a compartment they lack."""
    return [
        PersonFactory(owner_team=other_team, geslachtsnaam="Vreemd").pk,
        PersonFactory(compartment="bibob", geslachtsnaam="Verzegeld").pk,
    ]


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=st.data())
def test_hypothesis_foreign_ids_never_reveal_a_record(client_, foreign_ids, data):
    pk = data.draw(st.one_of(st.sampled_from(foreign_ids), st.integers(min_value=1, max_value=2**62)))
    for name in ("person_detail", "person_network_json"):
        resp = client_.get(reverse(f"subjects:{name}", kwargs={"pk": pk}))
        assert resp.status_code == 404
        assert b"Vreemd" not in resp.content and b"Verzegeld" not in resp.content


def test_search_count_and_network_hide_foreign_records(client_, other_team):
    mine = PersonFactory(geslachtsnaam="Jansen")
    theirs = PersonFactory(geslachtsnaam="Jansen", voornamen="Geheim", owner_team=other_team)
    LinkFactory(source_obj=mine, target_obj=theirs, link_type=LinkType.FAMILIE_VAN)
    body = client_.get(reverse("subjects:search"), {"q": "Jansen"}).content.decode()
    assert "Geheim" not in body and "1 resultaat" in body
    data = client_.get(reverse("subjects:person_network_json", kwargs={"pk": mine.pk})).json()
    assert [n["id"] for n in data["nodes"]] == [f"person-{mine.pk}"] and data["edges"] == []
    page = client_.get(reverse("subjects:person_network", kwargs={"pk": mine.pk})).content.decode()
    assert "Geheim" not in page and 'id="vik-network-data"' in page


def test_roles_without_subject_permission_get_404(users, login, with_purpose):
    for role in ("partner", "functional_admin", "privacy_officer"):
        resp = with_purpose(login(users[role])).get(reverse("subjects:search"), {"q": "Jansen"})
        assert resp.status_code == 404, role


def test_create_person_with_bad_bsn_shows_dutch_error_at_field(client_):
    resp = client_.post(
        reverse("subjects:person_create"),
        {"geslachtsnaam": "Jansen", "bsn": "123456789", "compartment": "general"},
    )
    assert resp.status_code == 400
    body = resp.content.decode()
    assert 'id="id_bsn_error"' in body and "elfproef" in body
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    "url,data,field,fragment",
    [
        ("subjects:organisation_create", {"name": "X", "kvk_number": "123"}, "kvk_number", "8 cijfers"),
        (
            "subjects:address_create",
            {"street": "A", "house_number": 1, "postcode": "7607 SS", "town": "Almelo"},
            "postcode",
            "SS",
        ),
        (
            "subjects:address_create",
            {
                "street": "A",
                "house_number": 1,
                "postcode": "7607AB",
                "town": "Almelo",
                "bag_nummeraanduiding": "0141010000000001",
            },
            "bag_nummeraanduiding",
            "verblijfsobject",
        ),
        ("subjects:vehicle_create", {"kenteken": "AB-1"}, "kenteken", "6 letters"),
    ],
)
def test_create_forms_bad_identifiers(client_, url, data, field, fragment):
    resp = client_.post(reverse(url), {**data, "compartment": "general"})
    assert resp.status_code == 400
    body = resp.content.decode()
    assert f'id="id_{field}_error"' in body and fragment in body


def test_create_shows_likely_duplicates_then_creates_on_confirm(client_):
    existing = PersonFactory(voornamen="Jan", geslachtsnaam="Jansen", birth_date=date(1979, 3, 14))
    home = AddressFactory(postcode="7607AB", house_number=12)
    data = {
        "voornamen": "Jan",
        "geslachtsnaam": "van Jansen",
        "birth_date": "1979-03-14",
        "compartment": "general",
        "postcode": "7607 AB",
        "house_number": "12",
    }
    resp = client_.post(reverse("subjects:person_create"), data)
    assert resp.status_code == 200 and 'data-testid="duplicates"' in resp.content.decode()
    assert str(existing) in resp.content.decode()
    assert Person.objects.count() == 1
    resp = client_.post(reverse("subjects:person_create"), {**data, "confirm": "1"})
    created = Person.objects.exclude(pk=existing.pk).get()
    assert resp.status_code == 302 and resp.url == reverse(
        "subjects:person_detail", kwargs={"pk": created.pk}
    )
    assert (created.voorvoegsel, created.geslachtsnaam) == ("van", "Jansen")
    assert Link.objects.filter(from_id=created.pk, to_id=home.pk, link_type="woont_op").exists()


def test_edit_person(client_):
    person = PersonFactory(geslachtsnaam="Jansen")
    url = reverse("subjects:person_edit", kwargs={"pk": person.pk})
    assert client_.get(url).status_code == 200
    resp = client_.post(url, {"geslachtsnaam": "de Boer", "voornamen": "Els", "bsn": ""})
    assert resp.status_code == 302
    person.refresh_from_db()
    assert (person.voorvoegsel, person.geslachtsnaam, person.initials) == ("de", "Boer", "E.")


def test_link_create_and_end_from_the_subject_page(client_, other_team):
    person, org = PersonFactory(), OrganisationFactory()
    hidden = OrganisationFactory(owner_team=other_team)
    url = reverse("subjects:person_link_create", kwargs={"pk": person.pk})
    resp = client_.post(
        url,
        {
            "link_type": "bestuurder_van",
            "direction": "out",
            "target_kind": "organisation",
            "target_id": hidden.pk,
            "reliability": "B",
        },
    )
    assert resp.status_code == 400 and "geen organisatie met dit nummer" in resp.content.decode()
    resp = client_.post(
        url,
        {
            "link_type": "bestuurder_van",
            "direction": "out",
            "target_kind": "organisation",
            "target_id": org.pk,
            "reliability": "B",
            "start_date": "2022-01-01",
        },
    )
    assert resp.status_code == 302
    link = Link.objects.get()
    assert (link.from_id, link.to_id, link.to_kind) == (person.pk, org.pk, "organisation")
    resp = client_.post(reverse("subjects:link_end", kwargs={"pk": link.pk}), {"end_date": "2021-01-01"})
    assert resp.status_code == 400
    resp = client_.post(
        reverse("subjects:link_end", kwargs={"pk": link.pk}),
        {"end_date": "2024-01-01", "back_kind": "person", "back_id": person.pk},
    )
    assert resp.status_code == 302 and Link.objects.get().end_date == date(2024, 1, 1)


def test_merge_screen_merge_and_undo(client_, analyst):
    a = PersonFactory(voornamen="Jan", geslachtsnaam="Jansen", birth_date=date(1979, 3, 14))
    b = PersonFactory(voornamen="Jan", geslachtsnaam="Janssen", birth_date=date(1979, 3, 14))
    url = reverse("subjects:person_merge", kwargs={"pk": a.pk})
    page = client_.get(url).content.decode()
    assert "Jan Janssen" in page and 'data-testid="merge-candidates"' in page
    resp = client_.post(url, {"duplicate_id": a.pk})
    assert resp.status_code == 400 and "met zichzelf" in resp.content.decode()
    resp = client_.post(url, {"duplicate_id": b.pk, "reason": "tikfout"})
    merge = MergeRecord.objects.get()
    assert resp.status_code == 302 and resp.url == reverse("subjects:merge_detail", kwargs={"pk": merge.pk})
    assert Person.objects.get(pk=b.pk).merged_into_id == a.pk
    before = AccessLog.objects.filter(action="read", detail=f"samenvoeging {merge.pk}").count()
    page = client_.get(resp.url).content.decode()
    assert "Jan Janssen" in page and "Jan Jansen" in page
    # the merge page names both persons: one read row for each, with the purpose
    rows = AccessLog.objects.filter(action="read", detail=f"samenvoeging {merge.pk}", actor_id=analyst.pk)
    assert rows.count() == before + 2 and all(r.purpose for r in rows)
    resp = client_.post(reverse("subjects:merge_undo", kwargs={"pk": merge.pk}))
    assert resp.status_code == 302
    assert Person.objects.get(pk=b.pk).merged_into_id is None
    assert "Ongedaan gemaakt" in client_.get(resp.url).content.decode()


def test_decision_maker_can_read_but_not_merge_or_edit(make_user, login, with_purpose):
    person = PersonFactory()
    client = with_purpose(login(make_user("decision_maker")))
    assert client.get(reverse("subjects:person_detail", kwargs={"pk": person.pk})).status_code == 200
    for name in ("edit", "merge", "link_create"):
        assert client.get(reverse(f"subjects:person_{name}", kwargs={"pk": person.pk})).status_code == 404
    assert client.get(reverse("subjects:person_create")).status_code == 404


def _queries(client, url, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_rows_shown(client_):
    """DESIGN §7: a page's queries do not grow with the number of rows it shows."""
    person = PersonFactory(geslachtsnaam="Jansen")

    def add_links(n):
        for i in range(n):
            LinkFactory(source_obj=person, target_obj=AddressFactory(), link_type=LinkType.WOONT_OP)
            LinkFactory(
                source_obj=OrganisationFactory(name=f"Bedrijf {i}"),
                target_obj=person,
                link_type=LinkType.ZAKENPARTNER_VAN,
            )
            PersonFactory(geslachtsnaam="Jansen")

    urls = [
        (reverse("subjects:person_detail", kwargs={"pk": person.pk}), {}),
        (reverse("subjects:person_network", kwargs={"pk": person.pk}), {}),
        (reverse("subjects:search"), {"q": "Jansen"}),
    ]
    add_links(1)
    _queries(client_, *urls[0])  # first request creates the access-log reference
    small = [_queries(client_, *u) for u in urls]
    add_links(15)
    large = [_queries(client_, *u) for u in urls]
    assert large == small
