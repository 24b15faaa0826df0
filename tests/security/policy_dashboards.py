"""Dashboards: the analyst's pages for everyone with signals.view_signal; the management view
for the chair and the decision maker (dashboards.view_management_dashboard). All GET only."""

from tests.security.matrix import Rule

VIEWERS = {"analyst", "chair", "bibob", "decision_maker"}  # roles holding signals.view_signal
MANAGEMENT = {"chair", "decision_maker"}


def build(world):
    from dashboards.models import Area

    world.buurt, _ = Area.objects.get_or_create(
        code="BU01410100",
        year=2025,
        defaults={
            "name": "Centrum Noordwest",
            "level": "BU",
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[6.6, 52.3], [6.7, 52.3], [6.7, 52.4], [6.6, 52.3]]],
            },
            "min_lon": 6.6,
            "min_lat": 52.3,
            "max_lon": 6.7,
            "max_lat": 52.4,
        },
    )


POLICY = {
    "dashboards:overview": Rule(get=VIEWERS),
    # the dashboard's lazily loaded panel: the same roles as the page
    "dashboards:panel_measures": Rule(get=VIEWERS),
    "dashboards:management": Rule(get=MANAGEMENT),
    "dashboards:export": Rule(get=VIEWERS, kwargs=lambda w: {"key": "signals_source"}, query="formaat=csv"),
    "dashboards:map": Rule(get=VIEWERS),
    "dashboards:buurt": Rule(get=VIEWERS, kwargs=lambda w: {"code": w.buurt.code}),
    # the map's base layer (CBS outlines, no figures): the same roles as the map
    "dashboards:outlines": Rule(get=VIEWERS),
    "dashboards:analysis": Rule(get=VIEWERS, query="gebied=BU01410100"),
}
