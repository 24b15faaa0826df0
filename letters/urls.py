from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("maatregel/<int:pk>/nieuw/", views.GenerateView.as_view(), name="generate"),
    path("bibob/<int:pk>/nieuw/", views.GenerateBibobView.as_view(), name="generate_bibob"),
    path("<int:pk>/", views.LetterDetailView.as_view(), name="detail"),
    path("<int:pk>/word/", views.DownloadView.as_view(), name="download"),
    path("<int:pk>/pdf/", views.PdfView.as_view(), name="pdf"),
    path("<int:pk>/<slug:action>/", views.LetterActionView.as_view(), name="action"),
    path("sjablonen/", views.TemplateListView.as_view(), name="templates"),
    path("sjablonen/<slug:kind>/voorbeeld/", views.TemplatePreviewView.as_view(), name="preview"),
    path("sjablonen/<slug:kind>/standaard/", views.StarterDownloadView.as_view(), name="starter"),
]
