from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.ReportCreateView.as_view(), name="form"),
    path("mijn-meldingen/", views.MyReportsView.as_view(), name="mine"),
    path("mijn-meldingen/<int:pk>/", views.ReceiptView.as_view(), name="receipt"),
    path("herken-de-signalen/", views.GuideView.as_view(), name="guide"),
    path("herken-de-signalen/bewerken/", views.GuideEditView.as_view(), name="guide_edit"),
    path("melder/<int:pk>/", views.ReporterIdentityView.as_view(), name="identity"),
]
