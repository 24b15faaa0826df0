"""Reading CBS area files (wijk- en buurtkaart) and point-in-polygon lookups. Pure: no ORM.

Accepted input:
- GeoJSON (FeatureCollection). The CRS comes from the (pre-RFC 7946) ``crs`` member,
  e.g. ``urn:ogc:def:crs:EPSG::28992``; without one the file is WGS84 as RFC 7946 says.
- GeoPackage (an SQLite file). Every feature table listed in ``gpkg_contents`` is read; the CRS
  comes from ``gpkg_spatial_ref_sys`` through the table's ``srs_id``. Geometry blobs are the
  GeoPackage binary header (magic ``GP``, version, flags, srs id, optional envelope) followed by
  WKB, decoded with shapely.

Only RD New (EPSG:28992) and WGS84 (EPSG:4326 / CRS84) are accepted; RD is converted to WGS84
with pyproj. After conversion every outline must lie in the Netherlands: a file that says WGS84
but holds RD metres (or the other way round) is refused as a wrong projection.
"""

from __future__ import annotations

import json
import re
import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path

from shapely import wkb
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.ops import transform

from django.utils.translation import gettext as _

from vik.core.exceptions import ApplicationError

from .constants import CRS_RD_NEW, CRS_WGS84

CODE_RE = re.compile(r"^(GM\d{4}|WK\d{6}|BU\d{8})$")
# Generous bounds of the European Netherlands in WGS84 (lon, lat).
NL_BOUNDS = (3.0, 50.6, 7.4, 53.8)
CODE_KEYS = ["statcode", "code", "buurtcode", "BU_CODE", "wijkcode", "WK_CODE", "gemeentecode", "GM_CODE"]
NAME_KEYS = [
    "statnaam",
    "name",
    "naam",
    "buurtnaam",
    "BU_NAAM",
    "wijknaam",
    "WK_NAAM",
    "gemeentenaam",
    "GM_NAAM",
]
YEAR_KEYS = ["jaar", "year", "JRSTATCODE"]
SQLITE_MAGIC = b"SQLite format 3\x00"


class AreaFileError(ApplicationError):
    """The file cannot be loaded; nothing is written."""


@dataclass
class AreaFeature:
    code: str
    name: str
    level: str  # GM, WK, BU
    geometry: Polygon | MultiPolygon  # WGS84, lon/lat
    year: int | None = None

    @property
    def parent_code(self) -> str:
        return parent_code(self.code)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.geometry.bounds  # min_lon, min_lat, max_lon, max_lat

    def geojson(self) -> dict:
        return _rounded(mapping(self.geometry))


def parent_code(code: str) -> str:
    """BU01410101 → WK014101 → GM0141 → ''."""
    if code.startswith("BU"):
        return "WK" + code[2:8]
    if code.startswith("WK"):
        return "GM" + code[2:6]
    return ""


def codes_for_buurt(code: str) -> tuple[str, str, str]:
    """(gemeente, wijk, buurt) codes implied by a buurt code (CBS codes nest)."""
    return "GM" + code[2:6], "WK" + code[2:8], code


def _rounded(geo: dict) -> dict:
    def rnd(c):
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [round(c[0], 6), round(c[1], 6)]
        return [rnd(x) for x in c]

    return {"type": geo["type"], "coordinates": rnd(geo["coordinates"])}


# --- CRS ---------------------------------------------------------------------------------------


def epsg_from_name(name: str) -> int | None:
    """``urn:ogc:def:crs:EPSG::28992``, ``EPSG:28992``, ``urn:ogc:def:crs:OGC:1.3:CRS84``."""
    text = (name or "").strip().upper()
    if text.endswith("CRS84"):
        return CRS_WGS84
    match = re.search(r"EPSG:{1,2}(\d+)$", text)
    return int(match.group(1)) if match else None


def _transformer(epsg: int):
    if epsg == CRS_WGS84:
        return None
    if epsg != CRS_RD_NEW:
        raise AreaFileError(
            _(
                "Het bestand gebruikt projectie EPSG:%(epsg)s. Alleen RD New (EPSG:28992) en WGS84 (EPSG:4326) worden ondersteund; er is niets geladen."
            )
            % {"epsg": epsg}
        )
    from pyproj import Transformer

    return Transformer.from_crs(CRS_RD_NEW, CRS_WGS84, always_xy=True)


