"""The area loader (GeoJSON in RD New and WGS84, GeoPackage, refused files load nothing), the
point-in-polygon assignment and the rollup refresh."""

from __future__ import annotations

import json
import sqlite3
import struct
from datetime import date

import pytest
from pyproj import Transformer
from shapely import wkb
from shapely.geometry import box

from django.core.management import CommandError, call_command

from dashboards.geo import AreaFileError, gpkg_geometry
from dashboards.models import Area, RollupState, SignalRollup
from dashboards.services import (
    DEMO_AREA_FILE,
    addresses_assign_areas,
    areas_load_file,
    rollups_refresh,
    seed_areas,
)
from tests.dashboards.conftest import make_address, make_signal

TO_WGS = Transformer.from_crs(28992, 4326, always_xy=True)


def rd_point(x, y):
    lon, lat = TO_WGS.transform(x, y)
    return f"{lat:.6f}", f"{lon:.6f}"


def write_geojson(tmp_path, features, crs="urn:ogc:def:crs:EPSG::28992", name="areas.geojson"):
    doc = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def feature(code, name, geom):
    return {
        "type": "Feature",
        "properties": {"statcode": code, "statnaam": name},
        "geometry": geom.__geo_interface__,
    }


def test_demo_file_in_rd_new_loads_gemeente_wijken_buurten_in_wgs84(db):
    result = areas_load_file(path=DEMO_AREA_FILE, assign=False)
    assert result["created"] == 46
    assert Area.objects.filter(level="GM").count() == 1
    assert Area.objects.filter(level="WK").count() == 9
    assert Area.objects.filter(level="BU").count() == 36
    buurt = Area.objects.get(code="BU01410100")
    assert buurt.parent.code == "WK014101" and buurt.parent.parent.code == "GM0141"
    assert buurt.year == 2025 and buurt.name == "Centrum Noordwest"
    # Almelo lies around 52.35 N, 6.66 E
    assert 6.6 < buurt.min_lon < buurt.max_lon < 6.7 and 52.3 < buurt.min_lat < buurt.max_lat < 52.4
    # loading again updates, creates nothing
    assert areas_load_file(path=DEMO_AREA_FILE, assign=False) == {"created": 0, "updated": 46}


def test_geojson_in_wgs84_without_crs_member(db, tmp_path):
    path = write_geojson(
        tmp_path,
        [feature("WK099901", "Testwijk", box(5.10, 52.08, 5.12, 52.10))],
        crs=None,
    )
    areas_load_file(path=path, year=2024, assign=False)
    area = Area.objects.get(code="WK099901")
    assert area.year == 2024 and area.min_lon == pytest.approx(5.10) and area.max_lat == pytest.approx(52.10)


def _gpkg(path, srs_id=28992, organization="EPSG", blob_override=None):
    con = sqlite3.connect(path)
    con.executescript(
        """
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, organization TEXT,
            organization_coordsys_id INTEGER, definition TEXT, description TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, identifier TEXT,
            description TEXT, last_change TEXT, min_x REAL, min_y REAL, max_x REAL, max_y REAL, srs_id INTEGER);
        CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT,
            srs_id INTEGER, z INTEGER, m INTEGER);
        CREATE TABLE buurten (fid INTEGER PRIMARY KEY, geom BLOB, buurtcode TEXT, buurtnaam TEXT,
            wijkcode TEXT, gemeentecode TEXT, jaar INTEGER);
        """
    )
    con.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES ('RD', ?, ?, ?, '', '')", [srs_id, organization, srs_id]
    )
    con.execute(
        "INSERT INTO gpkg_contents VALUES ('buurten', 'features', 'buurten', '', '', 0, 0, 0, 0, ?)", [srs_id]
    )
    con.execute(
        "INSERT INTO gpkg_geometry_columns VALUES ('buurten', 'geom', 'MULTIPOLYGON', ?, 0, 0)", [srs_id]
    )
    polygon = box(238800, 488600, 239800, 489600)
    # GeoPackage binary: magic, version 0, flags (little endian, 32-byte envelope), srs id, envelope, WKB
    header = (
        b"GP"
        + bytes([0, 0b0000_0011])
        + struct.pack("<i", srs_id)
        + struct.pack("<4d", 238800, 239800, 488600, 489600)
    )
    blob = blob_override if blob_override is not None else header + wkb.dumps(polygon)
    con.execute(
        "INSERT INTO buurten (geom, buurtcode, buurtnaam, wijkcode, gemeentecode, jaar) VALUES (?, ?, ?, ?, ?, ?)",
        [blob, "BU01410100", "Centrum Noordwest", "WK014101", "GM0141", 2025],
    )
    con.commit()
    con.close()
    return path


