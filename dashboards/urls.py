from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="overview"),
    path("paneel/maatregelen/", views.PanelView.as_view(panel="measures"), name="panel_measures"),
    path("management/", views.ManagementDashboardView.as_view(), name="management"),
    path("export/<slug:key>/", views.FigureExportView.as_view(), name="export"),
    path("kaart/", views.MapView.as_view(), name="map"),
    path("kaart/buurt/<str:code>/", views.BuurtDetailView.as_view(), name="buurt"),
    path("kaart/buurten.geojson", views.OutlinesView.as_view(), name="outlines"),
    path("fenomeen-gebied/", views.AnalysisView.as_view(), name="analysis"),
]
