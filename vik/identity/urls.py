from django.urls import path

from . import views

app_name = "identity"
urlpatterns = [
    path("inloggen/gemeente/", views.OidcLoginView.as_view(), name="oidc_login"),
    path("inloggen/gemeente/terug/", views.OidcCallbackView.as_view(), name="oidc_callback"),
    path("toegangsreview/", views.ReviewListView.as_view(), name="review"),
    path("toegangsreview/<int:pk>/", views.ReviewDecideView.as_view(), name="review_decide"),
]
