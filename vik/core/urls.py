from django.urls import path

from .views import auth, privacy, shell

app_name = "core"
urlpatterns = [
    path("", shell.HomeView.as_view(), name="home"),
    path("inloggen/", auth.LoginView.as_view(), name="login"),
    path("inloggen/tweede-stap/", auth.OTPVerifyView.as_view(), name="otp_verify"),
    path("inloggen/authenticator/", auth.OTPEnrolView.as_view(), name="otp_enrol"),
    path("uitloggen/", auth.LogoutView.as_view(), name="logout"),
    path("doel/", shell.PurposeSetView.as_view(), name="purpose"),
    path("meldingen/", shell.NotificationListView.as_view(), name="notifications"),
    path("privacy/wie-heeft-ingezien/", privacy.WhoViewedView.as_view(), name="who_viewed"),
]
