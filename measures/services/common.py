"""Helpers shared by the measure services: today, Dutch date text, amounts in euro."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core.exceptions import ApplicationError
from vik.core.formats import nl_int

from ..constants import EventType

E = EventType
FLAGS = ("bezwaar_pending", "beroep_pending", "vv_pending", "suspended_by_court")


def _d(value: date) -> str:
    return value.strftime("%d-%m-%Y")


def today() -> date:
    return timezone.localdate()


# --- amounts ------------------------------------------------------------------------------------

_FOREIGN = re.compile(r"(\$|£|¥|₣|usd|gbp|chf|jpy|dollar|pond)", re.IGNORECASE)
_EURO = re.compile(
    r"^(€|eur|euro)?\s*(?P<num>[0-9][0-9.\s]*(,[0-9]{1,2})?|[0-9]+(\.[0-9]{1,2})?)\s*(€|eur|euro)?$", re.I
)


def parse_euro(value: Any, *, field: str = "amount") -> Decimal:
    """An amount in euros, > 0, at most two decimals. Accepts ``5000``, ``5.000``, ``5.000,50``,
    ``€ 2.500`` and ``2500.00``; refuses negative amounts and other currencies."""
    if isinstance(value, Decimal | int):
        amount = Decimal(value)
    else:
        text = " ".join(str(value or "").split())
        if not text:
            raise ApplicationError(_("Vul een bedrag in euro in."), field=field)
        if text.startswith("-") or "-" in text:
            raise ApplicationError(_("Een bedrag kan niet negatief zijn."), field=field)
        if _FOREIGN.search(text):
            raise ApplicationError(_("Bedragen worden alleen in euro vastgelegd."), field=field)
        m = _EURO.match(text)
        if not m:
            raise ApplicationError(
                _("Dit is geen geldig bedrag in euro (bijvoorbeeld 5.000 of 2.500,50)."), field=field
            )
        num = m.group("num").replace(" ", "")
        if "," in num:
            num = num.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+", num):
            num = num.replace(".", "")
        try:
            amount = Decimal(num)
        except InvalidOperation:
            raise ApplicationError(_("Dit is geen geldig bedrag in euro."), field=field)
    if amount.is_nan() or amount <= 0:
        raise ApplicationError(_("Een bedrag moet groter zijn dan € 0."), field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise ApplicationError(_("Een bedrag heeft ten hoogste twee decimalen (centen)."), field=field)
    if amount >= Decimal("10000000000"):
        raise ApplicationError(_("Dit bedrag is te groot."), field=field)
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def euro(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    whole, cents = f"{amount:.2f}".split(".")
    return f"€ {nl_int(int(whole))},{cents}"
