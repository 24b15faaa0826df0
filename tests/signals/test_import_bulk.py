"""The set-based import (issue #26 item 3): subjects matched in SQL by each identifier, new
subjects created once per file, line-numbered errors, all-or-nothing, skip-invalid, the same
visibility, search vector, audit entries and encryption as the one-by-one services give."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from signals import importing
from signals.constants import SignalStatus
from signals.importing import run_import
from signals.models import Signal, SignalStatusChange, SignalSubject
from signals.services import signal_refresh_search
from subjects.models import Address, Organisation, Person, Vehicle
from tests.factories.signals import make_address, make_person
from vik.core.access import compute_visible_to, init_visibility

pytestmark = pytest.mark.django_db

HEADER = (
    "ontvangen_op,bron,fenomeen,omschrijving,extern_kenmerk,persoon_voornamen,persoon_geslachtsnaam,"
    "persoon_geboortedatum,persoon_bsn,organisatie_naam,organisatie_kvk,adres_postcode,adres_huisnummer,"
    "adres_huisletter,kenteken"
)


def csv_bytes(rows: list[str]) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def row(
    ref="", *, voornamen="", naam="", geboren="", bsn="", org="", kvk="", pc="", nr="", letter="", kenteken=""
):
    return (
        f"2026-03-01,intern,drugs;hennep,Tekst {ref},{ref},{voornamen},{naam},{geboren},{bsn},{org},{kvk},"
        f"{pc},{nr},{letter},{kenteken}"
    )


@pytest.fixture
def importer(make_user):
    return make_user("analyst", username="importeur")


def do_import(user, rows, **kwargs):
    return run_import(actor=user, data=csv_bytes(rows), filename="bulk.csv", **kwargs)


def make_organisation(team, *, kvk: str, name: str = "Bestaand B.V.") -> Organisation:
    obj = Organisation.objects.create(
        name=name, name_normalised=name.lower(), kvk_number=kvk, owner_team=team
    )
    init_visibility(obj)
    return obj


def make_vehicle(team, *, kenteken: str) -> Vehicle:
    obj = Vehicle.objects.create(kenteken=kenteken, owner_team=team)
    init_visibility(obj)
    return obj


class TestMatchingExistingSubjects:
    def test_each_identifier_finds_the_existing_record(self, importer, team):
        person = make_person(team, bsn="111222333")
        named = make_person(team, geslachtsnaam="Berg", voornamen="Kees", birth_date=date(1980, 5, 1))
        org = make_organisation(team, kvk="12345678")
        address = make_address(team, postcode="7607AB", number=12)
        Address.objects.filter(pk=address.pk).update(house_letter="a")
        vehicle = make_vehicle(team, kenteken="XX9999")
        result = do_import(
            importer,
            [
                row("A-1", naam="Anders", bsn="111222333"),
                row("A-2", voornamen="kees", naam="Berg", geboren="01-05-1980"),
                row("A-3", org="Andere naam", kvk="12345678"),
                row("A-4", pc="7607 ab", nr="12", letter="A"),
                row("A-5", kenteken="XX-99-99"),
            ],
        )
        assert result.imported == 5 and not result.errors
        assert (Person.objects.count(), Organisation.objects.count(), Address.objects.count()) == (2, 1, 1)
        assert Vehicle.objects.count() == 1

        def linked(ref):
            return SignalSubject.objects.get(signal__external_ref=ref)

        assert linked("A-1").person == person and linked("A-1").role == "verdachte"
        assert linked("A-2").person == named
        assert linked("A-3").organisation == org and linked("A-3").role == "betrokkene"
        assert linked("A-4").address == address and linked("A-4").role == "locatie"
        assert linked("A-5").vehicle == vehicle and linked("A-5").role == "voertuig"

    def test_lowest_id_wins_and_merged_records_are_skipped(self, importer, team):
        merged = make_person(team, bsn="111222333")
        first = make_person(team, bsn="111222333")
        second = make_person(team, bsn="111222333")
        Person.objects.filter(pk=merged.pk).update(merged_into_id=second.pk, merged_into_kind="person")
        do_import(importer, [row("B-1", naam="X", bsn="111222333")])
        assert SignalSubject.objects.get().person == first

    def test_a_name_without_birth_date_or_bsn_is_never_matched(self, importer, team):
        make_person(team, geslachtsnaam="Berg", voornamen="Kees")
        do_import(
            importer, [row("C-1", voornamen="Kees", naam="Berg"), row("C-2", voornamen="Kees", naam="Berg")]
        )
        assert Person.objects.count() == 3


class TestNewSubjects:
    @pytest.mark.parametrize("batch_size", [1000, 2])
    def test_created_once_when_several_rows_name_them(self, importer, team, batch_size, monkeypatch):
        monkeypatch.setattr(importing, "BATCH_SIZE", batch_size)  # also across batches
        rows = [
            row(f"D-{i}", naam="Nieuw", bsn="111222333", org="Nieuw B.V.", kvk="87654321", pc="7607AB", nr="3",
                kenteken="XX-99-99")
            for i in range(3)
        ] + [
            row("D-8", voornamen="Piet", naam="Vries", geboren="1990-01-02", org="Zonder KvK"),
            row("D-9", voornamen="Piet", naam="Vries", geboren="02-01-1990", org="zonder  kvk"),
        ]  # fmt: skip
        result = do_import(importer, rows)
        assert result.imported == 5, result.errors
        assert Person.objects.filter(bsn_index__gt="").count() == 1
        assert Person.objects.filter(geslachtsnaam="Vries").count() == 1
        assert Organisation.objects.filter(kvk_number="87654321").count() == 1
        assert Organisation.objects.filter(kvk_number="").count() == 1
        assert Address.objects.count() == 1 and Vehicle.objects.count() == 1
        assert SignalSubject.objects.count() == 3 * 4 + 2 * 2
        person = Person.objects.get(bsn_index__gt="")
        assert person.bsn == "111222333" and person.source == "import bulk.csv"
        vries = Person.objects.get(geslachtsnaam="Vries")
        assert vries.voornamen == "Piet" and vries.birth_date == date(1990, 1, 2) and vries.initials == "P."

    def test_records_are_as_the_one_by_one_builders_make_them(self, importer, team):
        from signals import matching

        do_import(importer, [row("E-1", voornamen="jan  peter", naam="van der Berg", pc="7607AB", nr="9",
                                 letter="b", org="", kvk="12345678")])  # fmt: skip
        prov = matching.Provenance(owner_team=team, source="import bulk.csv")
        expected = matching.build_person(
            matching.PersonData(voornamen="jan  peter", geslachtsnaam="van der Berg"), prov
        )
        person = Person.objects.get()
        for name in ("voornamen", "voorvoegsel", "geslachtsnaam", "name_normalised", "initials", "source"):
            assert getattr(person, name) == getattr(expected, name), name
        org = Organisation.objects.get()
        assert org.name == "Organisatie KvK 12345678" and org.name_normalised
        address = Address.objects.get()
        assert (address.house_letter, address.street, address.town) == ("B", "(onbekend)", "(onbekend)")


class TestAllOrNothing:
    def test_bad_rows_named_with_their_line_and_nothing_written(self, importer, team):
        record_types = [ContentType.objects.get_for_model(m) for m in (Signal, Person, Address)]
        result = do_import(
            importer,
            [
                row("F-1", naam="Nieuw", bsn="111222333", pc="7607AB", nr="1"),
                row("F-2", bsn="123456789"),
                row("F-3", kenteken="ABCDEF"),
            ],
        )
        assert result.imported == 0
        assert result.errors[0].startswith("regel 3: persoon_bsn:")
        assert result.errors[1].startswith("regel 4: kenteken:")
        assert Signal.objects.count() == Person.objects.count() == Address.objects.count() == 0
        assert not LogEntry.objects.filter(content_type__in=record_types).exists()

    def test_skip_invalid_imports_the_good_rows(self, importer, team):
        result = do_import(
            importer,
            [row("G-1", naam="Goed", bsn="111222333"), row("G-2", bsn="123456789")],
            skip_invalid=True,
        )
        assert result.imported == 1 and result.errors[0].startswith("regel 3: ")
        assert Signal.objects.get().external_ref == "G-1" and Person.objects.count() == 1

    def test_second_import_of_the_same_rows_changes_nothing(self, importer, team):
        rows = [
            row("H-1", naam="Nieuw", bsn="111222333", pc="7607AB", nr="1"),
            row("H-2", kenteken="XX-99-99"),
        ]
        assert do_import(importer, rows).imported == 2
        tables = (Signal, Person, Address, Vehicle, SignalSubject, SignalStatusChange)
        before = [m.objects.count() for m in tables]
        result = do_import(importer, rows)
        assert result.imported == 0 and not result.errors
        assert result.already_present == [
            "regel 2: intern H-1 is al aanwezig",
            "regel 3: intern H-2 is al aanwezig",
        ]
        assert [m.objects.count() for m in tables] == before


class TestWhatEachSignalGets:
    def test_visibility_equals_what_init_visibility_computes(self, importer, team):
        do_import(
            importer,
            [
                row("J-1", naam="Nieuw", bsn="111222333", org="X B.V.", kvk="12345678", pc="7607AB", nr="1",
                    kenteken="XX-99-99"),
                "2026-03-02,politie,drugs,Politie,J-2,,,,,,,,,,",
                "2026-03-02,mma,hennep,Tip,J-3,,,,,,,,,,",
            ],
        )  # fmt: skip
        records = [*Signal.objects.all(), *Person.objects.all(), *Organisation.objects.all()]
        records += [*Address.objects.all(), *Vehicle.objects.all()]
        assert len(records) == 7
        for obj in records:
            assert obj.visible_to == compute_visible_to(obj) == [team.team_token], obj
        assert {s.external_ref: s.compartment for s in Signal.objects.all()} == {
            "J-1": "general",
            "J-2": "police",
            "J-3": "mma",
        }

    def test_search_vector_equals_signal_refresh_search(self, importer, team):
        """The same lexemes with the same weights and counts; positions may differ between
        phenomena, whose order the update's string_agg does not fix either."""
        do_import(importer, [row("K-1"), "2026-03-02,politie,witwassen|drugs,Politie,K-2,,,,,,,,,,"])

        def vectors():
            with connection.cursor() as cur:
                cur.execute("SELECT id, unnest(search_vector) FROM signals_signal")
                found = {}
                for pk, (lexeme, positions, weights) in ((r[0], r[1]) for r in cur.fetchall()):
                    found.setdefault(pk, {})[lexeme] = (len(positions), sorted(weights))
                return found

        stored = vectors()
        assert len(stored) == 2 and all(stored.values())
        signal_refresh_search(list(stored))
        assert vectors() == stored

    def test_history_audit_and_encrypted_narrative(self, importer, team):
        do_import(importer, [row("L-1", naam="Nieuw", bsn="111222333", pc="7607AB", nr="1")])
        signal = Signal.objects.get()
        assert signal.narrative == "Tekst L-1" and signal.created_by == importer
        assert signal.status == SignalStatus.RECEIVED and signal.import_batch.filename == "bulk.csv"
        change = SignalStatusChange.objects.get(signal=signal)
        assert (change.from_status, change.to_status, change.actor) == ("", SignalStatus.RECEIVED, importer)
        with connection.cursor() as cur:
            cur.execute("SELECT narrative, bsn FROM signals_signal, subjects_person")
            raw_narrative, raw_bsn = cur.fetchone()
        assert "Tekst" not in raw_narrative and "111222333" not in raw_bsn
        for obj in (signal, Person.objects.get(), Address.objects.get()):
            entry = LogEntry.objects.get(
                content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
            )
            assert entry.action == LogEntry.Action.CREATE and entry.actor == importer
            assert entry.object_repr == str(obj) and entry.object_pk == str(obj.pk)
            assert entry.changes == {"import": [None, f"import {signal.import_batch_id} bulk.csv"]}


