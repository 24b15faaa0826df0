"""Validators for the Dutch identifiers VIK stores (DOMAIN.md §4a).

Each ``clean_<identifier>(value) -> str`` strips formatting, checks the value and returns the
normalised form that is stored; on bad input it raises ``django.core.exceptions.ValidationError``
with a Dutch message that says what is wrong (shown at the form field). ``validate_<identifier>``
are the same checks as Django field validators (return nothing).
"""

from __future__ import annotations

import re

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s.\-]")


def _digits_only(value: object) -> str:
    return _SEPARATORS.sub("", str(value or "")).strip()


# --- BSN and RSIN (11-proef) -------------------------------------------------------------------


def _eleven_proof(value: object, *, label: str, code: str) -> str:
    compact = _digits_only(value)
    if not compact.isdigit():
        raise ValidationError(_("Een %(label)s bestaat alleen uit cijfers.") % {"label": label}, code=code)
    if len(compact) > 9 or len(compact) < 8:
        raise ValidationError(
            _("Een %(label)s bestaat uit 9 cijfers; u gaf er %(n)s.") % {"label": label, "n": len(compact)},
            code=code,
        )
    compact = compact.zfill(9)
    if compact == "000000000" or not stdnum_bsn.is_valid(compact):
        raise ValidationError(
            _("Dit %(label)s klopt niet: het voldoet niet aan de elfproef. Controleer de cijfers.")
            % {"label": label},
            code=code,
        )
    return compact


def clean_bsn(value: object) -> str:
    """9 digits (a leading zero may be left out), 11-proef, never 000000000."""
    return _eleven_proof(value, label="BSN", code="bsn")


def clean_rsin(value: object) -> str:
    return _eleven_proof(value, label="RSIN", code="rsin")


def is_valid_bsn(value: object) -> bool:
    try:
        clean_bsn(value)
    except ValidationError:
        return False
    return True


# --- KvK ---------------------------------------------------------------------------------------


def clean_kvk_number(value: object) -> str:
    compact = _digits_only(value)
    if not compact.isdigit() or len(compact) != 8:
        raise ValidationError(_("Een KvK-nummer bestaat uit precies 8 cijfers."), code="kvk")
    return compact


def clean_vestigingsnummer(value: object) -> str:
    compact = _digits_only(value)
    if not compact.isdigit() or len(compact) != 12:
        raise ValidationError(
            _("Een vestigingsnummer bestaat uit precies 12 cijfers."), code="vestigingsnummer"
        )
    return compact


# --- BAG ---------------------------------------------------------------------------------------

BAG_OBJECT_TYPES = {
    "01": "verblijfsobject",
    "02": "ligplaats",
    "03": "standplaats",
    "10": "pand",
    "20": "nummeraanduiding",
    "30": "openbare ruimte",
}
ADRESSEERBAAR_OBJECT = ("01", "02", "03")


def clean_bag_id(value: object, *, object_types: tuple[str, ...] | None = None) -> str:
    """16 digits: 4-digit gemeentecode, 2-digit object type, 10-digit serial."""
    compact = _digits_only(value)
    if not compact.isdigit() or len(compact) != 16:
        raise ValidationError(
            _(
                "Een BAG-identificatie bestaat uit precies 16 cijfers (gemeentecode, objecttype en volgnummer)."
            ),
            code="bag",
        )
    if compact[:4] == "0000":
        raise ValidationError(
            _("De eerste vier cijfers van een BAG-identificatie zijn de gemeentecode; 0000 bestaat niet."),
            code="bag",
        )
    kind = compact[4:6]
    if kind not in BAG_OBJECT_TYPES:
        raise ValidationError(
            _("Cijfers 5 en 6 (%(code)s) zijn geen BAG-objecttype (01, 02, 03, 10, 20 of 30).")
            % {"code": kind},
            code="bag",
        )
    if object_types and kind not in object_types:
        wanted = " of ".join(f"{t} ({BAG_OBJECT_TYPES[t]})" for t in object_types)
        raise ValidationError(
            _("Deze BAG-identificatie is van een %(got)s; verwacht objecttype %(wanted)s.")
            % {"got": BAG_OBJECT_TYPES[kind], "wanted": wanted},
            code="bag",
        )
    return compact


def clean_bag_nummeraanduiding(value: object) -> str:
    return clean_bag_id(value, object_types=("20",))


def clean_bag_verblijfsobject(value: object) -> str:
    return clean_bag_id(value, object_types=ADRESSEERBAAR_OBJECT)


# --- postcode ----------------------------------------------------------------------------------


def clean_postcode(value: object) -> str:
    """Stored normalised without space: ``7607AB``."""
    raw = str(value or "").strip()
    compact = raw.replace(" ", "").upper()
    if not re.fullmatch(r"\d{4}[A-Z]{2}", compact):
        raise ValidationError(
            _("Een postcode bestaat uit 4 cijfers en 2 letters, bijvoorbeeld 7607 AB."), code="postcode"
        )
    if compact[0] == "0":
        raise ValidationError(_("Een postcode begint niet met een 0."), code="postcode")
    try:
        stdnum_postcode.validate(compact)
    except StdnumError:
        raise ValidationError(
            _("De lettercombinatie %(l)s komt in postcodes niet voor (SA, SD en SS worden niet gebruikt).")
            % {"l": compact[4:]},
            code="postcode",
        )
    return compact


