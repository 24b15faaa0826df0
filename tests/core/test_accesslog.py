"""The access log is append-only (trigger), hash-chained (verifier names the first broken row),
neutralises control characters, and answers "who viewed X" from an index."""

import pytest

from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import InternalError, ProgrammingError

from vik.core.accesslog import log_access, verify_chain, who_viewed
from vik.core.constants import AccessAction
from vik.core.models import AccessLog, OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(make_user):
    user = make_user("analyst")
    target = OrgUnit.objects.create(code="x", name="Target record", kind="team")
    ids = [log_access(user=user, action=AccessAction.READ, obj=target, purpose=f"zaak {i}") for i in range(5)]
    return user, target, ids


def test_chain_verifies_when_untouched(rows):
    assert verify_chain() is None


def test_update_and_delete_are_rejected_for_the_application(rows):
    _, _, ids = rows
    for sql in (
        "UPDATE core_accesslog SET purpose = 'x' WHERE id = %s",
        "DELETE FROM core_accesslog WHERE id = %s",
    ):
        with pytest.raises((InternalError, ProgrammingError), match="append-only"):
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(sql, [ids[0]])
    assert AccessLog.objects.filter(id=ids[0], purpose="zaak 0").exists()


def test_tampering_as_superuser_is_found_by_the_verifier(rows, capsys):
    _, _, ids = rows
    with connection.cursor() as cur:  # the superuser switches the trigger off and edits a row
        cur.execute("SET session_replication_role = replica")
        cur.execute("UPDATE core_accesslog SET purpose = 'harmless' WHERE id = %s", [ids[2]])
        cur.execute("SET session_replication_role = DEFAULT")
    broken = verify_chain()
    assert broken is not None and broken.row_id == ids[2]
    with pytest.raises(SystemExit) as exc:
        call_command("verify_access_log")
    assert exc.value.code == 1
    assert f"broken at row {ids[2]}" in capsys.readouterr().out


def test_deleting_a_row_breaks_the_link_of_the_next(rows):
    _, _, ids = rows
    with connection.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
        cur.execute("DELETE FROM core_accesslog WHERE id = %s", [ids[1]])
        cur.execute("SET session_replication_role = DEFAULT")
    assert verify_chain().row_id == ids[2]


def test_control_characters_are_neutralised(make_user):
    user = make_user("analyst")
    row_id = log_access(
        user=user, action=AccessAction.SEARCH, purpose="zaak 1\nFAKE ENTRY\r\x1b[31m", detail="a\tb"
    )
    row = AccessLog.objects.get(id=row_id)
    assert "\n" not in row.purpose and "\r" not in row.purpose and "\x1b" not in row.purpose
    assert row.purpose.startswith("zaak 1 FAKE ENTRY")
    assert verify_chain() is None


def test_who_viewed_lists_the_readers_newest_first(rows, make_user):
    user, target, ids = rows
    other = make_user("chair")
    last = log_access(user=other, action=AccessAction.READ, obj=target, purpose="casustafel")
    result = list(who_viewed(kind="core.orgunit", object_id=target.pk))
    assert [r.id for r in result] == [last, *reversed(ids)]
    assert result[0].actor_label == other.username and result[0].purpose == "casustafel"


def test_who_viewed_page_is_for_the_privacy_officer_and_logs_its_own_use(rows, login, make_user):
    _, target, _ = rows
    officer = make_user("privacy_officer")
    client = login(officer)
    from vik.core.models import LogRef

    ref = LogRef.objects.get(kind="core.orgunit", object_id=target.pk)
    before = AccessLog.objects.count()
    resp = client.get("/privacy/wie-heeft-ingezien/", {"q": "Target", "ref": ref.pk})
    assert resp.status_code == 200
    assert "zaak 4" in resp.content.decode()
    assert AccessLog.objects.count() == before + 1
    assert AccessLog.objects.filter(actor_id=officer.pk, purpose__startswith="privacytoezicht").exists()
    analyst_client = login(make_user("analyst"))
    assert analyst_client.get("/privacy/wie-heeft-ingezien/").status_code == 404


