from django.urls import path

from . import views
from .permissions import KIND_SLUGS

app_name = "subjects"
urlpatterns = [
    path("", views.SubjectSearchView.as_view(), name="search"),
    path("typeahead/", views.SubjectTypeaheadView.as_view(), name="typeahead"),
    path("relatie/<int:pk>/beeindigen/", views.LinkEndView.as_view(), name="link_end"),
    path("samenvoeging/<int:pk>/", views.MergeDetailView.as_view(), name="merge_detail"),
    path("samenvoeging/<int:pk>/ongedaan-maken/", views.MergeUndoView.as_view(), name="merge_undo"),
]
for slug, kind in KIND_SLUGS.items():
    urlpatterns += [
        path(f"{slug}/nieuw/", views.SubjectCreateView.as_view(kind=kind), name=f"{kind}_create"),
        path(f"{slug}/<int:pk>/", views.SubjectDetailView.as_view(kind=kind), name=f"{kind}_detail"),
        path(f"{slug}/<int:pk>/wijzigen/", views.SubjectEditView.as_view(kind=kind), name=f"{kind}_edit"),
        path(
            f"{slug}/<int:pk>/netwerk/", views.SubjectNetworkView.as_view(kind=kind), name=f"{kind}_network"
        ),
        path(
            f"{slug}/<int:pk>/netwerk.json",
            views.SubjectNetworkJsonView.as_view(kind=kind),
            name=f"{kind}_network_json",
        ),
        path(
            f"{slug}/<int:pk>/relatie/", views.LinkCreateView.as_view(kind=kind), name=f"{kind}_link_create"
        ),
        path(
            f"{slug}/<int:pk>/samenvoegen/", views.SubjectMergeView.as_view(kind=kind), name=f"{kind}_merge"
        ),
    ]
