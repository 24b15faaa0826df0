"""Every state change of a signal, a control or an attachment goes through here."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core.access import init_visibility, is_visible
from vik.core.constants import Compartment
from vik.core.encryption import decrypt_bytes, encrypt_bytes
from vik.core.exceptions import ApplicationError
from vik.core.models import OrgUnit, User

from .constants import (
    CONTROL_PHENOMENON,
    DOR_DOL_FINDINGS,
    SOURCE_CONTROL,
    SOURCE_MMA,
    TRANSITIONS,
    CasustafelOutcome,
    ControlType,
    LegalRegime,
    ReliabilityInformation,
    ReliabilitySource,
    SignalStatus,
    SubjectRole,
)
from .files import sniff_content_type
from .images import clean_image, is_image
from .models import (
    Attachment,
    Control,
    Finding,
    Phenomenon,
    Signal,
    SignalSource,
    SignalStatusChange,
    SignalSubject,
)

# Statuses an M. tip may only reach after the police alignment is recorded (DOMAIN §1.1).
AFTER_ALIGNMENT = {
    SignalStatus.ENRICHMENT,
    SignalStatus.CASUSTAFEL_AGENDA,
    SignalStatus.CASE_OPEN,
    SignalStatus.INTERVENTION,
}

SUBJECT_FIELDS = {
    "person": "person",
    "organisation": "organisation",
    "address": "address",
    "vehicle": "vehicle",
}


def compartment_for(*, source: SignalSource, legal_regime: str) -> str:
    """M. tips live in the ``mma`` compartment; police data under Wpg conditions in ``police``."""
    if source.code == SOURCE_MMA:
        return Compartment.MMA
    if legal_regime == LegalRegime.WPG:
        return Compartment.POLICE
    return Compartment.GENERAL


def team_of(actor: User | None, owner_team: OrgUnit | None = None) -> OrgUnit:
    team = owner_team or (actor.org_unit if actor is not None else None)
    if team is None:
        raise ApplicationError(_("Er is geen team dat eigenaar van het signaal kan worden."))
    return team


# --- search -------------------------------------------------------------------------------------

_SEARCH_SQL = """
UPDATE signals_signal s SET search_vector =
    setweight(to_tsvector('dutch', coalesce(s.summary, '')), 'A') ||
    setweight(to_tsvector('dutch', coalesce(s.external_ref, '') || ' ' || src.label || ' ' || src.code || ' ' ||
        coalesce((SELECT string_agg(p.label || ' ' || p.code, ' ')
                  FROM signals_signal_phenomena sp JOIN signals_phenomenon p ON p.id = sp.phenomenon_id
                  WHERE sp.signal_id = s.id), '')), 'B')
