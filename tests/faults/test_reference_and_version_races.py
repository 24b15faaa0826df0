"""Races on Bibob dossier references and on person edits (issue #17 item 5), with real threads
on their own connections."""

from __future__ import annotations

import pytest

from django.urls import reverse

from bibob.models import BibobDossier
from subjects import services as subject_services
from subjects.models import Person
from tests.factories.bibob import make_dossier
from tests.factories.subjects import PersonFactory
from tests.faults.concurrency import run_at_once
from vik.core.exceptions import ApplicationError

pytestmark = [pytest.mark.fault]


@pytest.mark.django_db(transaction=True)
def test_dossiers_opened_at_the_same_instant_get_distinct_references(users):
    bibob = users["bibob"]
    make_dossier(bibob)  # BIB-2026-0001 exists before the race
    results = run_at_once(*[lambda: make_dossier(bibob) for _ in range(4)])
    assert all(isinstance(r, BibobDossier) for r in results), results
    refs = sorted(BibobDossier.objects.values_list("reference", flat=True))
    assert refs == [f"BIB-2026-{n:04d}" for n in range(1, 6)]


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_same_person_do_not_silently_revert_each_other(users):
    analyst, chair = users["analyst"], users["chair"]
    person = PersonFactory(geslachtsnaam="Jansen", voornamen="Piet", owner_team=analyst.org_unit)
    opened_at = person.version  # both opened the form now

    def save(actor, name):
        return lambda: subject_services.person_update(
            actor=actor, person=person, expected_version=opened_at, voornamen=name
        )

    results = run_at_once(save(analyst, "Pieter"), save(chair, "Petrus"))
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(refused) == 1 and "sinds u het formulier opende" in refused[0].message
    person.refresh_from_db()
    assert person.version == opened_at + 1 and person.voornamen in {"Pieter", "Petrus"}


@pytest.mark.django_db
def test_stale_edit_form_shows_who_changed_it(users, login, with_purpose):
    analyst = users["analyst"]
    person = PersonFactory(geslachtsnaam="Jansen", voornamen="Piet", owner_team=analyst.org_unit)
    url = reverse("subjects:person_edit", kwargs={"pk": person.pk})
    mine = with_purpose(login(analyst))
    assert f'name="version" value="{person.version}"' in mine.get(url).content.decode()
    other = users["chair"]
    other.first_name, other.last_name = "Carla", "de Vries"
    other.save()
    subject_services.person_update(actor=other, person=person, voornamen="Petrus")
    resp = mine.post(url, {"geslachtsnaam": "Jansen", "voornamen": "Pieter", "bsn": "", "version": "1"})
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "gewijzigd door Carla de Vries sinds u het formulier opende" in html
    assert Person.objects.get(pk=person.pk).voornamen == "Petrus"  # nothing reverted
    # With the form reopened at the new version the edit goes through.
    assert (
        mine.post(
            url, {"geslachtsnaam": "Jansen", "voornamen": "Pieter", "bsn": "", "version": "2"}
        ).status_code
        == 302
    )
