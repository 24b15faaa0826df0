"""User management as least privilege (issue #15 item 1): services of vik.core.users."""

from __future__ import annotations

import pytest

from django.contrib.auth.models import Group
from django.core import mail

from vik.core import users as svc
from vik.core.constants import (
    ROLE_ANALYST,
    ROLE_BIBOB,
    ROLE_CHAIR,
    ROLE_FUNCTIONAL_ADMIN,
    ROLE_PRIVACY_OFFICER,
)
from vik.core.exceptions import ApplicationError
from vik.core.models import GrantRequest, UserChange

REASON = "Nieuwe medewerker team Veiligheid, aanvraag via leidinggevende"


@pytest.fixture
def admin(make_user):
    return make_user("functional_admin", username="beheer1")


@pytest.fixture
def admin2(make_user):
    return make_user("functional_admin", username="beheer2")


@pytest.fixture
def privacy(make_user):
    return make_user("privacy_officer", username="po")


@pytest.fixture
def newbie(make_user):
    return make_user("analyst", username="nieuw", clearances=["general"])


@pytest.mark.django_db
@pytest.mark.parametrize("clearance", ["mma", "police", "bibob"])
def test_compartment_clearance_waits_for_a_second_person(
    admin, privacy, newbie, clearance, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        grant = svc.clearance_grant_request(actor=admin, user=newbie, clearance=clearance, reason=REASON)
    newbie.refresh_from_db()
    assert grant.status == GrantRequest.Status.PENDING
    assert clearance not in newbie.clearances
    # the privacy officer is told there is something to decide; the requester is not
    assert privacy.notifications.filter(link__contains="aanvragen").exists()
    assert not admin.notifications.exists()

    svc.clearance_grant_decide(actor=privacy, request=grant, approve=True, note="")
    newbie.refresh_from_db()
    grant.refresh_from_db()
    assert clearance in newbie.clearances
    assert (grant.status, grant.decided_by) == (GrantRequest.Status.APPROVED, privacy)
    actions = list(
        UserChange.objects.filter(user=newbie).order_by("id").values_list("action", "actor__username")
    )
    assert actions == [("request", "beheer1"), ("grant", "po")]


@pytest.mark.django_db
def test_general_clearance_needs_no_second_person(admin, make_user):
    user = make_user("analyst", username="leeg", clearances=[])
    grant = svc.clearance_grant_request(actor=admin, user=user, clearance="general", reason=REASON)
    user.refresh_from_db()
    assert grant.status == GrantRequest.Status.APPROVED
    assert user.clearances == ["general"]


@pytest.mark.django_db
def test_requester_and_user_concerned_cannot_approve(admin, admin2, newbie, make_user):
    grant = svc.clearance_grant_request(actor=admin, user=newbie, clearance="mma", reason=REASON)
    with pytest.raises(ApplicationError, match="tweede persoon"):
        svc.grant_request_decide(actor=admin, request=grant, approve=True)
    # the user concerned, even if he could approve
    with pytest.raises(ApplicationError):
        svc.grant_request_decide(actor=newbie, request=grant, approve=True)
    analyst = make_user("analyst", username="collega")
    with pytest.raises(ApplicationError, match="geen aanvragen"):
        svc.grant_request_decide(actor=analyst, request=grant, approve=True)
    newbie.refresh_from_db()
    assert "mma" not in newbie.clearances
    # a second functional admin may approve
    svc.grant_request_decide(actor=admin2, request=grant, approve=True)
    newbie.refresh_from_db()
    assert "mma" in newbie.clearances
    with pytest.raises(ApplicationError, match="al besloten"):
        svc.grant_request_decide(actor=admin2, request=grant, approve=False, note="te laat bedacht")


@pytest.mark.django_db
def test_rejection_needs_a_note_and_changes_nothing(admin, privacy, newbie):
    grant = svc.clearance_grant_request(actor=admin, user=newbie, clearance="police", reason=REASON)
    with pytest.raises(ApplicationError) as exc:
        svc.grant_request_decide(actor=privacy, request=grant, approve=False, note="nee")
    assert exc.value.field == "note"
    svc.grant_request_decide(
        actor=privacy, request=grant, approve=False, note="Geen Wpg-grondslag voor deze functie"
    )
    newbie.refresh_from_db()
    grant.refresh_from_db()
    assert grant.status == GrantRequest.Status.REJECTED and "police" not in newbie.clearances
    assert UserChange.objects.filter(user=newbie, action="reject", actor=privacy).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, sensitive",
    [
        (ROLE_ANALYST, False),
        (ROLE_CHAIR, True),  # all teams
        (ROLE_BIBOB, True),  # the Bibob compartment
        (ROLE_PRIVACY_OFFICER, True),  # break-glass, the access log
        (ROLE_FUNCTIONAL_ADMIN, True),  # user management
    ],
)
def test_roles_that_open_more_wait_for_a_second_person(admin, make_user, role, sensitive):
    user = make_user("partner", username="wisselaar")
    group = Group.objects.get(name=role)
    grant = svc.role_grant_request(actor=admin, user=user, group=group, reason=REASON)
    assert (grant.status == GrantRequest.Status.PENDING) is sensitive
    assert user.groups.filter(pk=group.pk).exists() is not sensitive


