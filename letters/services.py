"""Writes of the letters app: templates (upload, versions), letters (generate, upload a new
version, submit, check, approve, return, send) and the reminders. Each refusal is an
ApplicationError with the Dutch reason at the field it concerns; nothing is stored then."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core.accesslog import log_access
from vik.core.constants import AccessAction, Compartment
from vik.core.deadline_rules import deadline_rules
from vik.core.encryption import decrypt_bytes, encrypt_bytes
from vik.core.exceptions import ApplicationError
from vik.core.models import User

from . import docx as wd
from . import fields, starter
from .constants import KINDS, Kind, LetterState
from .models import Letter, LetterTemplate, LetterVersion
from .permissions import ADD_LETTER, ADD_TEMPLATE, APPROVE_LETTER, CHECK_LETTER, case_for_user

S = LetterState

# --- templates ------------------------------------------------------------------------------


def _kind(code: str) -> Kind:
    if code not in KINDS:
        raise ApplicationError(_("Kies een soort brief."), field="kind")
    return KINDS[code]


@transaction.atomic
def template_upload(*, actor: User, kind: str, data: bytes, filename: str, note: str = "") -> LetterTemplate:
    """A new version of the template of ``kind``; refused (nothing stored) with every unknown field
    and syntax error named with its place."""
    if not actor.has_perm(ADD_TEMPLATE):
        raise ApplicationError(_("U mag geen sjablonen uploaden."), field="file")
    _kind(kind)
    used = wd.validate_template(data, field="file")
    last = LetterTemplate.objects.select_for_update().filter(kind=kind).aggregate(m=Max("version"))["m"] or 0
    return LetterTemplate.objects.create(
        kind=kind,
        version=last + 1,
        filename=(filename or "sjabloon.docx")[-200:],
        content=data,
        sha256=wd.sha256(data),
        fields=used,
        note=note.strip()[:300],
        uploaded_by=actor,
    )


def template_current(kind: str) -> tuple[bytes, LetterTemplate | None, str]:
    """(content, row or None for the starter, label) of the template in use for ``kind``."""
    row = LetterTemplate.objects.filter(kind=kind, active=True).order_by("-version").first()
    if row is not None:
        return bytes(row.content), row, _("versie %(v)s") % {"v": row.version}
    return starter.build(kind), None, _("standaardsjabloon")


def template_preview(kind: str, template: LetterTemplate | None = None) -> bytes:
    """The template merged with the fictitious demo case."""
    content = bytes(template.content) if template is not None else template_current(kind)[0]
    return _render(content, fields.demo_context())


def _render(content: bytes, context: dict) -> bytes:
    import jinja2

    try:
        return wd.render(content, context)
    except jinja2.UndefinedError as exc:
        raise ApplicationError(
            _(
                "De brief kan niet worden gemaakt: het sjabloon vraagt om een gegeven dat deze zaak (nog) niet "
                "heeft (%(what)s). Er is niets aangemaakt."
            )
            % {"what": exc.message},
            field="kind",
        )
    except jinja2.TemplateError as exc:
        raise ApplicationError(
            _("Het sjabloon kan niet worden gebruikt: %(e)s") % {"e": getattr(exc, "message", str(exc))},
            field="kind",
        )


# --- merge data from a measure and the engine --------------------------------------------------


def _euro(amount) -> str:
    from measures.services import euro

    return euro(amount)


def _recipient(measure) -> dict[str, str]:
    if measure.person_id:
        p = measure.person
        last = " ".join(x for x in [p.voorvoegsel, p.geslachtsnaam] if x)
        return {"naam": p.display_name, "aanhef": f"Geachte heer/mevrouw {last[:1].upper() + last[1:]}"}
    if measure.organisation_id:
        return {"naam": measure.organisation.name, "aanhef": "Geachte heer/mevrouw"}
    return {"naam": "De bewoner(s)", "aanhef": "Geachte bewoner(s)"}


def _address_parts(address) -> tuple[str, str]:
    number = f"{address.house_number}{address.house_letter}"
    if address.house_number_addition:
        number += f"-{address.house_number_addition}"
    pc = address.postcode
    pc = f"{pc[:4]} {pc[4:]}" if len(pc) == 6 else pc
    return f"{address.street} {number}", f"{pc}  {address.town.upper()}"


def clean_params(kind: Kind, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters of the send event the letter announces (zienswijze days, costs)."""
    from measures.services import parse_euro, zienswijze_max_days

    out: dict[str, Any] = {}
    if kind.send_event == "voornemen" and params.get("zienswijze_days") not in (None, ""):
        try:
            days = int(params["zienswijze_days"])
        except (TypeError, ValueError):
            raise ApplicationError(_("Vul een heel getal in."), field="zienswijze_days")
        if not 1 <= days <= zienswijze_max_days():
            raise ApplicationError(
                _("Vul een getal van 1 tot en met %(m)s in.") % {"m": zienswijze_max_days()},
                field="zienswijze_days",
            )
        out["zienswijze_days"] = days
    if kind.send_event == "kostenverhaal":
        if params.get("amount") in (None, ""):
            raise ApplicationError(_("Vul het bedrag van de kosten in."), field="amount")
        out["amount"] = str(parse_euro(params.get("amount"), field="amount"))
    return out


