"""/api/v1/…: Dutch plural nouns, no trailing slashes (a trailing slash answers 404, never a
redirect), the OpenAPI document at /api/v1/openapi.json without authentication."""

from drf_spectacular.views import SpectacularJSONAPIView

from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from . import views
from .docs import ApiDocsView
from .problems import not_found_view

app_name = "api"

urlpatterns = [
    path("v1/openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("v1/docs", ApiDocsView.as_view(), name="docs"),
    path("v1/signalen", views.SignalCollection.as_view(), name="signals"),
    path("v1/signalen/<int:pk>", views.SignalItem.as_view(), name="signal"),
    path("v1/signalen/<int:pk>/statuswijzigingen", views.SignalStatusChanges.as_view(), name="signal_status"),
    path("v1/subjecten", views.SubjectSearch.as_view(), name="subjects"),
    path("v1/personen/<int:pk>", views.PersonItem.as_view(), name="person"),
    path("v1/organisaties/<int:pk>", views.OrganisationItem.as_view(), name="organisation"),
    path("v1/adressen/<int:pk>", views.AddressItem.as_view(), name="address"),
    path("v1/maatregelen", views.MeasureCollection.as_view(), name="measures"),
    path("v1/maatregelen/<int:pk>", views.MeasureItem.as_view(), name="measure"),
    path("v1/termijnen", views.DeadlineCollection.as_view(), name="deadlines"),
    path("v1/acties", views.ActionCollection.as_view(), name="actions"),
    path("v1/acties/<int:pk>", views.ActionItemView.as_view(), name="action"),
    path("v1/cijfers", views.FigureCollection.as_view(), name="figures"),
    path("v1/termijnberekeningen", views.DeadlineCalculation.as_view(), name="calculator"),
    path("v1/verwerkingen", views.ProcessingRecordCollection.as_view(), name="processing_records"),
    re_path(r"^.*$", csrf_exempt(not_found_view), name="not_found"),
]