FROM signals_signalsource src
WHERE src.id = s.source_id AND s.id = ANY(%s)
"""


def signal_refresh_search(ids: Iterable[int]) -> None:
    """Full-text index over the non-confidential summary and metadata, never the narrative."""
    ids = list(ids)
    if ids:
        with connection.cursor() as cur:
            cur.execute(_SEARCH_SQL, [ids])


# --- create -------------------------------------------------------------------------------------


def _validate_core(
    *, received_date: date, phenomena: list[Phenomenon], summary: str, source: SignalSource
) -> None:
    if received_date > timezone.localdate():
        raise ApplicationError(_("De ontvangstdatum ligt in de toekomst."), field="received_date")
    if not phenomena:
        raise ApplicationError(_("Kies ten minste één fenomeen."), field="phenomena")
    if not summary.strip():
        raise ApplicationError(_("Geef een korte, niet-vertrouwelijke samenvatting."), field="summary")
    if not source.active:
        raise ApplicationError(_("Deze bron is niet meer in gebruik."), field="source")


@transaction.atomic
def signal_create(
    *,
    actor: User,
    source: SignalSource,
    received_date: date,
    phenomena: list[Phenomenon],
    summary: str,
    narrative: str = "",
    reliability_source: str = ReliabilitySource.X,
    reliability_information: str = ReliabilityInformation.FOUR,
    legal_regime: str = LegalRegime.AVG,
    wpg_conditions: str = "",
    external_ref: str = "",
    owner_team: OrgUnit | None = None,
    links: Iterable[tuple[object, str]] = (),
) -> Signal:
    _validate_core(received_date=received_date, phenomena=phenomena, summary=summary, source=source)
    if legal_regime == LegalRegime.WPG and not wpg_conditions.strip():
        raise ApplicationError(
            _("Vermeld bij Wpg-gegevens de voorwaarden waaronder de politie ze heeft verstrekt."),
            field="wpg_conditions",
        )
    external_ref = external_ref.strip()
    if external_ref and Signal.objects.filter(source=source, external_ref=external_ref).exists():
        raise ApplicationError(
            _("Er is al een signaal van deze bron met extern kenmerk %(r)s.") % {"r": external_ref},
            field="external_ref",
        )
    signal = Signal(
        source=source,
        received_date=received_date,
        summary=summary.strip(),
        narrative=narrative,
        reliability_source=reliability_source,
        reliability_information=reliability_information,
        legal_regime=legal_regime,
        wpg_conditions=wpg_conditions,
        external_ref=external_ref,
        owner_team=team_of(actor, owner_team),
        compartment=compartment_for(source=source, legal_regime=legal_regime),
        created_by=actor,
    )
    signal.full_clean(exclude=["phenomena", "search_vector"])
    signal.save()
    init_visibility(signal)
    signal.phenomena.set(phenomena)
    SignalStatusChange.objects.create(
        signal=signal,
        from_status="",
        to_status=SignalStatus.RECEIVED,
        actor=actor,
        at=timezone.now(),
        reason=_("Ontvangen"),
    )
    for target, role in links:
        signal_link_subject(actor=actor, signal=signal, subject=target, role=role, check_visible=False)
    signal_refresh_search([signal.pk])
    return signal


# --- workflow -------------------------------------------------------------------------------------


def signal_allowed_transitions(signal: Signal) -> list[str]:
    """The next states the workflow offers, with the M. guard applied."""
    options = list(TRANSITIONS.get(signal.status, []))
    if signal.is_mma and not signal.police_aligned:
        options = [s for s in options if s not in AFTER_ALIGNMENT]
    elif not signal.is_mma:
        options = [s for s in options if s != SignalStatus.POLICE_ALIGNMENT_PENDING]
    return options


def signal_may_lead_to_measure(signal: Signal) -> bool:
    """For the measures app (and controls): may a measure or control follow from this signal?
    Not when it was dismissed or closed, and never for an M. tip before the police alignment in
    the lokaal ondermijningsoverleg is recorded (DOMAIN §1.1)."""
    if signal.status in (SignalStatus.DISMISSED, SignalStatus.CLOSED):
        return False
    if signal.is_mma and not signal.police_aligned:
        return False
    return True


def ensure_not_restricted(signal: Signal) -> None:
    """AVG art. 18: a restricted signal is frozen (no edits, links, attachments or agenda)."""
    from vik.privacy.selectors import is_restricted

    if is_restricted("signals.signal", signal.pk):
        raise ApplicationError(_("De verwerking van dit signaal is beperkt (AVG art. 18)."))


def _locked(signal: Signal) -> Signal:
    locked = Signal.objects.select_for_update().select_related("source").get(pk=signal.pk)
    ensure_not_restricted(locked)
    return locked


def _append_status(signal: Signal, to_status: str, *, actor: User | None, reason: str) -> None:
    SignalStatusChange.objects.create(
        signal=signal,
        from_status=signal.status,
        to_status=to_status,
        actor=actor,
        at=timezone.now(),
        reason=reason[:500],
    )
    signal.status = to_status
    signal.save(update_fields=["status", "updated_at"])


@transaction.atomic
def signal_transition(*, actor: User, signal: Signal, to_status: str, reason: str = "") -> Signal:
    locked = _locked(signal)
    reason = " ".join((reason or "").split())
    if to_status not in TRANSITIONS.get(locked.status, []):
        raise ApplicationError(
            _("Van %(a)s naar %(b)s kan niet.")
            % {
                "a": locked.get_status_display(),
                "b": SignalStatus(to_status).label if to_status in SignalStatus.values else to_status,
            },
            field="to_status",
        )
    if to_status == SignalStatus.POLICE_ALIGNMENT_PENDING and not locked.is_mma:
        raise ApplicationError(
            _("Alleen een M-melding wacht op afstemming met de politie."), field="to_status"
        )
    if locked.is_mma and not locked.police_aligned and to_status in AFTER_ALIGNMENT:
        raise ApplicationError(
            _(
                "Een M-melding kan pas verder nadat de afstemming met de politie in het lokaal "
                "ondermijningsoverleg is vastgelegd."
            ),
            field="to_status",
        )
    if to_status == SignalStatus.DISMISSED and not reason:
        raise ApplicationError(
            _("Geef aan waarom het signaal niet aan de indicatoren voldoet."), field="reason"
        )
    _append_status(locked, to_status, actor=actor, reason=reason)
    return locked


@transaction.atomic
def signal_record_police_alignment(*, actor: User, signal: Signal, note: str) -> Signal:
    """Record the alignment with the police in the lokaal ondermijningsoverleg. Only then may an
    M. tip lead to follow-up; a tip waiting for it moves on to enrichment."""
    locked = _locked(signal)
    note = " ".join((note or "").split())
    if not locked.is_mma:
        raise ApplicationError(_("Afstemming met de politie wordt alleen voor M-meldingen vastgelegd."))
    if locked.police_aligned:
        raise ApplicationError(_("De afstemming met de politie is al vastgelegd."))
    if len(note) < 5:
        raise ApplicationError(_("Beschrijf kort wat met de politie is afgesproken."), field="note")
    locked.police_alignment_at = timezone.now()
    locked.police_alignment_by = actor
    locked.police_alignment_note = note[:500]
    locked.save(
        update_fields=["police_alignment_at", "police_alignment_by", "police_alignment_note", "updated_at"]
    )
    if locked.status == SignalStatus.POLICE_ALIGNMENT_PENDING:
        _append_status(
            locked,
            SignalStatus.ENRICHMENT,
            actor=actor,
            reason=_("Afgestemd met politie: %(n)s") % {"n": note},
        )
    return locked


@transaction.atomic
def signal_assign(*, actor: User, signal: Signal, assignee: User | None) -> Signal:
    locked = _locked(signal)
    if assignee is not None and not (
        assignee.is_active and is_visible(assignee, locked) and assignee.has_perm("signals.change_signal")
    ):
        raise ApplicationError(_("Deze medewerker mag dit signaal niet behandelen."), field="assignee")
    locked.assignee = assignee
    locked.save(update_fields=["assignee", "updated_at"])
    return locked


@transaction.atomic
def signal_flag_casustafel(*, actor: User, signal: Signal, flag: bool = True) -> Signal:
    if not actor.has_perm("signals.flag_casustafel"):
        raise ApplicationError(_("Alleen de voorzitter van de casustafel agendeert signalen."))
    locked = _locked(signal)
    if flag and locked.status in (SignalStatus.DISMISSED, SignalStatus.CLOSED):
        raise ApplicationError(_("Een afgewezen of afgesloten signaal komt niet op de casustafel."))
    locked.casustafel = flag
    locked.save(update_fields=["casustafel", "updated_at"])
    return locked


@transaction.atomic
def signal_record_casustafel_outcome(
    *, actor: User, signal: Signal, outcome: str, reason: str = ""
) -> Signal:
    """The casustafel decides: handle locally or register with the RIEC (a case opens), or close."""
    locked = _locked(signal)
    if outcome not in CasustafelOutcome.values:
        raise ApplicationError(_("Kies een uitkomst."), field="outcome")
    if locked.status != SignalStatus.CASUSTAFEL_AGENDA:
        raise ApplicationError(_("Het signaal staat niet op de agenda van de casustafel."), field="outcome")
    target = SignalStatus.CLOSED if outcome == CasustafelOutcome.CLOSE else SignalStatus.CASE_OPEN
    if target == SignalStatus.CASE_OPEN and not signal_may_lead_to_measure(locked):
        raise ApplicationError(
            _("Een M-melding kan pas tot een casus leiden nadat de afstemming met de politie is vastgelegd."),
            field="outcome",
        )
    locked.casustafel_outcome = outcome
    locked.save(update_fields=["casustafel_outcome", "updated_at"])
    label = CasustafelOutcome(outcome).label
    _append_status(locked, target, actor=actor, reason=f"{_('Casustafel')}: {label}. {reason}".strip())
    return locked


# --- subjects -----------------------------------------------------------------------------------


def _role_default(subject: object) -> str:
    name = type(subject)._meta.model_name  # type: ignore[attr-defined]
    return {"address": SubjectRole.LOCATIE, "vehicle": SubjectRole.VOERTUIG}.get(name, SubjectRole.BETROKKENE)


@transaction.atomic
def signal_link_subject(
    *, actor: User, signal: Signal, subject: object, role: str = "", check_visible: bool = True
) -> SignalSubject:
    name = type(subject)._meta.model_name  # type: ignore[attr-defined]
    if name not in SUBJECT_FIELDS:
        raise ApplicationError(_("Dit soort record kan niet aan een signaal worden gekoppeld."))
    if check_visible and not is_visible(actor, subject):  # type: ignore[arg-type]
        raise ApplicationError(_("Dit record bestaat niet of u heeft er geen toegang toe."))
    ensure_not_restricted(signal)
    role = role or _role_default(subject)
    if role not in SubjectRole.values:
        raise ApplicationError(_("Kies een rol."), field="role")
    existing = SignalSubject.objects.filter(signal=signal, **{SUBJECT_FIELDS[name]: subject}).first()
    if existing is not None:
        return existing
    return SignalSubject.objects.create(signal=signal, role=role, **{SUBJECT_FIELDS[name]: subject})


# --- attachments --------------------------------------------------------------------------------


def _attachment_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def safe_filename(name: str) -> str:
    base = Path(name or "bijlage").name
    cleaned = "".join(ch for ch in base if ch.isalnum() or ch in " ._-()")
    return cleaned.strip()[:200] or "bijlage"


@transaction.atomic
def attachment_add(*, actor: User, signal: Signal, filename: str, data: bytes) -> Attachment:
    """Store a file with a signal, encrypted at rest, after checking its size and its real type.
    An image is stored re-encoded without metadata (signals.images), never as uploaded."""
    ensure_not_restricted(signal)
    limit = settings.ATTACHMENT_MAX_BYTES
    if len(data) > limit:
        raise ApplicationError(
            _("Het bestand is te groot: ten hoogste %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            field="file",
        )
    if not data:
        raise ApplicationError(_("Het bestand is leeg."), field="file")
    name = safe_filename(filename)
    content_type = sniff_content_type(data, name)
    if content_type is None:
        raise ApplicationError(
            _(
                "Dit soort bestand is niet toegestaan. Toegestaan zijn PDF, afbeeldingen (PNG, JPEG, GIF), "
                "Office-documenten en e-mail (.eml, .msg)."
            ),
            field="file",
        )
    if is_image(content_type):
        data = clean_image(data, content_type)  # the upload itself (with its EXIF/GPS) is dropped
    storage_name = f"{uuid.uuid4().hex}.bin"
    target = _attachment_dir() / storage_name
    target.write_bytes(encrypt_bytes(data))
    try:
        return Attachment.objects.create(
            signal=signal,
            filename=name,
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            storage_name=storage_name,
            uploaded_by=actor,
        )
    except Exception:
        target.unlink(missing_ok=True)
        raise


def attachment_read(attachment: Attachment) -> bytes:
    return decrypt_bytes((_attachment_dir() / attachment.storage_name).read_bytes())


# --- controls -----------------------------------------------------------------------------------


@transaction.atomic
def control_create(
    *,
    actor: User,
    control_type: str,
    date: date,
    address=None,
    location_note: str = "",
    partners_present: list[str] | None = None,
    notes: str = "",
) -> Control:
    if control_type not in ControlType.values:
        raise ApplicationError(_("Kies een soort controle."), field="control_type")
    if address is not None and not is_visible(actor, address):
        raise ApplicationError(_("Dit adres bestaat niet of u heeft er geen toegang toe."), field="address")
    control = Control(
        control_type=control_type,
        date=date,
        address=address,
        location_note=location_note,
        partners_present=list(partners_present or []),
        notes=notes,
        owner_team=team_of(actor),
        compartment=Compartment.GENERAL,
        created_by=actor,
    )
    control.full_clean()
    control.save()
    init_visibility(control)
    return control


@transaction.atomic
def finding_add(
    *, actor: User, control: Control, finding_type: str, description: str, follow_up: str = ""
) -> Finding:
    description = " ".join((description or "").split())
    if not description:
        raise ApplicationError(_("Beschrijf de bevinding."), field="description")
    if control.control_type == ControlType.DOR_DOL and finding_type not in DOR_DOL_FINDINGS:
        raise ApplicationError(
            _(
                "Bij een DOR/DOL-controle is de bevinding: niet aangemeld, register onvolledig, bewaartermijn of gestolen goed."
            ),
            field="finding_type",
        )
    finding = Finding(
        control=control,
        finding_type=finding_type,
        description=description,
        follow_up=follow_up,
        created_by=actor,
    )
    finding.full_clean(exclude=["signal"])
    finding.save()
    from .constants import ControlStatus

    if control.status in (ControlStatus.PLANNED, ControlStatus.VISIT):
        control.status = ControlStatus.FINDINGS
        control.save(update_fields=["status", "updated_at"])
    return finding


@transaction.atomic
def finding_spawn_signal(*, actor: User, finding: Finding) -> Signal:
    """One click: the finding becomes a signal from source ``controle`` at the control's address."""
    finding = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("control", "control__address")
        .get(pk=finding.pk)
    )
    if finding.signal_id:
        raise ApplicationError(_("Van deze bevinding is al een signaal gemaakt."))
    control = finding.control
    source = SignalSource.objects.get(code=SOURCE_CONTROL)
    phenomenon = Phenomenon.objects.filter(
        code=CONTROL_PHENOMENON.get(control.control_type, "overig")  # type: ignore[call-overload]
    ).first()
    phenomena = [phenomenon] if phenomenon else list(Phenomenon.objects.filter(code="overig"))
    links = [(control.address, SubjectRole.LOCATIE)] if control.address_id else []
    received = min(control.date, timezone.localdate())
    signal = signal_create(
        actor=actor,
        source=source,
        received_date=received,
        phenomena=phenomena,
        summary=f"{control.get_control_type_display()}: {finding.get_finding_type_display()}. {finding.description}"[
            :500
        ],
        reliability_source=ReliabilitySource.A,
        reliability_information=ReliabilityInformation.ONE,
        owner_team=control.owner_team,
        links=links,
    )
    finding.signal = signal
    finding.save(update_fields=["signal", "updated_at"])
    return signal