def projected_deadlines(
    measure, kind: Kind, on: date, params: dict[str, Any], forfeiture=None
) -> dict[str, date]:
    """The dates the engine computes when the letter is sent on ``on``: the procedure with the
    send event appended (measures.deadlines), or a Deadline row the case already has."""
    from measures import deadlines as dl
    from measures.services import rules_by_code

    if kind.send_event == "invordering":
        if forfeiture is None:
            return {}
        return {
            d.rule.code: d.due_date
            for d in forfeiture.deadlines.select_related("rule")
            if d.rule.code in kind.deadlines and not d.done
        }
    events = [dl.Event(e.code, e.date, e.params or {}) for e in measure.events.order_by("seq")]
    send_params = dict(params)
    if kind.send_event == "kostenverhaal":
        send_params["bekendgemaakt_op"] = on.isoformat()
    events.append(dl.Event(kind.send_event, on, send_params))
    out: dict[str, date] = {}
    for spec in dl.procedure_deadlines(events, rules_by_code()):
        if spec.rule_code in kind.deadlines and spec.start == on and not spec.done:
            out[spec.rule_code] = spec.due
    return out


def _check_procedure(measure, kind: Kind) -> None:
    """The procedure must allow the event the letter's sending records."""
    from measures.procedure import ProcedureError, check
    from measures.services import FLAGS

    if kind.send_event == "invordering":
        return
    flags = {x: getattr(measure, x) for x in FLAGS}
    try:
        check(measure.kind, measure.state, kind.send_event, flags)
    except ProcedureError as exc:
        raise ApplicationError(
            _("Deze brief past nu niet in de procedure: %(e)s") % {"e": exc.message}, field="kind"
        )


