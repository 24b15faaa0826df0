"""Issue #19 item 5: the import preview reports per row which existing subject it would link to
(and why) or "nieuw", warns about likely existing persons and likely duplicates among the new
rows, names only what the user may see, and logs what it names."""

from __future__ import annotations

from datetime import date

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from signals.models import ImportBatch
from tests.factories.signals import make_person
from vik.core.models import AccessLog, LogRef

pytestmark = pytest.mark.django_db

HEADER = "ontvangen_op;bron;fenomeen;omschrijving;persoon_voornamen;persoon_geslachtsnaam;persoon_geboortedatum;persoon_bsn"
ROWS = [
    "2026-01-02;intern;drugs;Bezoek;Jan;Jansen;14-03-1979;",  # line 2: likely Jan Hendrik Jansen
    "2026-01-03;intern;drugs;Bezoek;Piet;Bakker;01-01-1970;",  # line 3: exact name + birth date
    "2026-01-04;intern;drugs;Bezoek;Kees;Nieuwman;02-02-1990;",  # line 4: new
    "2026-01-05;intern;drugs;Bezoek;Kees Johan;Nieuwman;02-02-1990;",  # line 5: like line 4
]


def test_preview_reports_existing_likely_and_new_subjects(
    login, make_user, django_capture_on_commit_callbacks
):
    analyst = make_user("analyst", username="anouk")
    team = analyst.org_unit
    jan = make_person(team, voornamen="Jan Hendrik", geslachtsnaam="Jansen", birth_date=date(1979, 3, 14))
    piet = make_person(team, voornamen="Piet", geslachtsnaam="Bakker", birth_date=date(1970, 1, 1))
    client = login(analyst)
    content = "\n".join([HEADER, *ROWS]) + "\n"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("signals:import"), {"file": SimpleUploadedFile("s.csv", content.encode())})
    batch = ImportBatch.objects.get()
    assert batch.status == "preview"
    html = client.get(reverse("signals:import_detail", kwargs={"pk": batch.pk})).content.decode()
    report = html.split('data-testid="match-report"')[1]
    rows = report.split('data-testid="match-row"')[1:]
    assert len(rows) == 4
    assert "nieuw" in rows[0] and 'data-testid="match-likely"' in rows[0] and "Jan Hendrik Jansen" in rows[0]
    assert "bestaand" in rows[1] and "zelfde naam en geboortedatum" in rows[1]
    assert f"/persoon/{piet.pk}/" in rows[1]
    assert "nieuw" in rows[2] and "match-like-line" not in rows[2]
    assert "lijkt op de nieuwe persoon in regel 4" in rows[3]
    for person in (jan, piet):
        ref = LogRef.objects.get(kind="subjects.person", object_id=person.pk)
        row = AccessLog.objects.filter(actor_id=analyst.pk, ref_id=ref.pk).latest("id")
        assert row.purpose.startswith("Import s.csv")


def test_a_match_outside_the_users_view_is_not_named(
    login, make_user, bibob_team, django_capture_on_commit_callbacks
):
    hidden = make_person(bibob_team, voornamen="Piet", geslachtsnaam="Bakker", birth_date=date(1970, 1, 1))
    analyst = make_user("analyst", username="anouk")
    client = login(analyst)
    content = "\n".join([HEADER, ROWS[1]]) + "\n"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("signals:import"), {"file": SimpleUploadedFile("s.csv", content.encode())})
    batch = ImportBatch.objects.get()
    html = client.get(reverse("signals:import_detail", kwargs={"pk": batch.pk})).content.decode()
    assert "bestaand subject buiten uw inzage" in html
    assert f"/persoon/{hidden.pk}/" not in html
