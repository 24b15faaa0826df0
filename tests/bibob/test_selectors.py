"""What Bibob tells other apps, through its own selectors only (issue #18 item 1)."""

import pytest

from bibob import services
from bibob.constants import PartyRole
from bibob.selectors import BIBOB_NO_DECISION, branch_and_outcome_counts, is_bibob_relevant
from tests.factories.bibob import make_dossier, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(specialist):
    """An organisation named as a party in a Bibob dossier, and one that is not."""
    dossier = make_dossier(specialist)
    org = make_organisation(specialist.org_unit)
    services.party_add(
        actor=specialist, dossier=dossier, role=PartyRole.APPLICANT, kind="organisation", subject_id=org.pk
    )
    return org, make_organisation(specialist.org_unit, name="Bakkerij Tubantia")


def test_municipal_staff_see_the_bare_flag_on_a_subject_a_dossier_names(users, named):
    org, other = named
    assert is_bibob_relevant(user=users["chair"], subject=org) is True
    assert is_bibob_relevant(user=users["chair"], subject=other) is False


def test_partners_and_items_without_a_subject_never_see_the_flag(users, named):
    org, _other = named
    assert is_bibob_relevant(user=users["partner"], subject=org) is False
    assert is_bibob_relevant(user=users["chair"], subject=None) is False


def test_dossier_counts_only_for_users_cleared_for_bibob(users, specialist, named):
    assert branch_and_outcome_counts(user=users["analyst"]) is None
    per_branch, per_outcome = branch_and_outcome_counts(user=specialist)
    assert sum(n for _label, n in per_branch) == 1
    assert per_outcome == [(BIBOB_NO_DECISION, 1)]