class TestBatchesOnTheDatabaseThread:
    """The statements run on a second thread, one batch written while the next is checked."""

    def test_each_signal_gets_its_own_subjects_across_batches(self, importer, team, monkeypatch):
        import threading

        import psycopg

        monkeypatch.setattr(importing, "BATCH_SIZE", 2)
        threads = set()
        real = psycopg.Cursor.execute

        def execute(cur, query, params=None, **kwargs):
            if isinstance(query, str) and query.startswith("WITH s AS"):  # a batch of signals
                threads.add(threading.current_thread().name)
            return real(cur, query, params, **kwargs)

        monkeypatch.setattr(psycopg.Cursor, "execute", execute)
        bsns = ["111222333", "123456782", "200000007", "111111110", "100000009"]
        rows = [
            row(f"P-{i}", voornamen=f"Voor{i}", naam=f"Achter{i}", bsn=bsn, pc=f"760{i}AB", nr=str(i + 1))
            for i, bsn in enumerate(bsns)
        ]
        result = do_import(importer, rows)
        assert result.imported == 5, result.errors
        for i, bsn in enumerate(bsns):
            signal = Signal.objects.get(external_ref=f"P-{i}")
            links = {link.role: link for link in SignalSubject.objects.filter(signal=signal)}
            person = links["verdachte"].person
            assert (person.geslachtsnaam, person.voornamen, person.bsn) == (f"Achter{i}", f"Voor{i}", bsn)
            address = links["locatie"].address
            assert (address.postcode, address.house_number) == (f"760{i}AB", i + 1)
            assert signal.narrative == f"Tekst P-{i}"
        assert LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Person)).count() == 5
        assert threads and all(name.startswith("vik-import-db") for name in threads)

    def test_an_error_in_a_later_batch_leaves_nothing_written(self, importer, team, monkeypatch):
        """A signal written meanwhile with the same kenmerk: the unique index refuses the third
        batch inside the pipeline; the error surfaces and the earlier batches roll back too."""
        monkeypatch.setattr(importing, "BATCH_SIZE", 2)
        assert do_import(importer, [row("Q-4")]).imported == 1
        records = ContentType.objects.get_for_models(Signal, Person).values()
        tables = (Signal, Person, SignalSubject, SignalStatusChange)

        def counts():
            return [m.objects.count() for m in tables] + [
                LogEntry.objects.filter(content_type__in=records).count()
            ]

        before = counts()
        monkeypatch.setattr(importing, "_present_query", lambda rows: None)
        result = do_import(importer, [row(f"Q-{i}", naam=f"Naam{i}", bsn="") for i in range(6)])
        assert result.imported == 0 and "tegelijk dezelfde signalen" in result.file_error
        assert counts() == before
        # the refused batch in the middle: the batches after it are looked up on an aborted
        # transaction, and still the cause is what the user reads
        result = do_import(importer, [row(f"Q-{i}", naam=f"Naam{i}", bsn="") for i in range(2, 12)])
        assert result.imported == 0 and "tegelijk dezelfde signalen" in result.file_error
        assert counts() == before