def measure_context(
    *, measure, kind: Kind, on: date, params: dict[str, Any], signatory: User, reference: str, forfeiture=None
) -> tuple[dict, dict[str, str]]:
    """(merge context, printed deadlines) for a letter on a measure; refuses naming everything that
    is missing (no address, no computed deadline)."""
    missing: list[str] = []
    if kind.kinds and measure.kind not in kind.kinds:
        raise ApplicationError(_("Deze soort brief hoort niet bij deze maatregel."), field="kind")
    _check_procedure(measure, kind)
    address = measure.address
    if address is None and kind.needs_address:
        missing.append(_("het adres (de maatregel heeft geen adres)"))
    if kind.send_event == "invordering" and forfeiture is None:
        missing.append(_("een verbeurte zonder invorderingsbeschikking"))
    deadlines = projected_deadlines(measure, kind, on, params, forfeiture)
    names = {code: row.label for code, row in deadline_rules(kind.deadlines).items()}
    for code in kind.deadlines:
        if code not in deadlines:
            missing.append(_("de berekende termijn ‘%(t)s’") % {"t": names.get(code, code)})
    if missing:
        raise ApplicationError(
            _("De brief kan niet worden gemaakt. Er ontbreekt: %(m)s. Er is niets aangemaakt.")
            % {"m": "; ".join(str(m) for m in missing)},
            field="kind",
        )
    street, town = _address_parts(address) if address else ("", "")
    termijn: dict[str, Any] = {}
    if "zienswijze" in deadlines:
        termijn["zienswijze"] = fields.weekday_date(deadlines["zienswijze"])
        termijn["zienswijze_dagen"] = (deadlines["zienswijze"] - on).days
    if "bezwaartermijn" in deadlines:
        termijn["bezwaar"] = fields.weekday_date(deadlines["bezwaartermijn"])
    for code in ("lob_kosten_betaling", "lod_betaling"):
        if code in deadlines:
            termijn["betaling"] = fields.weekday_date(deadlines[code])
    besluit: dict[str, Any] = {}
    decision = measure.events.filter(code="besluit").order_by("-seq").first()
    if decision is not None:
        p = decision.params or {}
        besluit["datum"] = fields.long_date(decision.date)
        if p.get("indefinite"):
            besluit["duur"] = "onbepaalde tijd"
        elif p.get("end_date"):
            besluit["duur"] = _("de periode tot en met %(d)s") % {
                "d": fields.long_date(date.fromisoformat(p["end_date"]))
            }
        elif p.get("duration_months"):
            n = int(p["duration_months"])
            besluit["duur"] = f"{n} {'maand' if n == 1 else 'maanden'}"
    if measure.amount_per_violation:
        besluit["bedrag"] = _euro(measure.amount_per_violation)
    if measure.maximum_amount:
        besluit["maximum"] = _euro(measure.maximum_amount)
    organ = _("de burgemeester")
    ctx: dict[str, Any] = {
        "datum": fields.long_date(on),
        "kenmerk": reference,
        "gemeente": {
            "naam": getattr(settings, "VIK_MUNICIPALITY_NAME", "Almelo"),
            "bestuursorgaan": "De burgemeester",
        },
        "zaak": {
            "nummer": measure.reference,
            "omschrijving": measure.title,
            "grondslag": measure.legal_basis,
            "soort": measure.get_kind_display(),
        },
        "ontvanger": {**_recipient(measure), "adres": street, "postcode_plaats": town},
        "object": {"adres": address.display_name if address else ""},
        "termijn": termijn,
        "besluit": besluit,
        "ondertekenaar": {
            "naam": signatory.get_full_name() or signatory.get_username(),
            "functie": _("gemandateerd functionaris"),
        },
    }
    if "bezwaartermijn" in deadlines:
        rule = deadline_rules(["bezwaartermijn"])["bezwaartermijn"]
        ctx["bezwaarclausule"] = fields.objection_clause(rule.length_label, termijn["bezwaar"], organ)
    if forfeiture is not None:
        ctx["verbeurte"] = {
            "nummer": forfeiture.number,
            "datum": fields.long_date(forfeiture.forfeited_on),
            "bedrag": _euro(forfeiture.amount),
        }
    if params.get("amount"):
        from decimal import Decimal

        ctx["kosten"] = {"bedrag": _euro(Decimal(params["amount"]))}
    return ctx, {k: v.isoformat() for k, v in deadlines.items()}


def dossier_projected(dossier, kind: Kind, on: date) -> dict[str, date]:
    """Bibob dates from the Bibob engine: the objection term from the bekendmaking the letter's
    sending records (bibob.deadlines with the objection rule), or the zienswijze date the
    dossier's recorded voornemen already has."""
    from bibob import deadlines as bd
    from bibob.rules import rule

    out: dict[str, date] = {}
    if "bezwaartermijn" in kind.deadlines:
        decision = getattr(dossier, "decision", None) if hasattr(dossier, "decision") else None
        if decision is not None and decision.bekendgemaakt_on is None:
            out["bezwaartermijn"] = bd.simple_term_end(on, **rule("objection").kwargs)
    if "zienswijze" in kind.deadlines:
        voornemen = dossier.voornemens.order_by("-sent_on", "-id").first()
        if voornemen is not None and voornemen.zienswijze_on is None and not voornemen.zienswijze_none:
            out["zienswijze"] = voornemen.zienswijze_due
    return out


