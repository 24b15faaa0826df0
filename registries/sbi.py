"""SBI activity codes that point to one of the risk branches of the municipality's Bibob policy.
Indicative: the analyst decides; the KvK profile only highlights. Longest prefix wins."""

from __future__ import annotations

from vik.core.constants import RiskBranch

SBI_RISK_PREFIXES = {
    "45": RiskBranch.AUTO,  # trade in and repair of motor vehicles
    "551": RiskBranch.HORECA,  # hotels
    "561": RiskBranch.HORECA,  # restaurants
    "563": RiskBranch.HORECA,  # cafés
    "9602": RiskBranch.KAPPERS,  # hairdressing and beauty care
    "96022": RiskBranch.SCHOONHEID,
    "6820": RiskBranch.KAMERVERHUUR,  # letting of own real estate
    "381": RiskBranch.AFVAL,  # waste collection
    "382": RiskBranch.AFVAL,  # waste treatment
    "383": RiskBranch.RECYCLING,  # materials recovery
    "4677": RiskBranch.RECYCLING,  # wholesale of waste and scrap
    "35": RiskBranch.ENERGIE,
    "92": RiskBranch.KANSSPEL,  # gambling
    "9491": RiskBranch.RELIGIEUS,
}


def risk_branch_for(code: str) -> str:
    best = ""
    for prefix in SBI_RISK_PREFIXES:
        if code.startswith(prefix) and len(prefix) > len(best):
            best = prefix
    return SBI_RISK_PREFIXES[best] if best else ""


LEGAL_FORMS = {
    "eenmanszaak": "eenmanszaak",
    "vennootschap onder firma": "vof",
    "commanditaire vennootschap": "cv",
    "besloten vennootschap": "bv",
    "naamloze vennootschap": "nv",
    "stichting": "stichting",
    "vereniging": "vereniging",
    "coöperatie": "cooperatie",
    "maatschap": "maatschap",
}


def legal_form_code(text: str) -> str:
    low = (text or "").strip().lower()
    for name, code in LEGAL_FORMS.items():
        if low.startswith(name):
            return code
    return "overig" if low else ""
