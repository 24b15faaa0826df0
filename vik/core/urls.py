from django.urls import path

from .views import auth, breakglass, shell, users

app_name = "core"
urlpatterns = [
    path("", shell.HomeView.as_view(), name="home"),
    path("inloggen/", auth.LoginView.as_view(), name="login"),
    path("inloggen/tweede-stap/", auth.OTPVerifyView.as_view(), name="otp_verify"),
    path("inloggen/authenticator/", auth.OTPEnrolView.as_view(), name="otp_enrol"),
    path("uitloggen/", auth.LogoutView.as_view(), name="logout"),
    path("doel/", shell.PurposeSetView.as_view(), name="purpose"),
    path("meldingen/", shell.NotificationListView.as_view(), name="notifications"),
    path("wachtwoord-vergeten/", auth.PasswordResetRequestView.as_view(), name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", auth.PasswordResetSentView.as_view(), name="password_reset_done"),
    path(
        "wachtwoord-instellen/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-instellen/klaar/",
        auth.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("gebruikers/", users.UserListView.as_view(), name="user_list"),
    path("gebruikers/nieuw/", users.UserCreateView.as_view(), name="user_create"),
    path("gebruikers/aanvragen/", users.GrantRequestListView.as_view(), name="grant_requests"),
    path("gebruikers/<int:pk>/", users.UserDetailView.as_view(), name="user_detail"),
    path("gebruikers/<int:pk>/wijzigen/", users.UserEditView.as_view(), name="user_edit"),
    path("privacy/break-glass/", breakglass.BreakGlassOpenView.as_view(), name="break_glass"),
]
