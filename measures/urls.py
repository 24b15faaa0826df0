from django.urls import path

from . import views

app_name = "measures"
urlpatterns = [
    path("", views.MeasureListView.as_view(), name="list"),
    path("nieuw/", views.MeasureCreateView.as_view(), name="create"),
    path("mijn-termijnen/", views.MyDeadlinesView.as_view(), name="my_deadlines"),
    path("afpakken/", views.AfpakView.as_view(), name="afpak"),
    path("termijnregels/", views.RuleListView.as_view(), name="rules"),
    path("termijnregels/<int:pk>/", views.RuleEditView.as_view(), name="rule_edit"),
    path("termijnenrekenhulp/", views.CalculatorView.as_view(), name="calculator"),
    path(
        "termijnregels/gelijkgestelde-dagen/",
        views.DeclaredDaysReviewView.as_view(),
        name="declared_days_review",
    ),
    path("escalatiematrix/", views.MatrixListView.as_view(), name="matrices"),
    path(
        "escalatiematrix/<int:pk>/stap/<int:step_pk>/",
        views.MatrixStepEditView.as_view(),
        name="matrix_step_edit",
    ),
    path("<int:pk>/", views.MeasureDetailView.as_view(), name="detail"),
    path("<int:pk>/gebeurtenis/<slug:event>/", views.MeasureEventView.as_view(), name="event"),
    path("<int:pk>/verbeurte/", views.ForfeitureCreateView.as_view(), name="forfeiture"),
    path("<int:pk>/verbeurte/<int:fpk>/", views.ForfeitureActionView.as_view(), name="forfeiture_action"),
]
