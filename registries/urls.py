from django.urls import path

from subjects.constants import SubjectKind

from . import views

app_name = "registries"
urlpatterns = [
    path("protocol/", views.QueryLogView.as_view(), name="query_log"),
    path("persoon/ophalen/", views.RegistryFetchView.as_view(kind=SubjectKind.PERSON), name="person_fetch"),
    path("adres/ophalen/", views.RegistryFetchView.as_view(kind=SubjectKind.ADDRESS), name="address_fetch"),
    path(
        "organisatie/ophalen/",
        views.RegistryFetchView.as_view(kind=SubjectKind.ORGANISATION),
        name="organisation_fetch",
    ),
    path(
        "persoon/<int:pk>/vergelijken/",
        views.SubjectCompareView.as_view(kind=SubjectKind.PERSON),
        name="person_compare",
    ),
    path(
        "adres/<int:pk>/vergelijken/",
        views.SubjectCompareView.as_view(kind=SubjectKind.ADDRESS),
        name="address_compare",
    ),
    path(
        "organisatie/<int:pk>/vergelijken/",
        views.SubjectCompareView.as_view(kind=SubjectKind.ORGANISATION),
        name="organisation_compare",
    ),
    path("adres/<int:pk>/bewoning/", views.AddressBewoningView.as_view(), name="address_bewoning"),
    path("organisatie/<int:pk>/kvk/", views.OrganisationKvkView.as_view(), name="organisation_kvk"),
]