def _to_wgs84(geom, transformer, code: str):
    if transformer is not None:
        geom = transform(transformer.transform, geom)
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise AreaFileError(
            _("Gebied %(code)s heeft geen vlak als geometrie (%(t)s); er is niets geladen.")
            % {"code": code, "t": geom.geom_type}
        )
    if geom.is_empty:
        raise AreaFileError(
            _("Gebied %(code)s heeft een lege geometrie; er is niets geladen.") % {"code": code}
        )
    min_x, min_y, max_x, max_y = geom.bounds
    lo_x, lo_y, hi_x, hi_y = NL_BOUNDS
    if not (lo_x <= min_x and max_x <= hi_x and lo_y <= min_y and max_y <= hi_y):
        raise AreaFileError(
            _(
                "De coördinaten van gebied %(code)s liggen na omrekening niet in Nederland: de projectie van het bestand klopt niet (verwacht RD New EPSG:28992 of WGS84). Er is niets geladen."
            )
            % {"code": code}
        )
    if not geom.is_valid:
        geom = geom.buffer(0)
    return geom


def _feature(props: dict, geom, transformer, default_year: int | None) -> AreaFeature:
    code = next((str(props[k]).strip() for k in CODE_KEYS if props.get(k)), "")
    if not CODE_RE.match(code):
        raise AreaFileError(
            _(
                "Onbekende gebiedscode %(code)r: verwacht GM + 4 cijfers, WK + 6 cijfers of BU + 8 cijfers. Er is niets geladen."
            )
            % {"code": code[:20]}
        )
    name = next((str(props[k]).strip() for k in NAME_KEYS if props.get(k)), code)
    year = default_year
    for key in YEAR_KEYS:
        value = props.get(key)
        if value is not None and str(value)[:4].isdigit():
            year = int(str(value)[:4])
            break
    return AreaFeature(
        code=code, name=name[:200], level=code[:2], geometry=_to_wgs84(geom, transformer, code), year=year
    )


# --- GeoJSON -----------------------------------------------------------------------------------


def read_geojson(data: bytes, *, year: int | None = None) -> list[AreaFeature]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise AreaFileError(
            _("Het bestand is geen geldige GeoJSON (%(e)s); er is niets geladen.") % {"e": str(exc)[:120]}
        )
    if (
        not isinstance(doc, dict)
        or doc.get("type") != "FeatureCollection"
        or not isinstance(doc.get("features"), list)
    ):
        raise AreaFileError(_("Het bestand is geen GeoJSON FeatureCollection; er is niets geladen."))
    crs_name = (
        ((doc.get("crs") or {}).get("properties") or {}).get("name", "")
        if isinstance(doc.get("crs"), dict)
        else ""
    )
    epsg = epsg_from_name(crs_name) if crs_name else CRS_WGS84
    if epsg is None:
        raise AreaFileError(
            _("Onbekende projectie %(crs)r in het bestand; er is niets geladen.")
            % {"crs": str(crs_name)[:60]}
        )
    transformer = _transformer(epsg)
    features = []
    for number, item in enumerate(doc["features"], start=1):
        if not isinstance(item, dict) or not isinstance(item.get("geometry"), dict):
            raise AreaFileError(
                _("Object %(n)s in het bestand heeft geen geometrie; er is niets geladen.") % {"n": number}
            )
        try:
            geom = shape(item["geometry"])
        except Exception as exc:  # shapely raises several types for malformed coordinates
            raise AreaFileError(
                _("Object %(n)s heeft een ongeldige geometrie (%(e)s); er is niets geladen.")
                % {"n": number, "e": str(exc)[:80]}
            )
        features.append(_feature(item.get("properties") or {}, geom, transformer, year))
    return features


# --- GeoPackage --------------------------------------------------------------------------------


def gpkg_geometry(blob: bytes):
    """Decode a GeoPackage geometry blob: header (GP, version, flags, srs_id, envelope) + WKB."""
    if blob is None or len(blob) < 8 or blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry blob")
    flags = blob[3]
    envelope = (flags >> 1) & 0b111
    if envelope > 4:
        raise ValueError("invalid envelope indicator")
    size = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[envelope]
    if flags & 0b10000:  # empty geometry
        raise ValueError("empty geometry")
    return wkb.loads(bytes(blob[8 + size :]))