class TestCheckedWhileWriting:
    """The file is checked batch by batch while the batch before is written (issue #26): the
    answer must be the one a check of the whole file gives, and a bad row anywhere still leaves
    nothing behind."""

    def _mixed_rows(self):
        return [
            row("M-1", naam="Een", bsn="111222333"),
            row("M-2"),
            row("M-3", bsn="123456789"),  # bad: BSN fails the elfproef
            row("M-1"),  # named twice in the file
            row("M-5", pc="7607AB", nr="2"),
            row("OLD-1"),  # already in VIK
            row("M-7", kenteken="ABCDEF"),  # bad kenteken
            row("M-8"),
        ]

    def test_the_answer_is_the_one_the_whole_file_check_gives(self, importer, team, monkeypatch):
        from signals.importing import parse_rows

        assert do_import(importer, [row("OLD-1")]).imported == 1
        monkeypatch.setattr(importing, "BATCH_SIZE", 2)  # four batches, errors in two of them
        data = csv_bytes(self._mixed_rows())
        _good, checked = parse_rows(data, "bulk.csv")
        signals_before = Signal.objects.count()
        result = run_import(actor=importer, data=data, filename="bulk.csv")
        assert result.imported == 0 and Signal.objects.count() == signals_before
        assert result.errors == checked.errors and [e[:8] for e in result.errors] == ["regel 4:", "regel 8:"]
        assert (
            result.already_present
            == checked.already_present
            == [
                "regel 5: intern M-1 staat al op regel 2",
                "regel 7: intern OLD-1 is al aanwezig",
            ]
        )
        assert (result.total, result.valid) == (checked.total, checked.valid) == (8, 4)
        assert not Person.objects.filter(geslachtsnaam="Een").exists()

    def test_skip_invalid_writes_every_good_row_around_the_bad_ones(self, importer, team, monkeypatch):
        assert do_import(importer, [row("OLD-1")]).imported == 1
        monkeypatch.setattr(importing, "BATCH_SIZE", 2)
        result = do_import(importer, self._mixed_rows(), skip_invalid=True)
        assert result.imported == 4 and len(result.errors) == 2
        refs = set(Signal.objects.values_list("external_ref", flat=True))
        assert refs == {"OLD-1", "M-1", "M-2", "M-5", "M-8"}
        assert SignalSubject.objects.filter(signal__external_ref="M-5", address__postcode="7607AB").exists()

    def test_a_file_that_breaks_off_after_written_batches_leaves_nothing(self, importer, team, monkeypatch):
        monkeypatch.setattr(importing, "BATCH_SIZE", 2)
        monkeypatch.setattr(importing, "MAX_ROWS", 5)  # the sixth row makes the file too long
        result = do_import(importer, [row(f"T-{i}", naam=f"Naam{i}", bsn="") for i in range(6)])
        assert result.imported == 0 and "meer dan 5 regels" in result.file_error
        assert Signal.objects.count() == 0 and Person.objects.count() == 0

    def test_text_with_quotes_backslashes_braces_and_null_arrives_as_written(self, importer, team):
        awkward = 'Zei: "kom {morgen}", pad C:\\\\temp\\ NULL, en \'t eind'
        data = (
            "ontvangen_op;bron;fenomeen;omschrijving;samenvatting;extern_kenmerk;persoon_geslachtsnaam\n"
            f'2026-03-01;intern;drugs;"{awkward.replace(chr(34), chr(34) * 2)}";NULL;W-1;"O\'Brien ""de Kat"""\n'
        ).encode()
        result = run_import(actor=importer, data=data, filename="bulk.csv")
        assert result.imported == 1, result.errors
        signal = Signal.objects.get(external_ref="W-1")
        assert (signal.narrative, signal.summary) == (awkward, "NULL")
        assert SignalSubject.objects.get(signal=signal).person.geslachtsnaam == 'O\'Brien "de Kat"'

    def test_progress_counts_the_rows_read_up_to_the_whole_file(self, importer, team, monkeypatch):
        monkeypatch.setattr(importing, "BATCH_SIZE", 2)
        seen: list[tuple[str, int, int]] = []
        result = run_import(
            actor=importer,
            data=csv_bytes([row(f"V-{i}") for i in range(5)]),
            filename="bulk.csv",
            progress=lambda phase, done, total: seen.append((phase, done, total)),
        )
        assert result.imported == 5
        assert {phase for phase, _done, _total in seen} == {"write"}
        assert [done for _phase, done, _total in seen] == sorted(done for _phase, done, _total in seen)
        assert seen[-1][1:] == (5, 5) and all(total == 5 for _phase, _done, total in seen)


