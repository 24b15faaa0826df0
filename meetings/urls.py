from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.MeetingListView.as_view(), name="list"),
    path("nieuw/", views.MeetingCreateView.as_view(), name="create"),
    path("acties/", views.ActionListView.as_view(), name="action_list"),
    path("acties/<int:pk>/", views.ActionDetailView.as_view(), name="action_detail"),
    path("punten/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("punten/<int:pk>/bewerken/", views.ItemEditView.as_view(), name="item_edit"),
    path("punten/<int:pk>/verplaatsen/", views.ItemMoveView.as_view(), name="item_move"),
    path("punten/<int:pk>/verwijderen/", views.ItemRemoveView.as_view(), name="item_remove"),
    path("punten/<int:pk>/besluit/", views.DecisionCreateView.as_view(), name="decision_create"),
    path("punten/<int:pk>/actie/", views.ActionCreateView.as_view(), name="action_create"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<int:pk>/bewerken/", views.MeetingEditView.as_view(), name="edit"),
    path("<int:pk>/status/", views.MeetingTransitionView.as_view(), name="transition"),
    path("<int:pk>/agenda/toevoegen/", views.ItemAddView.as_view(), name="item_add"),
    path("<int:pk>/agenda/volgorde/", views.ItemReorderView.as_view(), name="item_reorder"),
    path("<int:pk>/agenda/", views.DocumentView.as_view(kind="agenda"), name="agenda"),
    path("<int:pk>/agenda.pdf", views.DocumentView.as_view(kind="agenda", pdf=True), name="agenda_pdf"),
    path("<int:pk>/verslag/", views.DocumentView.as_view(kind="minutes"), name="minutes"),
    path("<int:pk>/verslag.pdf", views.DocumentView.as_view(kind="minutes", pdf=True), name="minutes_pdf"),
]
