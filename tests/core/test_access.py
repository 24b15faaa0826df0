"""The need-to-know rule of docs/authorization.md, exercised on a real domain model (Person)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django.contrib.auth.models import Group
from django.http import Http404

from subjects.models import Person
from vik.core.access import get_for_user, restrict, share_grant, share_revoke
from vik.core.exceptions import ApplicationError, PurposeRequired
from vik.core.models import BreakGlass
from vik.core.purpose import purpose_set, require_purpose
from vik.core.services import break_glass_open

pytestmark = pytest.mark.django_db


def person(owner, compartment="general", name="Jansen"):
    from vik.core.access import init_visibility

    p = Person.objects.create(
        geslachtsnaam=name, name_normalised=name.lower(), owner_team=owner, compartment=compartment
    )
    init_visibility(p)
    return p


@pytest.fixture
def world(team, other_team, police_org, make_user):
    from django.contrib.auth.models import Permission

    from vik.core.constants import ROLE_ANALYST, ROLE_CHAIR

    view = Permission.objects.get(codename="view_person", content_type__app_label="subjects")
    for role in (ROLE_ANALYST, ROLE_CHAIR):
        Group.objects.get(name=role).permissions.add(view)  # as the subjects app declares
    return {
        "own": person(team),
        "foreign": person(other_team, name="Vreemd"),
        "mma": person(team, "mma", "Tip"),
        "bibob": person(team, "bibob", "Bibob"),
    }


def test_analyst_sees_own_team_records_in_cleared_compartments(world, make_user):
    analyst = make_user("analyst")  # cleared general, mma, police
    visible = set(restrict(Person.objects.all(), analyst).values_list("pk", flat=True))
    assert visible == {world["own"].pk, world["mma"].pk}


def test_clearance_is_required_for_the_compartment(world, make_user):
    analyst = make_user("analyst", clearances=["general"])
    assert set(restrict(Person.objects.all(), analyst)) == {world["own"]}
    with pytest.raises(Http404):
        get_for_user(Person, analyst, world["mma"].pk)


def test_chair_sees_all_teams_but_not_uncleared_compartments(world, make_user):
    chair = make_user("chair")
    assert set(restrict(Person.objects.all(), chair)) == {world["own"], world["foreign"], world["mma"]}


def test_role_without_model_permission_sees_nothing(world, make_user):
    for role in ("partner", "functional_admin", "privacy_officer"):
        user = make_user(role, clearances=["general", "mma", "police", "bibob"])
        assert restrict(Person.objects.all(), user).count() == 0
        with pytest.raises(Http404):
            get_for_user(Person, user, world["own"].pk)


def test_grant_to_user_group_or_organisation_takes_effect_on_next_request(
    world, make_user, other_team, police_org
):
    stranger = make_user("analyst", org=other_team)
    record = world["own"]
    with pytest.raises(Http404):
        get_for_user(Person, stranger, record.pk)
    share_grant(obj=record, target=stranger, actor=stranger, reason="overdracht")
    assert get_for_user(Person, stranger, record.pk) == record
    share_revoke(obj=record, target=stranger, actor=stranger)
    with pytest.raises(Http404):
        get_for_user(Person, stranger, record.pk)
    group = Group.objects.create(name="Werkgroep hennep")
    stranger.groups.add(group)
    stranger = type(stranger).objects.get(pk=stranger.pk)
    share_grant(obj=record, target=group, actor=stranger)
    assert record in restrict(Person.objects.all(), stranger)
    share_grant(obj=record, target=other_team, actor=stranger)
    assert "t:vergunningen" in Person.objects.get(pk=record.pk).visible_to


def test_deactivated_user_sees_nothing(world, make_user):
    analyst = make_user("analyst")
    analyst.is_active = False
    assert restrict(Person.objects.all(), analyst).count() == 0


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.integers(min_value=-5, max_value=10**12))
def test_foreign_ids_always_404(world, make_user, pk):
    analyst = _analyst(make_user)
    if pk in {world["own"].pk, world["mma"].pk}:
        return
    with pytest.raises(Http404):
        get_for_user(Person, analyst, pk)


_cache = {}


def _analyst(make_user):
    if "a" not in _cache or not type(_cache["a"]).objects.filter(pk=_cache["a"].pk).exists():
        _cache["a"] = make_user("analyst")
    return _cache["a"]


def test_break_glass_opens_one_record_for_an_hour_and_tells_the_chair(world, make_user):
    officer = make_user("privacy_officer", clearances=[])
    chair = make_user("chair")
    record = world["foreign"]
    with pytest.raises(ApplicationError):
        break_glass_open(actor=officer, obj=record, reason="te kort")
    with pytest.raises(Http404):
        get_for_user(Person, officer, record.pk)
    break_glass_open(
        actor=officer, obj=record, reason="Klacht van betrokkene over onjuiste registratie, nr 2026-14"
    )
    assert get_for_user(Person, officer, record.pk) == record
    assert restrict(Person.objects.all(), officer).count() == 0  # lists stay closed
    assert chair.notifications.filter(message__contains="Break-glass").count() == 1
    BreakGlass.objects.update(expires_at="2000-01-01T00:00:00Z")
    with pytest.raises(Http404):
        get_for_user(Person, officer, record.pk)


def test_analyst_cannot_break_glass(world, make_user):
    with pytest.raises(ApplicationError):
        break_glass_open(actor=make_user("analyst"), obj=world["foreign"], reason="x" * 30)


def test_purpose_is_required_and_a_short_reason_refused(rf, make_user):
    request = rf.get("/")
    request.user = make_user("analyst")
    from django.contrib.sessions.backends.db import SessionStore

    request.session = SessionStore()
    with pytest.raises(PurposeRequired):
        require_purpose(request)
    with pytest.raises(ApplicationError):
        purpose_set(request=request, reason="kort")
    purpose_set(request=request, reason="Voorbereiding casustafel 12 december")
    assert "Voorbereiding casustafel" in require_purpose(request).label


def test_purpose_case_must_be_visible(rf, make_user, world):
    from vik.core.registry import register_case_kind, registry

    request = rf.get("/")
    request.user = make_user("analyst")
    from django.contrib.sessions.backends.db import SessionStore

    request.session = SessionStore()
    saved = dict(registry.case_kinds)
    try:
        register_case_kind("persoon-test", "Testzaak", lambda user, pk: get_for_user(Person, user, pk))
        own = person(request.user.org_unit)
        from vik.core.models import ProcessingActivity, PurposeMapping

        PurposeMapping.objects.create(
            kind="case",
            key="persoon-test",
            activity=ProcessingActivity.objects.get(code="subjectregistratie"),
        )
        purpose_set(request=request, case_kind="persoon-test", case_id=own.pk)
        with pytest.raises(ApplicationError, match="geen toegang"):
            purpose_set(request=request, case_kind="persoon-test", case_id=own.pk + 1000)
    finally:
        registry.case_kinds.clear()
        registry.case_kinds.update(saved)