class TestCycleCollector:
    def test_off_during_the_import_and_restored_afterwards(self, importer, team):
        import gc

        seen: list[bool] = []
        assert gc.isenabled()
        result = run_import(
            actor=importer,
            data=csv_bytes([row("R-1"), row("R-2")]),
            filename="gc.csv",
            progress=lambda phase, done, total: seen.append(gc.isenabled()),
        )
        assert result.imported == 2 and seen and not any(seen)
        assert gc.isenabled()
        gc.disable()
        try:
            run_import(actor=importer, data=csv_bytes([row("R-3")]), filename="gc.csv")
            assert not gc.isenabled()  # left as the caller had it
        finally:
            gc.enable()


class TestReservedIds:
    def test_ids_come_from_the_tables_sequence_looked_up_once(self, team):
        import psycopg

        copier = importing._Rows(Vehicle, ["kenteken"], with_pk=True, owner_team=team)
        statements: list[str] = []

        class Counting(psycopg.Cursor):
            def execute(self, query, params=None, **kwargs):
                statements.append(query.as_string(self) if hasattr(query, "as_string") else query)
                return super().execute(query, params, **kwargs)

        with connection.cursor():
            cur = Counting(connection.connection)
            first, second = copier.reserve(cur, 3), copier.reserve(cur, 2)
        ids = first + second
        assert len(set(ids)) == 5 and ids == sorted(ids)
        assert sum("pg_get_serial_sequence" in s for s in statements) == 1
        assert all("subjects_vehicle_id_seq" in s for s in statements[1:])
        assert make_vehicle(team, kenteken="ZZ9999").pk > max(ids)  # the ORM's next id is past them