def test_geopackage_built_with_sqlite3_is_read_and_converted(db, tmp_path):
    path = _gpkg(tmp_path / "wijkenbuurten.gpkg")
    areas_load_file(path=path, assign=False)
    area = Area.objects.get(code="BU01410100")
    assert area.name == "Centrum Noordwest" and area.level == "BU" and area.year == 2025
    lat, lon = rd_point(239300, 489100)
    assert area.min_lat < float(lat) < area.max_lat and area.min_lon < float(lon) < area.max_lon


def test_gpkg_geometry_header_without_envelope():
    polygon = box(1, 2, 3, 4)
    blob = b"GP" + bytes([0, 0b0000_0001]) + struct.pack("<i", 4326) + wkb.dumps(polygon)
    assert gpkg_geometry(blob).equals(polygon)


@pytest.mark.parametrize(
    "crs,geom,message",
    [
        # says WGS84 but holds RD metres
        (
            "urn:ogc:def:crs:EPSG::4326",
            box(238800, 488600, 239800, 489600),
            "projectie van het bestand klopt niet",
        ),
        # says RD but holds degrees
        ("urn:ogc:def:crs:EPSG::28992", box(6.6, 52.3, 6.7, 52.4), "projectie van het bestand klopt niet"),
        # Web Mercator is not supported
        ("urn:ogc:def:crs:EPSG::3857", box(740000, 6860000, 741000, 6861000), "Alleen RD New"),
        ("urn:ogc:def:crs:FOO::1", box(238800, 488600, 239800, 489600), "Onbekende projectie"),
    ],
)
def test_wrong_projection_is_refused_and_nothing_is_loaded(db, tmp_path, crs, geom, message):
    good = feature("BU01410101", "Goed", box(239800, 488600, 240800, 489600))
    path = write_geojson(tmp_path, [good, feature("BU01410100", "Fout", geom)], crs=crs)
    with pytest.raises(AreaFileError, match=message):
        areas_load_file(path=path)
    assert Area.objects.count() == 0


@pytest.mark.parametrize(
    "content,message",
    [
        ("{not json", "geen geldige GeoJSON"),
        ('{"type": "Feature"}', "FeatureCollection"),
        (
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}}]}',
            "geen geometrie",
        ),
        (
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"statcode": "BU1"},'
            ' "geometry": {"type": "Polygon", "coordinates": [[[5.1, 52.1], [5.2, 52.1], [5.2, 52.2], [5.1, 52.1]]]}}]}',
            "Onbekende gebiedscode",
        ),
    ],
)
def test_malformed_file_gives_a_clear_message_and_loads_nothing(db, tmp_path, content, message):
    path = tmp_path / "bad.geojson"
    path.write_text(content)
    with pytest.raises(AreaFileError, match=message):
        areas_load_file(path=path)
    assert Area.objects.count() == 0


def test_unknown_code_after_good_features_loads_nothing_half(db, tmp_path):
    features = [
        feature(f"BU014101{i:02d}", f"B{i}", box(238800 + i * 100, 488600, 238900 + i * 100, 488700))
        for i in range(5)
    ]
    features.append(feature("XY0141", "Onbekend", box(238800, 488600, 239800, 489600)))
    path = write_geojson(tmp_path, features)
    with pytest.raises(CommandError, match="Onbekende gebiedscode 'XY0141'"):
        call_command("load_areas", str(path))
    assert Area.objects.count() == 0


def test_corrupt_geopackage_blob_is_refused(db, tmp_path):
    path = _gpkg(tmp_path / "bad.gpkg", blob_override=b"XX-not-a-geometry")
    with pytest.raises(AreaFileError, match="ongeldige geometrie"):
        areas_load_file(path=path)
    assert Area.objects.count() == 0


