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


class BreakGlassRequestForm(BreakGlassForm):
    """The break-glass form on a record's 404 page: which record, and why."""

    kind = forms.CharField(widget=forms.HiddenInput, max_length=40)
    object_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)


class LongSelect(forms.Select):
    """A select rendered in Python instead of one template per option: with the ~2,000 CBS
    areas of a region Django's option template costs about 100 ms per page. Same markup as
    ``forms.Select`` (option groups, the selected option, the field's attributes)."""

    def render(self, name, value, attrs=None, renderer=None):
        from django.utils.html import format_html, format_html_join
        from django.utils.safestring import mark_safe

        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v is not None}
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}

        def options(items) -> str:
            return format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((str(v), mark_safe(" selected") if str(v) in selected else "", label) for v, label in items),
            )

        parts = []
        for group_value, group_label in self.choices:
            if isinstance(group_label, list | tuple):
                parts.append(
                    format_html('<optgroup label="{}">{}</optgroup>', group_value, options(group_label))
                )
            else:
                parts.append(options([(group_value, group_label)]))
        attributes = format_html_join(
            "",
            "{}",
            (
                (format_html(" {}", key) if val is True else format_html(' {}="{}"', key, val),)
                for key, val in final.items()
                if val is not None and val is not False
            ),
        )
        return format_html("<select{}>{}</select>", attributes, mark_safe("".join(parts)))


# --- user management (functional admin) -----------------------------------------------------


def _reason_field(required: bool = True, label=None):
    return forms.CharField(
        label=label or _("Reden"),
        required=required,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wordt vastgelegd in de geschiedenis van het account."),
    )


class UserForm(forms.Form):
    username = forms.RegexField(
        label=_("Gebruikersnaam"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("Alleen letters, cijfers en @ . + - _ zijn toegestaan.")},
    )
    first_name = forms.CharField(label=_("Voornaam"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mailadres"), required=False)
    org_unit = forms.ModelChoiceField(label=_("Organisatie"), queryset=None, required=False)
    reason = _reason_field(required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import OrgUnit

        self.fields["org_unit"].queryset = OrgUnit.objects.order_by("name")
        if editing:
            del self.fields["username"]
            self.fields["reason"].help_text = _(
                "Verplicht bij een andere organisatie: die bepaalt wat de gebruiker ziet."
            )
        else:
            del self.fields["reason"]


class RoleRequestForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Rol"), queryset=None)
    reason = _reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth.models import Group

        self.fields["group"].queryset = Group.objects.order_by("name")


class ClearanceRequestForm(forms.Form):
    from .constants import Compartment as _Compartment

    clearance = forms.ChoiceField(label=_("Compartiment"), choices=_Compartment.choices)
    reason = _reason_field()


class ReasonForm(forms.Form):
    reason = _reason_field()


class GrantDecisionForm(forms.Form):
    request_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    approve = forms.TypedChoiceField(
        label=_("Besluit"),
        choices=[("1", _("Goedkeuren")), ("0", _("Afwijzen"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = _reason_field(required=False, label=_("Toelichting (verplicht bij afwijzen)"))
