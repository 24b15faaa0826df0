from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AccessReviewLine


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Beslissing"),
        choices=[
            (AccessReviewLine.Decision.CONFIRMED, _("Bevestigen")),
            (AccessReviewLine.Decision.REVOKED, _("Intrekken")),
        ],
    )
    note = forms.CharField(label=_("Reden (verplicht bij intrekken)"), max_length=300, required=False)
