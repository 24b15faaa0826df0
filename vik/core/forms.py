from django import forms
from django.utils.translation import gettext_lazy as _

from .registry import registry


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Gebruikersnaam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OTPForm(forms.Form):
    token = forms.CharField(
        label=_("Code uit uw authenticator-app of een back-upcode"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        return "".join(self.cleaned_data["token"].split())


class PurposeForm(forms.Form):
    case_kind = forms.ChoiceField(label=_("Soort zaak"), required=False)
    case_id = forms.IntegerField(label=_("Zaaknummer"), required=False, min_value=1)
    reason = forms.CharField(label=_("Of: reden"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_kind"].choices = [("", _("— geen zaak —"))] + [
            (k.code, k.label) for k in registry.case_kinds.values()
        ]


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden (wordt vastgelegd en aan de voorzitter gemeld)"),
        min_length=20,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