def dossier_context(
    *, dossier, kind: Kind, on: date, signatory: User, reference: str
) -> tuple[dict, dict[str, str]]:
    """(merge context, printed deadlines) for a letter in a Bibob dossier."""
    from bibob.models import Decision

    missing: list[str] = []
    try:
        decision = dossier.decision
    except Decision.DoesNotExist:
        decision = None
    if kind.send_event == "bibob_bekendmaking" and decision is None:
        missing.append(_("het besluit (leg eerst het besluit vast)"))
    if kind.send_event == "bibob_bekendmaking" and decision is not None and decision.bekendgemaakt_on:
        missing.append(_("een besluit dat nog niet is bekendgemaakt"))
    deadlines = dossier_projected(dossier, kind, on)
    labels = {
        "zienswijze": _("zienswijzetermijn (voornemen nog zonder zienswijze)"),
        "bezwaartermijn": _("bezwaartermijn"),
    }
    for code in kind.deadlines:
        if code not in deadlines:
            missing.append(_("de berekende termijn ‘%(t)s’") % {"t": labels.get(code, code)})
    if missing:
        raise ApplicationError(
            _("De brief kan niet worden gemaakt. Er ontbreekt: %(m)s. Er is niets aangemaakt.")
            % {"m": "; ".join(str(m) for m in missing)},
            field="kind",
        )
    termijn: dict[str, Any] = {}
    if "zienswijze" in deadlines:
        termijn["zienswijze"] = fields.weekday_date(deadlines["zienswijze"])
    if "bezwaartermijn" in deadlines:
        termijn["bezwaar"] = fields.weekday_date(deadlines["bezwaartermijn"])
    organ = dossier.get_decision_maker_display()
    ctx: dict[str, Any] = {
        "datum": fields.long_date(on),
        "kenmerk": reference,
        "gemeente": {"naam": getattr(settings, "VIK_MUNICIPALITY_NAME", "Almelo"), "bestuursorgaan": organ},
        "zaak": {
            "nummer": dossier.reference,
            "omschrijving": dossier.title,
            "grondslag": dossier.legal_basis,
            "soort": dossier.get_decision_type_display(),
        },
        "ontvanger": {
            "naam": dossier.applicant_name,
            "aanhef": "Geachte heer/mevrouw",
            "adres": "",
            "postcode_plaats": "",
        },
        "object": {"adres": ""},
        "termijn": termijn,
        "besluit": {"datum": fields.long_date(decision.decided_on)} if decision is not None else {},
        "ondertekenaar": {
            "naam": signatory.get_full_name() or signatory.get_username(),
            "functie": _("gemandateerd functionaris"),
        },
    }
    if "bezwaartermijn" in deadlines:
        from bibob.rules import rule

        objection = rule("objection")
        weeks = objection.kwargs.get("weeks") or 0
        length = f"{weeks} weken" if weeks else f"{objection.kwargs.get('days', 0)} dagen"
        ctx["bezwaarclausule"] = fields.objection_clause(length, termijn["bezwaar"], organ.lower())
    return ctx, {k: v.isoformat() for k, v in deadlines.items()}


# --- letters -----------------------------------------------------------------------------------


def _purpose(letter_or_case) -> str:
    ref = letter_or_case.case_reference if isinstance(letter_or_case, Letter) else letter_or_case.reference
    return _("Brief in zaak %(r)s") % {"r": ref}


