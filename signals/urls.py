from django.urls import path

from . import views

app_name = "signals"
urlpatterns = [
    path("", views.SignalListView.as_view(), name="list"),
    path("nieuw/", views.SignalCreateView.as_view(), name="create"),
    path("nieuw/dubbelen/", views.SignalDuplicatesView.as_view(), name="duplicates"),
    path("export/", views.SignalExportView.as_view(), name="export"),
    path("import/", views.ImportUploadView.as_view(), name="import"),
    path("import/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("import/<int:pk>/voortgang/", views.ImportProgressView.as_view(), name="import_progress"),
    path("controles/", views.ControlListView.as_view(), name="control_list"),
    path("controles/nieuw/", views.ControlCreateView.as_view(), name="control_create"),
    path("controles/<int:pk>/", views.ControlDetailView.as_view(), name="control_detail"),
    path("controles/<int:pk>/bevindingen/", views.FindingCreateView.as_view(), name="finding_create"),
    path("bevindingen/<int:pk>/signaal/", views.FindingSpawnView.as_view(), name="finding_spawn"),
    path("<int:pk>/", views.SignalDetailView.as_view(), name="detail"),
    path("<int:pk>/status/", views.SignalTransitionView.as_view(), name="transition"),
    path("<int:pk>/afstemming-politie/", views.SignalAlignmentView.as_view(), name="alignment"),
    path("<int:pk>/toewijzen/", views.SignalAssignView.as_view(), name="assign"),
    path("<int:pk>/casustafel/", views.SignalCasustafelView.as_view(), name="casustafel"),
    path("<int:pk>/casustafel-uitkomst/", views.SignalOutcomeView.as_view(), name="outcome"),
    path("<int:pk>/koppelen/", views.SignalLinkSubjectView.as_view(), name="link_subject"),
    path("<int:pk>/bijlagen/", views.AttachmentUploadView.as_view(), name="attachment_upload"),
    path(
        "<int:pk>/bijlagen/<int:attachment_pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
]