def test_rows_land_in_month_partitions_when_they_exist(make_user):
    from vik.core.partitions import ensure_partitions

    names = ensure_partitions(months_ahead=1)
    user = make_user("analyst")
    row_id = log_access(user=user, action=AccessAction.READ)
    with connection.cursor() as cur:
        cur.execute("SELECT tableoid::regclass::text FROM core_accesslog WHERE id = %s", [row_id])
        assert cur.fetchone()[0] == names[0]


def test_who_viewed_page_shows_the_last_year_unless_asked_for_everything(login, make_user):
    import time_machine

    from vik.core.models import LogRef

    target = OrgUnit.objects.create(code="oud", name="Oud record", kind="team")
    reader = make_user("analyst")
    with time_machine.travel("2024-01-15 10:00 +0000"):
        log_access(user=reader, action=AccessAction.READ, obj=target, purpose="oude zaak 2024")
    log_access(user=reader, action=AccessAction.READ, obj=target, purpose="recente zaak")
    client = login(make_user("privacy_officer"))
    ref = LogRef.objects.get(kind="core.orgunit", object_id=target.pk)
    recent = client.get("/privacy/wie-heeft-ingezien/", {"ref": ref.pk}).content.decode()
    assert "recente zaak" in recent and "oude zaak 2024" not in recent
    everything = client.get("/privacy/wie-heeft-ingezien/", {"ref": ref.pk, "alles": "1"}).content.decode()
    assert "recente zaak" in everything and "oude zaak 2024" in everything


def test_many_reads_in_one_statement_keep_the_chain(make_user):
    from django.test.utils import CaptureQueriesContext

    from vik.core.accesslog import log_access_many

    reader = make_user("analyst")
    targets = [OrgUnit.objects.create(code=f"m{i}", name=f"Record {i}", kind="team") for i in range(4)]
    reader.group_pairs  # noqa: B018 - in a request the role label is already loaded by the header
    with CaptureQueriesContext(connection) as ctx:
        assert (
            log_access_many(user=reader, action=AccessAction.READ, objs=targets, purpose="Signaal S-1") == 4
        )
    assert len(ctx) == 1
    for target in targets:
        rows = list(who_viewed(kind="core.orgunit", object_id=target.pk))
        assert [(r.actor_id, r.purpose) for r in rows] == [(reader.pk, "Signaal S-1")]
    assert verify_chain() is None


def test_who_viewed_page_pages_through_the_rows_newest_first(login, make_user, monkeypatch):
    """A record read many times: pages of WHO_VIEWED_PAGE rows by keyset, each row once, in order;
    a malformed page key shows the newest page instead of an error."""
    import re

    from vik.core.models import LogRef
    from vik.privacy import supervision as privacy_views

    monkeypatch.setattr(privacy_views, "WHO_VIEWED_PAGE", 2)
    target = OrgUnit.objects.create(code="veel", name="Veel gelezen", kind="team")
    reader = make_user("analyst")
    for n in range(5):
        log_access(user=reader, action=AccessAction.READ, obj=target, purpose=f"zaak-{n}")
    client = login(make_user("privacy_officer"))
    ref = LogRef.objects.get(kind="core.orgunit", object_id=target.pk)
    seen, url, pages = [], "/privacy/wie-heeft-ingezien/", 0
    params = {"ref": ref.pk}
    while True:
        html = client.get(url, params).content.decode()
        pages += 1
        seen += re.findall(r"zaak-(\d)", html)
        older = re.search(r'href="(\?[^"]+)" data-testid="who-viewed-older"', html)
        if not older:
            break
        url, params = "/privacy/wie-heeft-ingezien/" + older.group(1).replace("&amp;", "&"), None
    assert seen == ["4", "3", "2", "1", "0"] and pages == 3
    html = client.get("/privacy/wie-heeft-ingezien/", {"ref": ref.pk, "voor": "gisteren_x"}).content.decode()
    assert re.findall(r"zaak-(\d)", html) == ["4", "3"]