@pytest.mark.django_db
def test_nobody_changes_their_own_roles_clearances_or_account(admin):
    group = Group.objects.get(name=ROLE_PRIVACY_OFFICER)
    with pytest.raises(ApplicationError, match="eigen"):
        svc.role_grant_request(actor=admin, user=admin, group=group, reason=REASON)
    with pytest.raises(ApplicationError, match="eigen"):
        svc.clearance_grant_request(actor=admin, user=admin, clearance="general", reason=REASON)
    with pytest.raises(ApplicationError, match="eigen"):
        svc.role_revoke(
            actor=admin, user=admin, group=Group.objects.get(name=ROLE_FUNCTIONAL_ADMIN), reason=REASON
        )
    with pytest.raises(ApplicationError, match="eigen"):
        svc.user_deactivate(actor=admin, user=admin, reason=REASON)
    admin.refresh_from_db()
    assert admin.clearances == [] and admin.is_active
    assert not admin.groups.filter(name=ROLE_PRIVACY_OFFICER).exists()


@pytest.mark.django_db
def test_superuser_accounts_are_left_to_the_command_line(admin, make_user):
    root = make_user("analyst", username="root", is_superuser=True)
    with pytest.raises(ApplicationError, match="opdrachtregel"):
        svc.user_deactivate(actor=admin, user=root, reason=REASON)
    with pytest.raises(ApplicationError, match="opdrachtregel"):
        svc.password_reset_send(actor=admin, user=root)


@pytest.mark.django_db
def test_services_never_set_superuser_staff_raw_permissions_or_password(admin, team):
    user = svc.user_create(
        actor=admin,
        username="jvdberg",
        first_name="Jan",
        last_name="Berg",
        email="j@example.nl",
        org_unit=team,
    )
    assert not user.is_superuser and not user.is_staff
    assert not user.user_permissions.exists() and not user.groups.exists()
    assert user.clearances == [] and not user.has_usable_password()


@pytest.mark.django_db
def test_identity_provider_mapping_can_only_request(privacy, newbie, django_capture_on_commit_callbacks):
    """The OIDC group mapping (actor=None) asks like anyone else: a compartment waits."""
    grant = svc.clearance_grant_request(
        actor=None, user=newbie, clearance="bibob", reason=REASON, source="oidc"
    )
    assert grant.status == GrantRequest.Status.PENDING and grant.requested_by is None
    svc.clearance_grant_decide(actor=privacy, request=grant, approve=True, note="Past bij de functie")
    newbie.refresh_from_db()
    assert "bibob" in newbie.clearances


@pytest.mark.django_db
def test_only_one_pending_request_per_grant(admin, newbie):
    svc.clearance_grant_request(actor=admin, user=newbie, clearance="mma", reason=REASON)
    with pytest.raises(ApplicationError, match="al een aanvraag"):
        svc.clearance_grant_request(actor=admin, user=newbie, clearance="mma", reason=REASON)


@pytest.mark.django_db
def test_a_reason_is_required(admin, newbie):
    with pytest.raises(ApplicationError) as exc:
        svc.clearance_grant_request(actor=admin, user=newbie, clearance="mma", reason="  kort ")
    assert exc.value.field == "reason"


@pytest.mark.django_db
def test_revoking_needs_no_second_person_and_is_logged(admin, make_user):
    user = make_user("analyst", username="vertrekker")
    svc.clearance_revoke(actor=admin, user=user, clearance="mma", reason=REASON)
    svc.role_revoke(actor=admin, user=user, group=Group.objects.get(name=ROLE_ANALYST), reason=REASON)
    user.refresh_from_db()
    assert "mma" not in user.clearances and not user.groups.exists()
    assert UserChange.objects.filter(user=user, action="revoke").count() == 2


@pytest.mark.django_db
def test_password_reset_goes_only_to_the_user(admin, newbie, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        svc.password_reset_send(actor=admin, user=newbie)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [newbie.email]
    assert "/wachtwoord-instellen/" in mail.outbox[0].body
    assert UserChange.objects.filter(user=newbie, action="password_reset_sent", actor=admin).exists()


@pytest.mark.django_db
def test_changing_the_email_address_tells_the_old_address(admin, newbie, django_capture_on_commit_callbacks):
    old = newbie.email
    with django_capture_on_commit_callbacks(execute=True):
        svc.user_update(
            actor=admin,
            user=newbie,
            first_name=newbie.first_name,
            last_name=newbie.last_name,
            email="ander@example.nl",
            org_unit=newbie.org_unit,
        )
    assert [m.to for m in mail.outbox] == [[old]]
    assert UserChange.objects.filter(user=newbie, action="update", detail__contains="e-mailadres").exists()


@pytest.mark.django_db
def test_moving_a_user_to_another_team_needs_a_reason(admin, newbie, other_team):
    with pytest.raises(ApplicationError) as exc:
        svc.user_update(
            actor=admin,
            user=newbie,
            first_name=newbie.first_name,
            last_name=newbie.last_name,
            email=newbie.email,
            org_unit=other_team,
        )
    assert exc.value.field == "reason"
