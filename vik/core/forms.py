from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from .constants import ReasonCategory
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
    category = forms.ChoiceField(
        label=_("Soort reden"),
        required=False,
        choices=ReasonCategory.choices,
        initial=ReasonCategory.ANALYSIS,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_kind"].choices = [("", _("— geen zaak —"))] + [
            (k.code, k.label) for k in registry.case_kinds.values()
        ]


class BreakGlassRequestForm(forms.Form):
    """The break-glass form on a record's 404 page: which record, and why."""

    reason = forms.CharField(
        label=_("Reden (wordt vastgelegd en aan de voorzitter gemeld)"),
        min_length=20,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    kind = forms.CharField(widget=forms.HiddenInput, max_length=40)
    object_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)


class PreparedChoices(BaseChoiceIterator):
    """Choices already in Django's normal form (``(value, label)`` pairs, option groups as
    ``(label, [pairs])``), handed to a field as they are. A plain list is normalised entry by
    entry each time it is assigned: with the ~2,000 CBS areas of a region that cost about a tenth
    of the map page."""

    def __init__(self, choices):
        self._choices = list(choices)

    def __iter__(self):
        return iter(self._choices)

    def __len__(self) -> int:
        return len(self._choices)


class LongSelect(forms.Select):
    """A select rendered in Python instead of one template per option: with the ~2,000 CBS
    areas of a region Django's option template costs about 100 ms per page. Same markup as
    ``forms.Select`` (option groups, the selected option, the field's attributes); each option is
    one escaped f-string, not a ``format_html`` call."""

    def render(self, name, value, attrs=None, renderer=None):
        from django.utils.html import conditional_escape, format_html, format_html_join
        from django.utils.safestring import mark_safe

        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v is not None}
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}

        def options(items) -> str:
            out = []
            for v, label in items:
                v = str(v)
                sel = " selected" if v in selected else ""
                out.append(
                    f'<option value="{conditional_escape(v)}"{sel}>{conditional_escape(label)}</option>'
                )
            return "".join(out)

        parts = []
        for group_value, group_label in self.choices:
            if isinstance(group_label, list | tuple):
                parts.append(
                    f'<optgroup label="{conditional_escape(group_value)}">{options(group_label)}</optgroup>'
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
        return format_html("<select{}>{}</select>", attributes, mark_safe("".join(parts)))  # noqa: S308 - every part escaped above


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
    org_unit = forms.ModelChoiceField(label=_("Organisatie"), queryset=None, required=False)  # type: ignore[var-annotated]
    reason = _reason_field(required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import OrgUnit

        self.fields["org_unit"].queryset = OrgUnit.objects.order_by("name")  # type: ignore[attr-defined]
        if editing:
            del self.fields["username"]
            self.fields["reason"].help_text = _(
                "Verplicht bij een andere organisatie: die bepaalt wat de gebruiker ziet."
            )
        else:
            del self.fields["reason"]


class RoleRequestForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Rol"), queryset=None)  # type: ignore[var-annotated]
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