def _log(*, user, action: str, letter: Letter, detail: str, request=None) -> None:
    purpose = _purpose(letter)
    log_access(user=user, action=action, obj=letter, purpose=purpose, detail=detail, request=request)
    if letter.measure_id:
        m = letter.measure
        for subject in (m.person, m.organisation, m.address):  # type: ignore[union-attr]
            if subject is not None:
                log_access(
                    user=user, action=action, obj=subject, purpose=purpose, detail=detail, request=request
                )


def _signatory_ok(signatory: User | None, *, measure=None, dossier=None) -> User:
    if signatory is None or not signatory.is_active or not signatory.has_perm(APPROVE_LETTER):
        raise ApplicationError(_("Kies een ondertekenaar met mandaat."), field="signatory")
    try:
        case_for_user(
            signatory, measure_pk=measure.pk if measure else None, dossier_pk=dossier.pk if dossier else None
        )
    except Http404:
        raise ApplicationError(
            _("Deze ondertekenaar mag de zaak niet inzien; kies een andere ondertekenaar."), field="signatory"
        )
    return signatory


def signatories(*, measure=None, dossier=None) -> list[User]:
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    perm = Permission.objects.get(content_type__app_label="letters", codename="approve_letter")
    users = User.objects.filter(
        Q(groups__permissions=perm) | Q(user_permissions=perm), is_active=True
    ).distinct()
    out = []
    for u in users.order_by("last_name", "username"):
        try:
            _signatory_ok(u, measure=measure, dossier=dossier)
        except ApplicationError:
            continue
        out.append(u)
    return out


def _store_version(letter: Letter, data: bytes, actor: User) -> LetterVersion:
    last = letter.versions.aggregate(m=Max("number"))["m"] or 0
    return LetterVersion.objects.create(
        letter=letter,
        number=last + 1,
        content=encrypt_bytes(data),
        sha256=wd.sha256(data),
        size=len(data),
        uploaded_by=actor,
    )


@transaction.atomic
def letter_generate(
    *,
    actor: User,
    kind: str,
    planned_date: date,
    signatory: User | None,
    measure=None,
    dossier=None,
    params: dict[str, Any] | None = None,
    request=None,
) -> Letter:
    """Generate a letter on a measure or a Bibob dossier from the template in use: the merge data
    from the case and the dates from the engine. Refused (nothing stored) when data is missing."""
    if not actor.has_perm(ADD_LETTER):
        raise ApplicationError(_("U mag geen brieven maken."), field="kind")
    k = _kind(kind)
    if (k.case == "measure") != (measure is not None) or (measure is None and dossier is None):
        raise ApplicationError(_("Deze soort brief hoort niet bij deze zaak."), field="kind")
    if not isinstance(planned_date, date):
        raise ApplicationError(_("Vul een geldige datum in."), field="planned_date")
    if planned_date < timezone.localdate():
        raise ApplicationError(_("De verzenddatum kan niet in het verleden liggen."), field="planned_date")
    signatory = _signatory_ok(signatory, measure=measure, dossier=dossier)
    clean = clean_params(k, params or {}) if measure is not None else {}
    forfeiture = None
    if measure is not None and k.send_event == "invordering":
        forfeiture = (
            measure.forfeitures.filter(invordering_on__isnull=True, paid_on__isnull=True)
            .order_by("number")
            .first()
        )
    content, template, label = template_current(kind)
    case = measure if measure is not None else dossier
    letter = Letter(
        kind=kind,
        measure=measure,
        dossier=dossier,
        forfeiture=forfeiture,
        # a Bibob letter never leaves the Bibob compartment
        compartment=Compartment.BIBOB if dossier is not None else measure.compartment,
        template=template,
        template_label=label,
        planned_date=planned_date,
        send_params=clean,
        signatory=signatory,
        created_by=actor,
    )
    letter.save()  # the reference needs the pk
    reference = f"{letter.reference} / {case.reference}"
    if measure is not None:
        ctx, printed = measure_context(
            measure=measure,
            kind=k,
            on=planned_date,
            params=clean,
            signatory=signatory,
            reference=reference,
            forfeiture=forfeiture,
        )
    else:
        ctx, printed = dossier_context(
            dossier=dossier, kind=k, on=planned_date, signatory=signatory, reference=reference
        )
    data = _render(content, ctx)
    letter.printed_deadlines = printed
    letter.save(update_fields=["printed_deadlines", "updated_at"])
    _store_version(letter, data, actor)
    _log(user=actor, action=AccessAction.EXPORT, letter=letter, detail="brief gemaakt", request=request)
    return letter