def test_point_in_polygon_assigns_codes_to_addresses(db, team):
    inside_lat, inside_lon = rd_point(239300, 489100)  # centre of BU01410100 in the demo grid
    other_lat, other_lon = rd_point(244300, 484100)  # centre of the last buurt (wijk 09, zuidoost)
    a = make_address(team, number=1, buurt="", lat=inside_lat, lon=inside_lon)
    b = make_address(team, number=2, buurt="BU01419999", lat=other_lat, lon=other_lon)
    outside = make_address(team, number=3, buurt="BU01410505", lat="52.000000", lon="5.000000")
    no_coords = make_address(team, number=4, buurt="")
    out = StringIOCommand()
    call_command("load_areas", str(DEMO_AREA_FILE), stdout=out)
    a.refresh_from_db(), b.refresh_from_db(), outside.refresh_from_db(), no_coords.refresh_from_db()
    assert (a.gemeente_code, a.wijk_code, a.buurt_code) == ("GM0141", "WK014101", "BU01410100")
    assert (b.gemeente_code, b.wijk_code, b.buurt_code) == ("GM0141", "WK014109", "BU01410903")
    assert outside.buurt_code == "BU01410505"  # outside every area: left alone
    assert no_coords.buurt_code == ""
    assert "2 in een gebied" in out.getvalue()
    # running it again changes nothing
    assert addresses_assign_areas()["changed"] == 0


class StringIOCommand:
    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)

    def flush(self):
        pass

    def getvalue(self):
        return "".join(self.parts)


def test_rollup_refresh_counts_each_signal_once_in_totals(db, team, other_team):
    a = make_address(team, buurt="BU01410100")
    make_signal(team, date(2025, 1, 10), phenomena=("hennep", "drugs"), address=a)
    make_signal(team, date(2025, 1, 12), phenomena=("hennep",))
    make_signal(other_team, date(2025, 2, 1), phenomena=("fraude",), compartment="police")
    state = rollups_refresh()
    assert state.signals == 3 and RollupState.objects.get().refreshed_at is not None
    primary = sum(r.n for r in SignalRollup.objects.filter(primary=True))
    assert primary == 3
    assert sum(r.n for r in SignalRollup.objects.filter(phenomenon="hennep")) == 2
    buurt_row = SignalRollup.objects.get(phenomenon="drugs")
    assert (buurt_row.buurt_code, buurt_row.wijk_code, buurt_row.month) == (
        "BU01410100",
        "WK014101",
        date(2025, 1, 1),
    )
    # a refresh replaces the table as a whole
    make_signal(team, date(2025, 3, 1), phenomena=("hennep",))
    rollups_refresh()
    assert sum(r.n for r in SignalRollup.objects.filter(primary=True)) == 4


def test_refresh_task_is_scheduled_by_beat(db):
    """The data migration creates the beat entry (re-run here: a flush by a transactional test
    elsewhere in the run may have removed the migrated row); running it twice adds nothing."""
    import importlib

    from django_celery_beat.models import PeriodicTask

    from django.apps import apps as django_apps

    from dashboards.tasks import refresh_rollups

    migration = importlib.import_module("dashboards.migrations.0002_refresh_rollups_periodic_task")
    migration.create(django_apps, None)
    migration.create(django_apps, None)
    entry = PeriodicTask.objects.get(task="dashboards.refresh_rollups")
    assert entry.enabled and (entry.interval.every, entry.interval.period) == (15, "minutes")
    assert refresh_rollups.name == "dashboards.refresh_rollups"
    assert refresh_rollups() == 0
    assert RollupState.objects.get().refreshed_at is not None


def test_seed_places_addresses_in_buurten_and_is_idempotent(db, team):
    a = make_address(team, number=1, buurt="BU01410302")
    b = make_address(team, number=2, buurt="")
    seed_areas()
    a.refresh_from_db(), b.refresh_from_db()
    assert a.latitude is not None and a.buurt_code == "BU01410302"  # placed inside its own buurt
    assert b.latitude is not None and b.buurt_code.startswith("BU0141")
    first = (a.latitude, a.longitude)
    seed_areas()
    a.refresh_from_db()
    assert (a.latitude, a.longitude) == first and Area.objects.count() == 46