def gpkg_srs_id(blob: bytes) -> int:
    little = bool(blob[3] & 1)
    return struct.unpack("<i" if little else ">i", blob[4:8])[0]


def read_geopackage(path: Path, *, year: int | None = None) -> list[AreaFeature]:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise AreaFileError(_("De GeoPackage kan niet worden geopend (%(e)s).") % {"e": exc})
    try:
        try:
            tables = con.execute(
                "SELECT c.table_name, g.column_name, c.srs_id FROM gpkg_contents c "
                "JOIN gpkg_geometry_columns g ON g.table_name = c.table_name WHERE c.data_type = 'features'"
            ).fetchall()
        except sqlite3.Error:
            raise AreaFileError(
                _("Het bestand is geen geldige GeoPackage (geen gpkg_contents); er is niets geladen.")
            )
        if not tables:
            raise AreaFileError(_("De GeoPackage bevat geen kaartlagen; er is niets geladen."))
        features = []
        for table, column, srs_id in tables:
            row = con.execute(
                "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = ?",
                [srs_id],
            ).fetchone()
            if row is None or str(row[0]).upper() not in ("EPSG", "OGC"):
                raise AreaFileError(
                    _("Onbekende projectie (srs_id %(id)s) in laag %(t)s; er is niets geladen.")
                    % {"id": srs_id, "t": table}
                )
            epsg = CRS_WGS84 if str(row[0]).upper() == "OGC" else int(row[1])
            transformer = _transformer(epsg)
            cur = con.execute(f'SELECT * FROM "{table.replace(chr(34), "")}"')  # noqa: S608 - name from gpkg_contents
            names = [d[0] for d in cur.description]
            for number, values in enumerate(cur, start=1):
                props = dict(zip(names, values, strict=True))
                try:
                    geom = gpkg_geometry(props.pop(column))
                except Exception as exc:
                    raise AreaFileError(
                        _(
                            "Rij %(n)s van laag %(t)s heeft een ongeldige geometrie (%(e)s); er is niets geladen."
                        )
                        % {"n": number, "t": table, "e": str(exc)[:80]}
                    )
                features.append(_feature(props, geom, transformer, year))
        return features
    except sqlite3.DatabaseError as exc:
        raise AreaFileError(_("De GeoPackage is beschadigd (%(e)s); er is niets geladen.") % {"e": exc})
    finally:
        con.close()


def read_area_file(path: str | Path, *, year: int | None = None) -> list[AreaFeature]:
    """Read a GeoJSON or GeoPackage file into WGS84 features, or raise AreaFileError."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise AreaFileError(_("Het bestand kan niet worden gelezen: %(e)s") % {"e": exc.strerror or exc})
    if head == SQLITE_MAGIC:
        features = read_geopackage(path, year=year)
    else:
        features = read_geojson(path.read_bytes(), year=year)
    if not features:
        raise AreaFileError(_("Het bestand bevat geen gebieden; er is niets geladen."))
    seen: set[tuple[str, int | None]] = set()
    for f in features:
        key = (f.code, f.year)
        if key in seen:
            raise AreaFileError(
                _("Gebiedscode %(code)s komt twee keer voor; er is niets geladen.") % {"code": f.code}
            )
        seen.add(key)
    return features


# --- point in polygon --------------------------------------------------------------------------


class AreaIndex:
    """Point-in-polygon over many areas: an STRtree over the bounding boxes prefilters, prepared
    geometries answer ``contains``. Build once, query many points (lon, lat)."""

    def __init__(self, items: list[tuple[str, dict]]):
        from shapely import STRtree
        from shapely.prepared import prep

        self.codes = [code for code, _geo in items]
        self.geoms = [shape(geo) for _code, geo in items]
        self.prepared = [prep(g) for g in self.geoms]
        self.tree = STRtree(self.geoms) if self.geoms else None

    def find(self, lon: float, lat: float) -> str | None:
        if self.tree is None:
            return None
        from shapely.geometry import Point

        point = Point(lon, lat)
        for idx in sorted(self.tree.query(point)):
            if self.prepared[idx].covers(point):
                return self.codes[idx]
        return None
