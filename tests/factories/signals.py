"""Light helpers for signals tests: records are made through the services, as users make them."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

from django.utils import timezone

from signals import services
from signals.models import Phenomenon, Signal, SignalSource
from signals.reference import ensure_reference_lists
from subjects.models import Address, Person
from vik.core.access import init_visibility
from vik.core.encryption import blind_index

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry with a fixed timestamp: the bytes (and the test ids built from them) must be
    the same in every pytest-xdist worker, whatever second each one collects in."""
    return zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))


def source(code: str = "politie") -> SignalSource:
    ensure_reference_lists()
    return SignalSource.objects.get(code=code)


def phenomena(*codes: str) -> list[Phenomenon]:
    ensure_reference_lists()
    return list(Phenomenon.objects.filter(code__in=codes or ("drugs",)))


def make_signal(
    actor,
    *,
    source_code: str = "intern",
    codes: tuple[str, ...] = ("drugs",),
    summary: str = "Veel kortdurend bezoek aan woning",
    narrative: str = "Vertrouwelijke tekst van de melder",
    received: date | None = None,
    external_ref: str = "",
    owner_team=None,
    legal_regime: str = "AVG",
    links=(),
) -> Signal:
    return services.signal_create(
        actor=actor,
        source=source(source_code),
        received_date=received or timezone.localdate() - timedelta(days=1),
        phenomena=phenomena(*codes),
        summary=summary,
        narrative=narrative,
        legal_regime=legal_regime,
        wpg_conditions="Niet verder verstrekken" if legal_regime == "WPG" else "",
        external_ref=external_ref,
        owner_team=owner_team,
        links=links,
    )


def make_address(
    team, *, postcode: str = "7607AB", number: int = 12, wijk: str = "WK014101", buurt: str = "BU01410101"
) -> Address:
    obj = Address.objects.create(
        street="Grotestraat",
        house_number=number,
        postcode=postcode,
        town="Almelo",
        gemeente_code="GM0141",
        wijk_code=wijk,
        buurt_code=buurt,
        owner_team=team,
    )
    init_visibility(obj)
    return obj


def make_person(
    team,
    *,
    geslachtsnaam: str = "Jansen",
    voornamen: str = "Jan",
    bsn: str = "",
    birth_date: date | None = None,
) -> Person:
    obj = Person.objects.create(
        geslachtsnaam=geslachtsnaam,
        voornamen=voornamen,
        name_normalised=geslachtsnaam.lower(),
        bsn=bsn or None,
        bsn_index=blind_index(bsn) if bsn else "",
        birth_date=birth_date,
        owner_team=team,
    )
    init_visibility(obj)
    return obj


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(_entry("[Content_Types].xml"), "<Types/>")
        zf.writestr(_entry("word/document.xml"), "<w:document/>")
    return buf.getvalue()


def plain_zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(_entry("payload.exe"), "MZ")
    return buf.getvalue()


EML_BYTES = b"From: melder@example.nl\r\nTo: veiligheid@almelo.nl\r\nSubject: Tip\r\nDate: Mon, 1 Jun 2026 10:00:00 +0200\r\n\r\nTekst\r\n"
OLE_BYTES = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
