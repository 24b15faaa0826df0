"""Dutch identifiers (DOMAIN §4a): what is accepted, how it is stored, and the Dutch message
that tells the user what is wrong."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from django.core.exceptions import ValidationError

from vik.core import identifiers as ids
from vik.core import synthetic


def _message(fn, value):
    with pytest.raises(ValidationError) as exc:
        fn(value)
    return exc.value.messages[0]


def test_bsn_valid_with_formatting_and_leading_zero():
    assert ids.clean_bsn("111222333") == "111222333"
    assert ids.clean_bsn("1112.22.333") == "111222333"
    assert ids.clean_bsn(" 111 222 333 ") == "111222333"
    # 8 digits: the leading zero was left out
    assert ids.clean_bsn("12345672") == "012345672"


@pytest.mark.parametrize(
    "value,fragment",
    [
        ("111222334", "elfproef"),
        ("000000000", "elfproef"),
        ("12345", "9 cijfers"),
        ("1234567890", "9 cijfers"),
        ("11122233A", "alleen uit cijfers"),
    ],
)
def test_bad_bsn_says_what_is_wrong(value, fragment):
    assert fragment in _message(ids.clean_bsn, value)


def test_rsin_uses_the_same_eleven_proof():
    assert ids.clean_rsin("111222333") == "111222333"
    assert "RSIN" in _message(ids.clean_rsin, "111222334")


def test_kvk_and_vestigingsnummer_are_format_only():
    assert ids.clean_kvk_number("6123 4567") == "61234567"
    assert "8 cijfers" in _message(ids.clean_kvk_number, "1234567")
    assert "8 cijfers" in _message(ids.clean_kvk_number, "1234567A")
    assert ids.clean_vestigingsnummer("000012345678") == "000012345678"
    assert "12 cijfers" in _message(ids.clean_vestigingsnummer, "12345678")


def test_bag_ids_check_length_gemeentecode_and_object_type():
    assert ids.clean_bag_nummeraanduiding("0141200000123456") == "0141200000123456"
    assert ids.clean_bag_verblijfsobject("0141010000123456") == "0141010000123456"
    assert "16 cijfers" in _message(ids.clean_bag_nummeraanduiding, "014120000012345")
    assert "gemeentecode" in _message(ids.clean_bag_nummeraanduiding, "0000200000123456")
    assert "objecttype" in _message(ids.clean_bag_nummeraanduiding, "0141990000123456")
    # a verblijfsobject id where a nummeraanduiding is expected
    assert "verblijfsobject" in _message(ids.clean_bag_nummeraanduiding, "0141010000123456")


def test_postcode_is_normalised_without_space():
    assert ids.clean_postcode("7607 ab") == "7607AB"
    assert ids.format_postcode("7607AB") == "7607 AB"
    assert "4 cijfers en 2 letters" in _message(ids.clean_postcode, "760AB")
    assert "niet met een 0" in _message(ids.clean_postcode, "0607AB")
    assert "SA" in _message(ids.clean_postcode, "7607SA")
    assert "SS" in _message(ids.clean_postcode, "7607 SS")


@pytest.mark.parametrize(
    "raw,stored,shown",
    [
        ("xx-99-99", "XX9999", "XX-99-99"),
        ("12-ABC-3", "12ABC3", "12-ABC-3"),
        ("1-abc-23", "1ABC23", "1-ABC-23"),
        ("G-123-BB", "G123BB", "G-123-BB"),
        ("ab 12 cd", "AB12CD", "AB-12-CD"),
    ],
)
def test_kenteken_normalised_and_formatted_by_side_code(raw, stored, shown):
    assert ids.clean_kenteken(raw) == stored
    assert ids.format_kenteken(stored) == shown


def test_bad_kenteken():
    assert "6 letters en cijfers" in _message(ids.clean_kenteken, "AB-12")
    assert "kentekenreeks" in _message(ids.clean_kenteken, "A1B2C3")
    assert "kentekenreeks" in _message(ids.clean_kenteken, "123456")


def test_cbs_codes_and_their_nesting():
    assert ids.clean_gemeente_code("gm0141") == "GM0141"
    assert ids.clean_wijk_code("WK014101") == "WK014101"
    assert ids.clean_buurt_code("BU01410101") == "BU01410101"
    assert "GM gevolgd door 4 cijfers" in _message(ids.clean_gemeente_code, "GM141")
    assert "WK" in _message(ids.clean_wijk_code, "WK0141")
    assert "BU" in _message(ids.clean_buurt_code, "BU014101")
    ids.check_cbs_hierarchy(gemeente="GM0141", wijk="WK014101", buurt="BU01410101")
    with pytest.raises(ValidationError):
        ids.check_cbs_hierarchy(gemeente="GM0141", wijk="WK015301")
    with pytest.raises(ValidationError):
        ids.check_cbs_hierarchy(wijk="WK014101", buurt="BU01410201")


@given(st.integers(min_value=0, max_value=2**32))
def test_synthetic_identifiers_always_validate(seed):
    rng = random.Random(seed)
    assert ids.clean_bsn(synthetic.bsn(rng))
    assert ids.clean_kvk_number(synthetic.kvk_number(rng))
    assert ids.clean_bag_nummeraanduiding(synthetic.bag_id(rng, "20"))
    assert ids.clean_postcode(synthetic.postcode(rng)).startswith("760")
    assert ids.clean_kenteken(synthetic.kenteken(rng))
    address = synthetic.almelo_address(rng)
    ids.check_cbs_hierarchy(
        gemeente=address["gemeente_code"], wijk=address["wijk_code"], buurt=address["buurt_code"]
    )


def test_synthetic_names_use_common_voorvoegsels():
    rng = random.Random(1)
    prefixes = [synthetic.person_name(rng)["voorvoegsel"] for _ in range(2000)]
    assert prefixes.count("") > 1000
    for common in ("van der", "de", "van"):
        assert prefixes.count(common) > 60
