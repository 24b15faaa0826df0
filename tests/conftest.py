"""Shared fixtures: organisation units, one user per role, and verified (MFA-passed) clients."""

from __future__ import annotations

import os
import time

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.test import Client

from tests.factories.core import OrgUnitFactory, UserFactory
from vik.core.constants import (
    ROLE_ANALYST,
    ROLE_BIBOB,
    ROLE_CHAIR,
    ROLE_DECISION_MAKER,
    ROLE_FUNCTIONAL_ADMIN,
    ROLE_PARTNER,
    ROLE_PRIVACY_OFFICER,
    ROLE_REPORTER,
    OrgKind,
    PartnerType,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROLE_KEYS = {
    "analyst": ROLE_ANALYST,
    "chair": ROLE_CHAIR,
    "bibob": ROLE_BIBOB,
    "decision_maker": ROLE_DECISION_MAKER,
    "partner": ROLE_PARTNER,
    "functional_admin": ROLE_FUNCTIONAL_ADMIN,
    "privacy_officer": ROLE_PRIVACY_OFFICER,
    "reporter": ROLE_REPORTER,
}
CLEARANCES = {
    "analyst": ["general", "mma", "police"],
    "chair": ["general", "mma", "police"],
    "bibob": ["general", "bibob"],
    "decision_maker": ["general", "police", "bibob"],
    "partner": ["general", "police"],
    "functional_admin": [],
    "privacy_officer": [],
    "reporter": [],
}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture(autouse=True)
def _fresh_content_types(request):
    """A transactional test (live server, threads) ends with a flush that recreates the content
    types under new ids; the process-wide ContentType cache would still hand out the old ids (an
    audit row then violates its foreign key). Such tests start and end with an empty cache."""
    from django.contrib.contenttypes.models import ContentType

    transactional = {"transactional_db", "live_server"} & set(request.fixturenames)
    if transactional:
        # set the database up first, so that its closing flush runs after this fixture's
        # teardown: with an empty cache the flush's post_migrate rebuilds content types, their
        # permissions and the role groups from the database
        request.getfixturevalue("transactional_db")
        ContentType.objects.clear_cache()
    yield
    if transactional:
        ContentType.objects.clear_cache()


@pytest.fixture
def team(db):
    return OrgUnitFactory(code="veiligheid", name="Gemeente Almelo – team Veiligheid", kind=OrgKind.TEAM)


@pytest.fixture
def other_team(db):
    return OrgUnitFactory(code="vergunningen", name="Gemeente Almelo – team Vergunningen", kind=OrgKind.TEAM)


@pytest.fixture
def bibob_team(db):
    return OrgUnitFactory(code="bibob", name="Gemeente Almelo – Bibob", kind=OrgKind.TEAM)


@pytest.fixture
def police_org(db):
    return OrgUnitFactory(
        code="politie", name="Politie Oost-Nederland", kind=OrgKind.PARTNER, partner_type=PartnerType.POLICE
    )


@pytest.fixture
def riec_org(db):
    return OrgUnitFactory(
        code="riec", name="RIEC Oost-Nederland", kind=OrgKind.PARTNER, partner_type=PartnerType.RIEC
    )


@pytest.fixture
def make_user(db, team, bibob_team, police_org):
    def _make(role: str, *, org=None, clearances=None, **kwargs):
        if org is None:
            org = {"partner": police_org, "bibob": bibob_team}.get(role, team)
        return UserFactory(
            role=ROLE_KEYS[role],
            org_unit=org,
            clearances=CLEARANCES[role] if clearances is None else clearances,
            username=kwargs.pop("username", None) or f"{role}_{UserFactory._meta.model.objects.count()}",
            **kwargs,
        )

    return _make


@pytest.fixture
def users(make_user):
    """One user per role, keyed by role key."""
    return {key: make_user(key, username=key) for key in ROLE_KEYS}


def verify_client(client: Client, user) -> Client:
    """Log ``user`` in and mark the session as having passed the second factor."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session["vik_started"] = session["vik_last"] = int(time.time())  # as the login view does
    session.save()
    return client


@pytest.fixture
def login():
    def _login(user) -> Client:
        return verify_client(Client(), user)

    return _login


@pytest.fixture
def with_purpose():
    """Set a stated-reason purpose in a client's session."""

    def _set(client: Client, reason: str = "Onderzoek naar signalen ondermijning wijk Centrum") -> Client:
        session = client.session
        session["vik_purpose"] = {
            "case_kind": "",
            "case_id": None,
            "reason": reason,
            "label": f"Reden: {reason}",
        }
        session.save()
        return client

    return _set


def _deserialize_as_restore(original):
    def deserialize(self, data):
        """Serialized rollback puts back the state right after migrate: a restore, not a change,
        so the append-only and immutability triggers (register versions, whose seeded rows the
        reload writes over with the same ids) do not fire for it. Tests connect as a superuser."""
        with self.connection.cursor() as cur:
            cur.execute("SET session_replication_role = replica")
        try:
            original(self, data)
        finally:
            with self.connection.cursor() as cur:
                cur.execute("SET session_replication_role = DEFAULT")

    return deserialize


def pytest_configure(config):
    from django.db.backends.base.creation import BaseDatabaseCreation

    BaseDatabaseCreation.deserialize_db_from_string = _deserialize_as_restore(
        BaseDatabaseCreation.deserialize_db_from_string
    )


def pytest_collection_modifyitems(items):
    """Transactional tests (browser journeys) flush the database when they end, which would
    also remove the reference rows that data migrations create (deadline rules, signal sources,
    retention rules, beat schedules). Serialized rollback restores them for the tests after."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if marker.kwargs.get("serialized_rollback"):
            continue
        item.add_marker(pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}), append=False)
