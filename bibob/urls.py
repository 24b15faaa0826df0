from django.urls import path

from . import views

app_name = "bibob"
urlpatterns = [
    path("", views.DossierListView.as_view(), name="list"),
    path("nieuw/", views.DossierCreateView.as_view(), name="create"),
    path("rapportage/", views.ReportView.as_view(), name="reports"),
    path("<int:pk>/", views.DossierDetailView.as_view(), name="detail"),
    path("<int:pk>/fase/", views.TransitionView.as_view(), name="transition"),
    path("<int:pk>/betrokkenen/", views.PartyAddView.as_view(), name="party_add"),
    path(
        "<int:pk>/vragenformulier/versturen/",
        views.QuestionnaireSendView.as_view(),
        name="questionnaire_send",
    ),
    path(
        "<int:pk>/vragenformulier/ontvangen/",
        views.QuestionnaireReceiveView.as_view(),
        name="questionnaire_receive",
    ),
    path("<int:pk>/eigen-onderzoek/", views.ChecklistView.as_view(), name="checklist"),
    path("<int:pk>/lbb/", views.LbbRequestView.as_view(), name="lbb_request"),
    path("<int:pk>/lbb/verlenging/", views.LbbExtendView.as_view(), name="lbb_extend"),
    path("<int:pk>/lbb/vervolgvragen/", views.LbbFollowUpView.as_view(), name="lbb_follow_up"),
    path("<int:pk>/advies/", views.AdviceView.as_view(), name="advice"),
    path("<int:pk>/voornemen/", views.VoornemenView.as_view(), name="voornemen"),
    path("<int:pk>/zienswijze/", views.ZienswijzeView.as_view(), name="zienswijze"),
    path("<int:pk>/derde/uitnodigen/", views.ThirdPartyInviteView.as_view(), name="third_party_invite"),
    path("<int:pk>/derde/zienswijze/", views.ThirdPartyResponseView.as_view(), name="third_party_response"),
    path("<int:pk>/besluit/", views.DecideView.as_view(), name="decide"),
    path("<int:pk>/bekendmaking/", views.PublishView.as_view(), name="publish"),
    path("<int:pk>/verstrekking/", views.DisclosureView.as_view(), name="disclose"),
    path("<int:pk>/register/", views.RegisterView.as_view(), name="register"),
]
