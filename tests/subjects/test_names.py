import pytest

from subjects.names import (
    initials_of,
    name_key,
    normalise_initials,
    organisation_key,
    search_key,
    split_voorvoegsel,
)


@pytest.mark.parametrize(
    "prefix,last,expected",
    [
        ("", "van der Berg", ("van der", "Berg")),
        ("", "Van Den Broek", ("van den", "Broek")),
        ("", "de Vries", ("de", "Vries")),
        ("", "van 't Hof", ("van 't", "Hof")),
        ("", "Jansen", ("", "Jansen")),
        ("", "Vries", ("", "Vries")),  # no prefix to split
        ("", "Van", ("", "Van")),  # a surname that is only a prefix word stays
        ("van der", "Berg", ("van der", "Berg")),
        ("Van Der", "Berg", ("van der", "Berg")),  # BRP writes the voorvoegsel in lower case
    ],
)
def test_voorvoegsel_is_split_off_the_surname(prefix, last, expected):
    assert split_voorvoegsel(prefix, last) == expected


def test_search_key_drops_accents_case_and_voorvoegsel():
    assert name_key("Bérg") == "berg"
    assert name_key("Yılmaz") == "yilmaz"
    assert name_key("Öztürk") == "ozturk"
    assert search_key("Van der Bérg") == "berg"


def test_initials_from_voornamen():
    assert initials_of("Jan Pieter") == "J.P."
    assert initials_of("Jan-Willem") == "J.W."
    assert initials_of("Ayşe") == "A."
    assert initials_of("") == ""
    assert normalise_initials("j.p") == "J.P."


def test_organisation_key_ignores_legal_form():
    assert organisation_key("Autohandel Wessels B.V.") == "autohandel wessels"
    assert organisation_key("Café de Zon V.O.F.") == "cafe de zon"