def _locked(letter: Letter) -> Letter:
    return (
        Letter.objects.select_for_update(of=("self",)).select_related("measure", "dossier").get(pk=letter.pk)
    )


def _refuse_sent(letter: Letter) -> None:
    if letter.state == S.SENT:
        raise ApplicationError(_("Deze brief is verzonden en kan niet meer worden gewijzigd."), field="file")


@transaction.atomic
def letter_upload(*, actor: User, letter: Letter, data: bytes) -> LetterVersion:
    """A new version edited in Word. Only a draft takes one; a letter under check or signature
    goes back to draft when its author uploads (the check starts again)."""
    letter = _locked(letter)
    _refuse_sent(letter)
    if not actor.has_perm(ADD_LETTER):
        raise ApplicationError(_("U mag deze brief niet wijzigen."), field="file")
    if letter.state == S.APPROVED:
        raise ApplicationError(
            _(
                "Deze brief is goedgekeurd. Een nieuwe versie moet opnieuw worden gecontroleerd: stuur hem eerst terug."
            ),
            field="file",
        )
    wd.check_file(data, field="file")
    version = _store_version(letter, data, actor)
    if letter.state != S.DRAFT:
        letter.state = S.DRAFT
        letter.checked_by = None
        letter.checked_at = None
        letter.save(update_fields=["state", "checked_by", "checked_at", "updated_at"])
    return version


@transaction.atomic
def letter_submit(*, actor: User, letter: Letter) -> Letter:
    letter = _locked(letter)
    if letter.state != S.DRAFT or not actor.has_perm(ADD_LETTER):
        raise ApplicationError(_("Alleen een concept kan ter controle worden aangeboden."), field="state")
    letter.state = S.TO_CHECK
    letter.submitted_at = timezone.now()
    letter.return_note = ""
    letter.save(update_fields=["state", "submitted_at", "return_note", "updated_at"])
    return letter


@transaction.atomic
def letter_check(*, actor: User, letter: Letter) -> Letter:
    """The second person's check: not the author, not who uploaded the current version."""
    letter = _locked(letter)
    if letter.state != S.TO_CHECK:
        raise ApplicationError(_("Deze brief staat niet ter controle."), field="state")
    if not actor.has_perm(CHECK_LETTER):
        raise ApplicationError(_("U mag brieven niet controleren."), field="state")
    last = letter.versions.order_by("-number").first()
    if actor.pk == letter.created_by_id or (last and last.uploaded_by_id == actor.pk):
        raise ApplicationError(
            _("De controle doet een tweede persoon: u heeft deze brief zelf gemaakt of bewerkt."),
            field="state",
        )
    letter.state = S.TO_SIGN
    letter.checked_by = actor
    letter.checked_at = timezone.now()
    letter.save(update_fields=["state", "checked_by", "checked_at", "updated_at"])
    return letter


@transaction.atomic
def letter_approve(*, actor: User, letter: Letter) -> Letter:
    letter = _locked(letter)
    if letter.state != S.TO_SIGN:
        raise ApplicationError(_("Deze brief staat niet ter ondertekening."), field="state")
    if not actor.has_perm(APPROVE_LETTER) or actor.pk != letter.signatory_id:
        raise ApplicationError(
            _("Alleen de gekozen ondertekenaar met mandaat keurt deze brief goed."), field="state"
        )
    letter.state = S.APPROVED
    letter.approved_by = actor
    letter.approved_at = timezone.now()
    letter.save(update_fields=["state", "approved_by", "approved_at", "updated_at"])
    return letter


