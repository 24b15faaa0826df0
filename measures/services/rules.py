"""Deadline rules (functional admin) and the yearly review of declared days (Atw art. 3(3))."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from vik.core.exceptions import ApplicationError
from vik.core.models import User

from ..models import DeadlineRule
from .common import today

# --- deadline rules -----------------------------------------------------------------------------


def deadline_rule_get(code: str) -> DeadlineRule:
    """The rule row for ``code`` (for other apps, e.g. bibob). Raises ApplicationError when the
    functional admin removed it: a term is never guessed."""
    rule = DeadlineRule.objects.filter(code=code).first()
    if rule is None:
        raise ApplicationError(_("Termijnregel %(c)s bestaat niet.") % {"c": code})
    return rule


def zienswijze_max_days() -> int:
    """The longest zienswijze term a voornemen may set: rule row ``zienswijze_maximum`` (policy;
    the same value for measures and Bibob). 84 days only when the row is missing."""
    rule = DeadlineRule.objects.filter(code="zienswijze_maximum").first()
    if rule is None:
        return 84
    return rule.days + 7 * rule.weeks + 30 * rule.months or 84


def rules_by_code() -> dict[str, DeadlineRule]:
    return {r.code: r for r in DeadlineRule.objects.all()}


@transaction.atomic
def deadline_rule_update(
    *,
    actor: User,
    rule: DeadlineRule,
    label: str,
    days: int,
    weeks: int,
    months: int,
    atw: bool,
    legal_basis: str,
    verification: str,
    note: str = "",
) -> DeadlineRule:
    """The functional admin edits a policy or decision rule; law rules are fixed."""
    if not actor.has_perm("measures.change_deadlinerule"):
        raise ApplicationError(_("U mag termijnregels niet wijzigen."))
    if not rule.editable_by_admin:
        raise ApplicationError(_("Een wettelijke termijn kan niet worden gewijzigd."), field="days")
    if days < 0 or weeks < 0 or months < 0:
        raise ApplicationError(_("Een termijn kan niet negatief zijn."), field="days")
    if days == weeks == months == 0:
        raise ApplicationError(_("Geef de lengte van de termijn op (dagen, weken of maanden)."), field="days")
    rule.label, rule.days, rule.weeks, rule.months = label.strip(), days, weeks, months
    rule.atw, rule.legal_basis, rule.verification, rule.note = atw, legal_basis.strip(), verification, note
    rule.full_clean()
    rule.save(
        update_fields=[
            "label",
            "days",
            "weeks",
            "months",
            "atw",
            "legal_basis",
            "verification",
            "note",
            "updated_at",
        ]
    )
    return rule


# --- declared days review (Atw art. 3(3)) -------------------------------------------------------


def declared_days_review_status(*, today: date, years: int = 3) -> list[dict[str, Any]]:
    """For this year and the coming ones: whether a functional admin checked the Staatscourant
    for that year's declared days, and how many are entered."""
    from vik.core.models import DeclaredDay, DeclaredDaysReview

    wanted = list(range(today.year, today.year + years))
    reviews = {
        r.year: r for r in DeclaredDaysReview.objects.filter(year__in=wanted).select_related("reviewed_by")
    }
    counts: dict[int, int] = {}
    for d in DeclaredDay.objects.filter(date__year__in=wanted).values_list("date", flat=True):
        counts[d.year] = counts.get(d.year, 0) + 1
    return [{"year": y, "review": reviews.get(y), "days": counts.get(y, 0)} for y in wanted]


@transaction.atomic
def declared_days_mark_reviewed(*, actor: User, year: int, source: str = "") -> Any:
    """A functional admin marks ``year`` reviewed after checking the Staatscourant."""
    from vik.core.models import DeclaredDaysReview

    if not actor.has_perm("core.add_declareddaysreview"):
        raise ApplicationError(_("U mag de gelijkgestelde dagen niet als gecontroleerd markeren."))
    if year < today().year or year > today().year + 10:
        raise ApplicationError(_("Kies dit jaar of een van de komende jaren."), field="year")
    if DeclaredDaysReview.objects.filter(year=year).exists():
        raise ApplicationError(_("Dit jaar is al als gecontroleerd gemarkeerd."), field="year")
    return DeclaredDaysReview.objects.create(
        year=year, reviewed_on=today(), reviewed_by=actor, source=" ".join(source.split())[:200]
    )
