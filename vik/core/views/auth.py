"""Login: username and password, then a mandatory TOTP second factor for every account
(enrolment with a QR code at first login, backup codes). django-axes counts failures of both
steps and locks after five; messages never reveal whether an account exists."""

from __future__ import annotations

import io
import time

import qrcode
import qrcode.image.svg
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from ..forms import LoginForm, OTPForm

FAILED = _("Inloggen is niet gelukt. Controleer uw gebruikersnaam en wachtwoord.")
LOCKED = _(
    "Inloggen is tijdelijk niet mogelijk na te veel mislukte pogingen. Probeer het later opnieuw of neem contact op met de servicedesk."
)


def lockout_response(request, *args, **kwargs):
    form = LoginForm(request.POST or None)
    return render(request, "core/login.html", {"form": form, "error": LOCKED}, status=429)


def _safe_next(request) -> str | None:
    nxt = request.GET.get("next") or request.POST.get("next")
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return None


class LoginView(View):
    def get(self, request):
        if request.user.is_authenticated and request.user.is_verified():
            return redirect("core:home")
        info = _("Uw sessie is verlopen. Log opnieuw in.") if request.GET.get("verlopen") else None
        return render(
            request, "core/login.html", {"form": LoginForm(), "info": info, "next": _safe_next(request)}
        )

    def post(self, request):
        form = LoginForm(request.POST)
        if not form.is_valid():
            return render(request, "core/login.html", {"form": form, "error": FAILED}, status=400)
        user = auth.authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request)
        if user is None:
            return render(
                request,
                "core/login.html",
                {"form": form, "error": FAILED, "next": _safe_next(request)},
                status=400,
            )
        from vik.identity.services import local_login_refusal

        refusal = local_login_refusal(user)
        if refusal:  # local login switched off for municipal staff (OIDC_LOCAL_LOGIN_STAFF)
            return render(request, "core/login.html", {"form": form, "error": refusal}, status=400)
        auth.login(request, user)  # rotates the session key
        now = int(time.time())
        request.session["vik_started"] = now  # the absolute and idle timeouts run from here
        request.session["vik_last"] = now
        request.session["vik_next"] = _safe_next(request)
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return redirect("core:otp_enrol")
        return redirect("core:otp_verify")


class OTPVerifyView(View):
    def get(self, request):
        if request.user.is_verified():
            return redirect("core:home")
        if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
            return redirect("core:otp_enrol")
        return render(request, "core/otp_verify.html", {"form": OTPForm()})

    def post(self, request):
        form = OTPForm(request.POST)
        device = match_token(request.user, form.cleaned_data["token"]) if form.is_valid() else None
        if device is None:
            return _otp_failed(request, form, "core/otp_verify.html", {})
        return _otp_success(request, device)


def _otp_failed(request, form, template, context):
    user = request.user
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    failures = request.session.get("vik_otp_failures", 0) + 1
    request.session["vik_otp_failures"] = failures
    if getattr(request, "axes_locked_out", False) or failures >= 5:
        auth.logout(request)
        return lockout_response(request)
    form.add_error("token", _("Deze code is niet juist of verlopen."))
    return render(request, template, {"form": form, **context}, status=400)


def _otp_success(request, device):
    nxt = request.session.get("vik_next")
    otp_login(request, device)
    request.session.cycle_key()  # new session key after the second factor
    request.session.pop("vik_otp_failures", None)
    return redirect(nxt or "core:home")


class OTPEnrolView(View):
    """First login: show a QR code for a new TOTP device; confirm it with a code; then show
    ten one-time backup codes once."""

    def _device(self, request) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
        return device

    def _context(self, device):
        img = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
        buf = io.BytesIO()
        img.save(buf)
        secret = __import__("base64").b32encode(device.bin_key).decode()
        return {"qr_svg": buf.getvalue().decode(), "secret": secret}

    def get(self, request):
        if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
            return redirect("core:otp_verify")
        return render(
            request, "core/otp_enrol.html", {"form": OTPForm(), **self._context(self._device(request))}
        )

    def post(self, request):
        if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
            return redirect("core:otp_verify")
        device = self._device(request)
        form = OTPForm(request.POST)
        if not form.is_valid() or not device.verify_token(form.cleaned_data["token"]):
            return _otp_failed(request, form, "core/otp_enrol.html", self._context(device))
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = backup_codes_create(user=request.user)
        _otp_success(request, device)
        return render(request, "core/backup_codes.html", {"codes": codes})


def backup_codes_create(*, user) -> list[str]:
    static, _ = StaticDevice.objects.get_or_create(user=user, name="backup")
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(10)]
    for code in codes:
        static.token_set.create(token=code)
    return codes


class LogoutView(View):
    def post(self, request):
        from vik.identity.middleware import logout_redirect_url

        at_idp = logout_redirect_url(request)  # municipal session: also log out at the IdP
        auth.logout(request)  # flushes the server-side session
        return redirect(at_idp or "core:login")


# --- the user's own password reset ----------------------------------------------------------
# The only way a password is set: by the user, through a one-time link e-mailed to the address on
# the account. The functional admin can trigger the e-mail (vik.core.users.password_reset_send)
# but never sees the link nor types a password. The second factor still applies at login.


class PasswordResetRequestView(auth_views.PasswordResetView):
    template_name = "core/password_reset_form.html"
    email_template_name = "core/password_reset_email.txt"
    subject_template_name = "core/password_reset_subject.txt"
    success_url = reverse_lazy("core:password_reset_done")


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "core/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "core/password_reset_confirm.html"
    success_url = reverse_lazy("core:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "core/password_reset_complete.html"