@transaction.atomic
def letter_return(*, actor: User, letter: Letter, note: str) -> Letter:
    """Back to draft with the reason (checker, signatory or author before sending)."""
    letter = _locked(letter)
    _refuse_sent(letter)
    note = " ".join((note or "").split())
    if len(note) < 3:
        raise ApplicationError(_("Schrijf kort waarom de brief terug gaat."), field="note")
    allowed = (
        (letter.state == S.TO_CHECK and actor.has_perm(CHECK_LETTER))
        or (letter.state == S.TO_SIGN and actor.pk == letter.signatory_id)
        or (letter.state == S.APPROVED and actor.has_perm(ADD_LETTER))
    )
    if not allowed:
        raise ApplicationError(_("U kunt deze brief nu niet terugsturen."), field="note")
    letter.state = S.DRAFT
    letter.checked_by, letter.checked_at, letter.approved_by, letter.approved_at = None, None, None, None
    letter.return_note = note[:500]
    letter.save(
        update_fields=[
            "state",
            "checked_by",
            "checked_at",
            "approved_by",
            "approved_at",
            "return_note",
            "updated_at",
        ]
    )
    return letter


def current_docx(letter: Letter) -> tuple[bytes, LetterVersion]:
    version = letter.versions.order_by("-number").first()
    return decrypt_bytes(bytes(version.content)), version  # type: ignore[return-value, union-attr]


def letter_download(*, actor: User, letter: Letter, request=None) -> tuple[bytes, str]:
    data, version = current_docx(letter)
    _log(
        user=actor,
        action=AccessAction.DOWNLOAD,
        letter=letter,
        detail=f"brief v{version.number}",
        request=request,
    )
    return data, f"{letter.reference}-v{version.number}.docx"


def letter_pdf_download(*, actor: User, letter: Letter, request=None) -> tuple[bytes, str]:
    if not letter.pdf:
        raise Http404
    _log(user=actor, action=AccessAction.DOWNLOAD, letter=letter, detail="pdf-kopie", request=request)
    return decrypt_bytes(bytes(letter.pdf)), f"{letter.reference}.pdf"


def make_pdf(letter: Letter, data: bytes) -> bytes:
    """The PDF copy: an HTML twin of the final Word text through vik.core.pdf (ADR 0005)."""
    from vik.core.pdf import render_pdf

    html = render_to_string("letters/pdf.html", {"letter": letter, "paragraphs": wd.text_paragraphs(data)})
    return render_pdf(html, kind="letters.letter")