def format_postcode(value: str) -> str:
    return f"{value[:4]} {value[4:]}" if len(value) == 6 else value


# --- kenteken ----------------------------------------------------------------------------------

# RDW side codes 1-14, written as groups; L = letter, D = digit.
KENTEKEN_SIDE_CODES = [
    ("LL", "DD", "DD"),
    ("DD", "DD", "LL"),
    ("DD", "LL", "DD"),
    ("LL", "DD", "LL"),
    ("LL", "LL", "DD"),
    ("DD", "LL", "LL"),
    ("DD", "LLL", "D"),
    ("D", "LLL", "DD"),
    ("LL", "DDD", "L"),
    ("L", "DDD", "LL"),
    ("LLL", "DD", "L"),
    ("L", "DD", "LLL"),
    ("D", "LL", "DDD"),
    ("DDD", "LL", "D"),
]
_SHAPES = {"".join(groups): groups for groups in KENTEKEN_SIDE_CODES}


def _shape(compact: str) -> str:
    return "".join("D" if ch.isdigit() else "L" for ch in compact)


def clean_kenteken(value: object) -> str:
    """Normalised without dashes, upper case: ``XX-99-99`` becomes ``XX9999``."""
    compact = re.sub(r"[\s\-]", "", str(value or "")).upper()
    if len(compact) != 6 or not compact.isascii() or not compact.isalnum():
        raise ValidationError(
            _("Een kenteken bestaat uit 6 letters en cijfers, bijvoorbeeld 12-ABC-3."), code="kenteken"
        )
    if _shape(compact) not in _SHAPES:
        raise ValidationError(
            _("%(k)s past niet in een Nederlandse kentekenreeks (zoals XX-99-99, 99-XXX-9 of X-999-XX).")
            % {"k": compact},
            code="kenteken",
        )
    return compact


def format_kenteken(compact: str) -> str:
    groups = _SHAPES.get(_shape(compact))
    if not groups:
        return compact
    parts, i = [], 0
    for g in groups:
        parts.append(compact[i : i + len(g)])
        i += len(g)
    return "-".join(parts)


def looks_like_kenteken(value: str) -> bool:
    compact = re.sub(r"[\s\-]", "", value).upper()
    return len(compact) == 6 and compact.isalnum() and _shape(compact) in _SHAPES and not compact.isdigit()


# --- CBS area codes ----------------------------------------------------------------------------

_CBS = {
    "GM": (4, _("Een gemeentecode is GM gevolgd door 4 cijfers, bijvoorbeeld GM0141.")),
    "WK": (6, _("Een wijkcode is WK gevolgd door 6 cijfers (gemeente + wijk), bijvoorbeeld WK014101.")),
    "BU": (
        8,
        _("Een buurtcode is BU gevolgd door 8 cijfers (gemeente + wijk + buurt), bijvoorbeeld BU01410101."),
    ),
}


def clean_cbs_code(value: object, level: str) -> str:
    digits, message = _CBS[level]
    compact = str(value or "").replace(" ", "").upper()
    if not re.fullmatch(rf"{level}\d{{{digits}}}", compact):
        raise ValidationError(str(message), code="cbs")
    return compact


def clean_gemeente_code(value: object) -> str:
    return clean_cbs_code(value, "GM")


def clean_wijk_code(value: object) -> str:
    return clean_cbs_code(value, "WK")


def clean_buurt_code(value: object) -> str:
    return clean_cbs_code(value, "BU")


def check_cbs_hierarchy(*, gemeente: str = "", wijk: str = "", buurt: str = "") -> None:
    """A wijk lies in its gemeente and a buurt in its wijk: the digits nest."""
    if gemeente and wijk and wijk[2:6] != gemeente[2:6]:
        raise ValidationError({"wijk_code": _("Deze wijk ligt niet in gemeente %(g)s.") % {"g": gemeente}})
    if wijk and buurt and buurt[2:8] != wijk[2:8]:
        raise ValidationError({"buurt_code": _("Deze buurt ligt niet in wijk %(w)s.") % {"w": wijk}})
    if gemeente and buurt and not wijk and buurt[2:6] != gemeente[2:6]:
        raise ValidationError({"buurt_code": _("Deze buurt ligt niet in gemeente %(g)s.") % {"g": gemeente}})


def _validator(fn):
    def validate(value):
        fn(value)

    validate.__name__ = fn.__name__.replace("clean_", "validate_")
    return validate


validate_bsn = _validator(clean_bsn)
validate_rsin = _validator(clean_rsin)
validate_kvk_number = _validator(clean_kvk_number)
validate_vestigingsnummer = _validator(clean_vestigingsnummer)
validate_bag_nummeraanduiding = _validator(clean_bag_nummeraanduiding)
validate_bag_verblijfsobject = _validator(clean_bag_verblijfsobject)
validate_postcode = _validator(clean_postcode)
validate_kenteken = _validator(clean_kenteken)
validate_gemeente_code = _validator(clean_gemeente_code)
validate_wijk_code = _validator(clean_wijk_code)
validate_buurt_code = _validator(clean_buurt_code)
