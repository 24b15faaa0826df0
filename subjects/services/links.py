"""Links between subjects and objects: create and end."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from vik.core.access import init_visibility
from vik.core.constants import Compartment
from vik.core.exceptions import ApplicationError
from vik.core.models import OrgUnit, User

from ..constants import LinkType, Reliability, SubjectKind
from ..models import Link, SubjectBase
from ..names import tidy
from .common import _compartment, _full_clean, _owner_team, kind_of

# --- links --------------------------------------------------------------------------------------------

# Link types whose target must be an address, and the kinds that may stand at their start.
ADDRESS_LINKS = {
    LinkType.WOONT_OP: {SubjectKind.PERSON},
    LinkType.GEVESTIGD_OP: {SubjectKind.ORGANISATION},
}


@transaction.atomic
def link_create(
    *,
    actor: User,
    source_obj: SubjectBase,
    target_obj: SubjectBase,
    link_type: str,
    start_date: date | None = None,
    end_date: date | None = None,
    source: str = "",
    reliability: str = Reliability.X,
    compartment: str = Compartment.GENERAL,
    owner_team: OrgUnit | None = None,
) -> Link:
    from_kind, to_kind = kind_of(source_obj), kind_of(target_obj)
    if from_kind == to_kind and source_obj.pk == target_obj.pk:
        raise ApplicationError(_("Een record kan geen relatie met zichzelf hebben."), field="target_id")
    if source_obj.is_merged or target_obj.is_merged:
        raise ApplicationError(
            _("Een samengevoegd record kan geen nieuwe relaties krijgen."), field="target_id"
        )
    if link_type not in LinkType.values:
        raise ApplicationError(_("Kies een soort relatie uit de lijst."), field="link_type")
    allowed_from = ADDRESS_LINKS.get(link_type)  # type: ignore[call-overload]
    if allowed_from is not None and (to_kind != SubjectKind.ADDRESS or from_kind not in allowed_from):
        raise ApplicationError(
            _("'%(t)s' kan alleen van een %(f)s naar een adres lopen.")
            % {
                "t": LinkType(link_type).label,
                "f": " of ".join(str(SubjectKind(k).label).lower() for k in allowed_from),
            },
            field="link_type",
        )
    if reliability not in Reliability.values:
        raise ApplicationError(_("Kies een betrouwbaarheid uit de lijst."), field="reliability")
    if start_date and end_date and end_date < start_date:
        raise ApplicationError(_("De einddatum ligt vóór de begindatum."), field="end_date")
    duplicate = Link.objects.filter(
        from_kind=from_kind,
        from_id=source_obj.pk,
        to_kind=to_kind,
        to_id=target_obj.pk,
        link_type=link_type,
        end_date__isnull=True,
    )
    if end_date is None and duplicate.exists():
        raise ApplicationError(_("Deze relatie bestaat al en loopt nog."), field="link_type")
    link = Link(
        from_kind=from_kind,
        from_id=source_obj.pk,
        to_kind=to_kind,
        to_id=target_obj.pk,
        link_type=link_type,
        start_date=start_date,
        end_date=end_date,
        source=tidy(source)[:200],
        reliability=reliability,
        owner_team=_owner_team(actor, owner_team),
        compartment=_compartment(actor, compartment),
    )
    _full_clean(link)
    link.save()
    init_visibility(link)
    return link


@transaction.atomic
def link_end(*, actor: User, link: Link, end_date: date) -> Link:
    link = Link.objects.select_for_update().get(pk=link.pk)
    if link.end_date is not None:
        raise ApplicationError(_("Deze relatie is al beëindigd."), field="end_date")
    if end_date is None:
        raise ApplicationError(_("Vul de einddatum in."), field="end_date")
    if link.start_date and end_date < link.start_date:
        raise ApplicationError(_("De einddatum ligt vóór de begindatum."), field="end_date")
    link.end_date = end_date
    link.save(update_fields=["end_date", "updated_at"])
    return link
