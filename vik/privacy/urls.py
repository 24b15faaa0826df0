from django.urls import path

from . import supervision, views, views_register

app_name = "privacy"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("logboeken/", views.LoggingControlsView.as_view(), name="logs"),
    path("bewaarregels/", views.RuleListView.as_view(), name="rule_list"),
    path("bewaarregels/<int:pk>/", views.RuleEditView.as_view(), name="rule_edit"),
    path("blokkades/", views.HoldListView.as_view(), name="hold_list"),
    path("blokkades/<int:pk>/opheffen/", views.HoldReleaseView.as_view(), name="hold_release"),
    path("vernietigingslijsten/", views.DestructionListListView.as_view(), name="list_list"),
    path("vernietigingslijsten/controleren/", views.SweepRunView.as_view(), name="sweep_run"),
    path("vernietigingslijsten/<int:pk>/", views.DestructionListDetailView.as_view(), name="list_detail"),
    path(
        "vernietigingslijsten/<int:pk>/goedkeuren/",
        views.DestructionListApproveView.as_view(),
        name="list_approve",
    ),
    path(
        "vernietigingslijsten/<int:pk>/hervatten/",
        views.DestructionListCarryOutView.as_view(),
        name="list_carry_out",
    ),
    path("inzageverzoeken/", views.DsarListView.as_view(), name="dsar_list"),
    path("inzageverzoeken/<int:pk>/", views.DsarDetailView.as_view(), name="dsar_detail"),
    path("inzageverzoeken/<int:pk>/samenstellen/", views.DsarAnswerView.as_view(), name="dsar_answer"),
    path("inzageverzoeken/<int:pk>/verlengen/", views.DsarExtendView.as_view(), name="dsar_extend"),
    path("inzageverzoeken/<int:pk>/inzage.json", views.DsarJsonView.as_view(), name="dsar_json"),
    path("inzageverzoeken/<int:pk>/inzage.pdf", views.DsarPdfView.as_view(), name="dsar_pdf"),
    path("beperkingen/", views.RestrictionListView.as_view(), name="restriction_list"),
    path("beperkingen/<int:pk>/opheffen/", views.RestrictionLiftView.as_view(), name="restriction_lift"),
    path("rectificaties/", views.RectificationListView.as_view(), name="rectification_list"),
    path("rapportages/", views.ReportsView.as_view(), name="reports"),
    path("rapportages/afwijkingen/<int:pk>/", views.AnomalyReportView.as_view(), name="anomaly_detail"),
    path("verwerkingsregister/", views_register.RegisterListView.as_view(), name="register_list"),
    path(
        "verwerkingsregister/<int:pk>/", views_register.RegisterDetailView.as_view(), name="register_detail"
    ),
    path(
        "verwerkingsregister/<int:pk>/wijzigen/",
        views_register.RegisterEditView.as_view(),
        name="register_edit",
    ),
    path(
        "verwerkingsregister/export.<str:fmt>",
        views_register.RegisterExportView.as_view(),
        name="register_export",
    ),
    path("verwerkingsregister/koppelingen/", views_register.MappingListView.as_view(), name="mapping_list"),
    path("verwerkingslogboek/", views_register.ProcessingLogView.as_view(), name="processing_log"),
]

# Pages that keep their place in the ``core`` namespace (URL name and path unchanged) but live
# here with the other privacy pages; vik/urls.py adds them to core's patterns (vik.core does not
# import vik.privacy).
core_urlpatterns = [
    path("privacy/wie-heeft-ingezien/", supervision.WhoViewedView.as_view(), name="who_viewed"),
]