@transaction.atomic
def letter_send(*, actor: User, letter: Letter, sent_on: date, request=None) -> Letter:
    """Record "verzonden / bekendgemaakt op": the procedure event that starts the terms (through
    the measures service, so the deadlines recompute); then the letter is immutable and a PDF copy
    is made. Refused when the dates the letter names differ from those of the actual send date."""
    letter = _locked(letter)
    _refuse_sent(letter)
    if letter.state != S.APPROVED:
        raise ApplicationError(_("Alleen een goedgekeurde brief kan worden verzonden."), field="sent_on")
    if not actor.has_perm(ADD_LETTER):
        raise ApplicationError(_("U mag deze brief niet verzenden."), field="sent_on")
    if not isinstance(sent_on, date):
        raise ApplicationError(_("Vul een geldige datum in."), field="sent_on")
    if sent_on > timezone.localdate():
        raise ApplicationError(_("De verzenddatum kan niet in de toekomst liggen."), field="sent_on")
    kind = KINDS[letter.kind]
    if letter.measure_id:
        from measures import services as ms

        measure = letter.measure
        forfeiture = letter.forfeiture
        now = projected_deadlines(measure, kind, sent_on, letter.send_params, forfeiture)
        now_iso = {k: v.isoformat() for k, v in now.items()}
        if now_iso != letter.printed_deadlines:
            printed = ", ".join(
                fields.page_date(date.fromisoformat(v)) for v in letter.printed_deadlines.values()
            )
            actual = ", ".join(fields.page_date(v) for v in now.values()) or _("geen")
            raise ApplicationError(
                _(
                    "De brief noemt %(p)s, berekend vanaf verzending op %(d)s. Bij verzending op %(s)s wordt dat "
                    "%(a)s. Maak de brief opnieuw met de juiste verzenddatum."
                )
                % {
                    "p": printed,
                    "d": fields.page_date(letter.planned_date),
                    "s": fields.page_date(sent_on),
                    "a": actual,
                },
                field="sent_on",
            )
        if kind.send_event == "invordering":
            ms.forfeiture_invordering(actor=actor, forfeiture=forfeiture, on=sent_on)  # type: ignore[arg-type]
        else:
            params = dict(letter.send_params)
            if kind.send_event == "kostenverhaal":
                params["bekendgemaakt_op"] = sent_on
            ms.measure_event_record(
                actor=actor,
                measure=measure,  # type: ignore[arg-type]
                event=kind.send_event,
                on=sent_on,
                params=params,
                note=_("Brief %(r)s verzonden") % {"r": letter.reference},
            )
    elif letter.dossier_id:
        dossier = letter.dossier
        now_iso = {k: v.isoformat() for k, v in dossier_projected(dossier, kind, sent_on).items()}
        if now_iso != letter.printed_deadlines:
            raise ApplicationError(
                _(
                    "De termijnen in de brief gelden bij verzending op %(d)s, niet op %(s)s. Maak de brief opnieuw "
                    "met de juiste verzenddatum."
                )
                % {"d": fields.page_date(letter.planned_date), "s": fields.page_date(sent_on)},
                field="sent_on",
            )
        if kind.send_event == "bibob_bekendmaking":
            from bibob import services as bs

            bs.decision_publish(actor=actor, dossier=dossier, bekendgemaakt_on=sent_on)  # type: ignore[arg-type]
    data, _version = current_docx(letter)
    letter.sent_on = sent_on
    letter.sent_by = actor
    letter.pdf = encrypt_bytes(make_pdf(letter, data))
    letter.state = S.SENT
    letter.save(update_fields=["pdf", "state", "sent_on", "sent_by", "updated_at"])
    _log(user=actor, action=AccessAction.EXPORT, letter=letter, detail="brief verzonden", request=request)
    return letter


# --- reminders ---------------------------------------------------------------------------------


def reminder_days() -> int:
    return max(1, int(getattr(settings, "LETTERS_REMINDER_DAYS", 3)))


def waiting_reminders(today: date) -> Iterator[tuple]:
    """(user, message, link, dedup_key) for letters waiting longer than LETTERS_REMINDER_DAYS:
    the signatory of a letter under signature, the author of a letter under check (no checker
    is assigned) and the author of an approved letter not yet sent."""
    limit = timezone.make_aware(
        timezone.datetime.combine(today - timedelta(days=reminder_days()), timezone.datetime.min.time())  # type: ignore[attr-defined]
    )
    rows = Letter.objects.filter(
        state__in=[S.TO_CHECK, S.TO_SIGN, S.APPROVED], updated_at__lt=limit
    ).select_related("signatory", "created_by")
    for letter in rows:
        waiting = {
            S.TO_CHECK: _("wacht op controle"),
            S.TO_SIGN: _("wacht op ondertekening"),
            S.APPROVED: _("wacht op verzending"),
        }[letter.state]  # type: ignore[index]
        user = letter.signatory if letter.state == S.TO_SIGN else letter.created_by
        yield (
            user,
            _("Brief %(r)s %(w)s sinds %(d)s.")
            % {
                "r": letter.reference,
                "w": waiting,
                "d": timezone.localtime(letter.updated_at).strftime("%d-%m-%Y"),
            },
            reverse("letters:detail", args=[letter.pk]),
            f"letter:{letter.pk}:{letter.state}:{letter.updated_at:%Y%m%d%H%M%S}",
        )
