"""'Wie heeft ingezien' shows no compartmented content (issue #15 item 3): the log's reference
table is pseudonymous, the page names a record only to someone who may see it now (or through
break-glass), and searching the log is itself logged."""

from __future__ import annotations

import pytest

from django.db import connection

from tests.factories.subjects import PersonFactory
from vik.core.accesslog import log_access
from vik.core.constants import AccessAction
from vik.core.models import AccessLog, LogRef
from vik.core.services import break_glass_open

pytestmark = pytest.mark.django_db

URL = "/privacy/wie-heeft-ingezien/"
SECRET = "Geheimhouder"


@pytest.fixture
def tipped(team, make_user):
    """A person in the MMA compartment (an anonymous tip), read once by an analyst."""
    person = PersonFactory(geslachtsnaam=SECRET, compartment="mma", owner_team=team)
    log_access(user=make_user("analyst"), action=AccessAction.READ, obj=person, purpose="Signaal S-1")
    return person


def test_the_reference_table_holds_no_content(tipped):
    with connection.cursor() as cur:
        cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'core_logref'")
        columns = {r[0] for r in cur.fetchall()}
        cur.execute("SELECT * FROM core_logref")
        stored = " ".join(str(v) for row in cur.fetchall() for v in row)
    assert columns == {"id", "kind", "object_id"}
    assert SECRET not in stored


def test_privacy_officer_sees_a_pseudonymous_reference_not_the_name(tipped, login, make_user):
    officer = make_user("privacy_officer")
    client = login(officer)
    html = client.get(URL, {"soort": "subjects.person", "nummer": tipped.pk}).content.decode()
    assert SECRET not in html
    assert f"nr. {tipped.pk}" in html and "Signaal S-1" in html
    # the old free-text search over labels finds nothing any more
    assert SECRET not in client.get(URL, {"q": SECRET[:5]}).content.decode()


def test_searching_the_log_is_logged(tipped, login, make_user):
    officer = make_user("privacy_officer")
    client = login(officer)
    client.get(URL, {"soort": "subjects.person", "nummer": tipped.pk})
    search = AccessLog.objects.get(actor_id=officer.pk, action=AccessAction.SEARCH)
    assert search.detail == f"subjects.person {tipped.pk}"
    assert search.purpose.startswith("privacytoezicht")
    # also a search that finds nothing
    client.get(URL, {"soort": "subjects.person", "nummer": 999999})
    assert AccessLog.objects.filter(actor_id=officer.pk, action=AccessAction.SEARCH).count() == 2


def test_break_glass_shows_the_name_and_that_is_a_logged_read(tipped, login, make_user):
    officer = make_user("privacy_officer")
    break_glass_open(actor=officer, obj=tipped, reason="Klacht van betrokkene over onrechtmatige inzage")
    html = login(officer).get(URL, {"soort": "subjects.person", "nummer": tipped.pk}).content.decode()
    assert SECRET in html
    ref = LogRef.objects.get(kind="subjects.person", object_id=tipped.pk)
    assert AccessLog.objects.filter(
        actor_id=officer.pk, action=AccessAction.READ, ref_id=ref.pk, purpose__startswith="privacytoezicht"
    ).exists()


def test_a_reader_without_the_compartment_does_not_see_the_name(tipped, login, make_user):
    """Someone with access-log rights and subject rights, but not cleared for MMA."""
    from django.contrib.auth.models import Permission

    viewer = make_user("analyst", clearances=["general"])
    viewer.user_permissions.add(Permission.objects.get(codename="view_access_log"))
    html = login(viewer).get(URL, {"soort": "subjects.person", "nummer": tipped.pk}).content.decode()
    assert SECRET not in html
    cleared = make_user("analyst")  # general, mma, police
    cleared.user_permissions.add(Permission.objects.get(codename="view_access_log"))
    assert (
        SECRET in login(cleared).get(URL, {"soort": "subjects.person", "nummer": tipped.pk}).content.decode()
    )


def test_each_row_shows_dutch_labels_and_amsterdam_time(tipped, login, make_user):
    """The table's action, result and time are resolved once per page (not per cell): still the
    Dutch labels and the local time, also for a refused attempt."""
    from datetime import UTC, datetime

    import time_machine

    from vik.core.accesslog import log_denied

    reader = make_user("analyst")
    # 2026-07-01 10:15:30 UTC is 12:15:30 in Amsterdam (summer time)
    with time_machine.travel(datetime(2026, 7, 1, 10, 15, 30, tzinfo=UTC), tick=False):
        log_denied(user=reader, obj_kind="subjects.person", object_id=tipped.pk)
    ref = LogRef.objects.get(kind="subjects.person", object_id=tipped.pk)
    html = login(make_user("privacy_officer")).get(URL, {"ref": ref.pk, "alles": "1"}).content.decode()
    body = html.split('data-testid="who-viewed"', 1)[1]
    assert "<td>01-07-2026 12:15:30</td>" in body
    assert "<td>ingezien</td>" in body and "<td>toegestaan</td>" in body
    assert "<td>geweigerd</td>" in body
