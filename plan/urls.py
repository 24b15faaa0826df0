from django.urls import path

from . import views

app_name = "plan"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("acties/nieuw/", views.ActionCreateView.as_view(), name="action_create"),
    path("acties/<int:pk>/voortgang/", views.ActionProgressView.as_view(), name="action_progress"),
    path("kwartaalrapportage.pdf", views.QuarterlyPdfView.as_view(), name="quarterly_pdf"),
    path("jaarbeeld/", views.YearReportView.as_view(), name="year_report"),
    path(
        "jaarbeeld/<int:pk>/<str:fmt>/", views.YearReportDownloadView.as_view(), name="year_report_download"
    ),
]
