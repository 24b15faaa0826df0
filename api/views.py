"""The API views: thin, like the web's. Reads go through the apps' selectors and permission
functions with the client's service account; writes through the apps' services."""

from __future__ import annotations

from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from django.http import Http404
from django.utils.translation import gettext as _

from dashboards import permissions as dash_perms
from dashboards import selectors as dash
from measures import selectors as measure_selectors
from measures.permissions import get_measure_for_user
from meetings import selectors as meeting_selectors
from meetings.permissions import get_action_for_user
from meetings.services import action_set_status
from signals import selectors as signal_selectors
from signals.models import Phenomenon, SignalSource
from signals.permissions import ADD_SIGNAL, VIEW_SIGNAL, get_signal_for_change, get_signal_for_user
from signals.services import signal_create, signal_transition
from subjects import selectors as subject_selectors
from subjects.permissions import can_view_subjects, get_subject_for_user
from vik.core.accesslog import log_access
from vik.core.constants import AccessAction
from vik.core.exceptions import ApplicationError

from . import serializers as api_serializers
from .models import Scope
from .permissions import client_of
from .purpose import HEADER, api_purpose
from .rest import Cursor
from .services import idempotent_create, request_fingerprint

DOEL = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="Doel: een zaak (`signal:12`, `measure:3`, `meeting:7`) of een reden van ten minste 10 tekens.",
)
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Een herhaalde aanlevering met dezelfde sleutel maakt geen tweede signaal.",
)


def _date(request, name: str) -> date | None:
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ApplicationError(_("Geef een datum als JJJJ-MM-DD."), field=name)


def page_of(serializer_class, name: str):
    """The schema of a cursor page: ``next``/``previous`` links and ``results``."""
    return inline_serializer(
        name,
        {
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )


CURSOR_PARAMS = [
    OpenApiParameter("cursor", str, description="Cursor uit next/previous."),
    OpenApiParameter("pageSize", int, description="Aantal per pagina (1-200)."),
]


def _paged(view: APIView, request, qs, serializer):
    paginator = Cursor()
    page = paginator.paginate_queryset(qs, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True, context={"request": request}).data)


class ApiView(APIView):
    required_scopes: object = ""


# --- signals ----------------------------------------------------------------------------------------


class SignalCollection(ApiView):
    required_scopes = {"GET": Scope.SIGNALS_READ, "POST": Scope.SIGNALS_DELIVER}

    @extend_schema(
        operation_id="signalen_list",
        parameters=[
            OpenApiParameter("status", str, enum=[c for c, _l in api_serializers.SignalStatus.choices]),
            OpenApiParameter("bron", str),
            OpenApiParameter("fenomeen", str),
            OpenApiParameter("van", OpenApiTypes.DATE),
            OpenApiParameter("tot", OpenApiTypes.DATE),
            OpenApiParameter("q", str, description="Zoeken in samenvatting en kenmerken."),
            *CURSOR_PARAMS,
        ],
        responses=page_of(api_serializers.SignalOut, "SignalPagina"),
    )
    def get(self, request):
        if not request.user.has_perm(VIEW_SIGNAL):
            raise Http404
        status_ = request.query_params.get("status", "")
        if status_ and status_ not in api_serializers.SignalStatus.values:
            raise ApplicationError(_("Onbekende status."), field="status")
        filters = signal_selectors.SignalFilters(
            status=status_,
            source=request.query_params.get("bron", "")[:30],
            phenomenon=request.query_params.get("fenomeen", "")[:30],
            date_from=_date(request, "van"),
            date_to=_date(request, "tot"),
            q=request.query_params.get("q", "")[:200],
        )
        qs = signal_selectors.with_display(signal_selectors.signal_list(user=request.user, filters=filters))
        return _paged(self, request, qs, api_serializers.SignalOut)

    @extend_schema(
        operation_id="signalen_create",
        request=api_serializers.SignalIn,
        parameters=[IDEMPOTENCY],
        responses={201: api_serializers.SignalOut, 200: api_serializers.SignalOut},
    )
    def post(self, request):
        client = client_of(request)
        body = api_serializers.SignalIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        source_code = data["bron"] or (client.deliver_source.code if client.deliver_source else "")
        source = SignalSource.objects.filter(code=source_code).first()
        if source is None:
            raise ApplicationError(_("Onbekende bron."), field="bron")
        codes = set(data["fenomenen"])
        phenomena = list(Phenomenon.objects.filter(code__in=codes, active=True))
        if len(phenomena) != len(codes):
            raise ApplicationError(_("Onbekend fenomeen."), field="fenomenen")
        team = client.deliver_team
        if team is None and not request.user.has_perm(ADD_SIGNAL):
            raise ApplicationError(_("Voor deze koppeling is geen ontvangend team ingesteld."))
        key = request.headers.get("idempotency-key", "").strip()[:200]

        def create():
            return signal_create(
                actor=request.user,
                source=source,
                received_date=data["ontvangenOp"],
                phenomena=phenomena,
                summary=data["samenvatting"],
                narrative=data["toelichting"],
                reliability_source=data["betrouwbaarheidBron"],
                reliability_information=data["betrouwbaarheidInformatie"],
                legal_regime=data["juridischRegime"],
                wpg_conditions=data["wpgVoorwaarden"],
                external_ref=data["externKenmerk"],
                owner_team=team,
            )

        signal, created = idempotent_create(
            client=client, key=key, fingerprint=request_fingerprint(request.data), create=create
        )
        signal = signal_selectors.with_display(type(signal).objects.filter(pk=signal.pk)).get()
        return Response(
            api_serializers.SignalOut(signal).data, status=status.HTTP_201_CREATED if created else 200
        )


class SignalItem(ApiView):
    required_scopes = Scope.SIGNALS_READ

    @extend_schema(operation_id="signalen_read", responses=api_serializers.SignalOut)
    def get(self, request, pk: int):
        return Response(api_serializers.SignalOut(get_signal_for_user(request.user, pk)).data)


class SignalStatusChanges(ApiView):
    required_scopes = Scope.SIGNALS_WRITE

    @extend_schema(
        operation_id="signalen_statuswijzigingen_create",
        request=api_serializers.StatusChangeIn,
        responses={201: api_serializers.SignalOut},
    )
    def post(self, request, pk: int):
        signal = get_signal_for_change(request.user, pk)
        body = api_serializers.StatusChangeIn(data=request.data)
        body.is_valid(raise_exception=True)
        signal = signal_transition(
            actor=request.user,
            signal=signal,
            to_status=body.validated_data["status"],
            reason=body.validated_data["toelichting"],
        )
        return Response(
            api_serializers.SignalOut(get_signal_for_user(request.user, signal.pk)).data, status=201
        )


# --- subjects (purpose required, access-logged) ----------------------------------------------------


class SubjectSearch(ApiView):
    required_scopes = Scope.SUBJECTS_READ

    @extend_schema(
        operation_id="subjecten_search",
        parameters=[DOEL, OpenApiParameter("q", str, required=True)],
        responses=inline_serializer(
            "SubjectenZoekresultaat", {"resultaten": api_serializers.SubjectHitOut(many=True)}
        ),
    )
    def get(self, request):
        if not can_view_subjects(request.user):
            raise Http404
        purpose = api_purpose(request)
        result = subject_selectors.subject_search(
            user=request.user,
            query=request.query_params.get("q", ""),
            purpose=purpose,
            request=request,
            kinds=["person", "organisation", "address"],
        )
        return Response({"resultaten": api_serializers.SubjectHitOut(result.hits, many=True).data})


class _SubjectItem(ApiView):
    required_scopes = Scope.SUBJECTS_READ
    kind = ""
    out: type[serializers.Serializer] = api_serializers.PersonOut

    def get(self, request, pk: int):
        if not can_view_subjects(request.user):
            raise Http404
        obj = get_subject_for_user(request.user, self.kind, pk)
        purpose = api_purpose(request)
        log_access(
            user=request.user,
            action=AccessAction.READ,
            obj=obj,
            purpose=str(purpose),
            request=request,
            detail="API",
        )
        return Response(self.out(obj).data)


class PersonItem(_SubjectItem):
    kind, out = "person", api_serializers.PersonOut

    @extend_schema(operation_id="personen_read", parameters=[DOEL], responses=api_serializers.PersonOut)
    def get(self, request, pk: int):
        return super().get(request, pk)


class OrganisationItem(_SubjectItem):
    kind, out = "organisation", api_serializers.OrganisationOut

    @extend_schema(
        operation_id="organisaties_read", parameters=[DOEL], responses=api_serializers.OrganisationOut
    )
    def get(self, request, pk: int):
        return super().get(request, pk)


class AddressItem(_SubjectItem):
    kind, out = "address", api_serializers.AddressOut

    @extend_schema(operation_id="adressen_read", parameters=[DOEL], responses=api_serializers.AddressOut)
    def get(self, request, pk: int):
        return super().get(request, pk)


# --- measures and deadlines -------------------------------------------------------------------------


class MeasureCollection(ApiView):
    required_scopes = Scope.MEASURES_READ

    @extend_schema(
        operation_id="maatregelen_list",
        parameters=[OpenApiParameter("soort", str), OpenApiParameter("toestand", str), *CURSOR_PARAMS],
        responses=page_of(api_serializers.MeasureOut, "MaatregelPagina"),
    )
    def get(self, request):
        qs = measure_selectors.measure_list(
            user=request.user,
            kind=request.query_params.get("soort", "")[:20],
            state=request.query_params.get("toestand", "")[:30],
        )
        return _paged(self, request, qs, api_serializers.MeasureOut)


class MeasureItem(ApiView):
    required_scopes = Scope.MEASURES_READ

    @extend_schema(operation_id="maatregelen_read", responses=api_serializers.MeasureDetailOut)
    def get(self, request, pk: int):
        measure = get_measure_for_user(request.user, pk)
        measure.api_deadlines = list(measure_selectors.measure_deadlines(measure))
        return Response(api_serializers.MeasureDetailOut(measure).data)


class DeadlineCollection(ApiView):
    required_scopes = Scope.MEASURES_READ

    @extend_schema(
        operation_id="termijnen_list",
        parameters=[
            OpenApiParameter("open", bool, description="Alleen niet-afgehandelde termijnen."),
            *CURSOR_PARAMS,
        ],
        responses=page_of(api_serializers.DeadlineOut, "TermijnPagina"),
    )
    def get(self, request):
        qs = measure_selectors.deadline_list(user=request.user)
        if request.query_params.get("open") == "true":
            qs = qs.filter(done=False)
        return _paged(self, request, qs, api_serializers.DeadlineOut)


# --- casustafel action items ------------------------------------------------------------------------


class ActionCollection(ApiView):
    required_scopes = Scope.ACTIONS_READ

    @extend_schema(
        operation_id="acties_list",
        parameters=[
            OpenApiParameter("mijn", bool, description="Alleen acties van mij of mijn organisatie."),
            OpenApiParameter("open", bool, description="Alleen niet-afgeronde acties."),
            *CURSOR_PARAMS,
        ],
        responses=page_of(api_serializers.ActionOut, "ActiePagina"),
    )
    def get(self, request):
        qs = meeting_selectors.action_list(
            user=request.user,
            mine=request.query_params.get("mijn") == "true",
            open_only=request.query_params.get("open") == "true",
        )
        return _paged(self, request, qs, api_serializers.ActionOut)


class ActionItemView(ApiView):
    required_scopes = {"GET": Scope.ACTIONS_READ, "PATCH": Scope.ACTIONS_WRITE}

    @extend_schema(operation_id="acties_read", responses=api_serializers.ActionOut)
    def get(self, request, pk: int):
        action = get_action_for_user(request.user, pk)
        return Response(api_serializers.ActionOut(action, context={"request": request}).data)

    @extend_schema(
        operation_id="acties_partial_update",
        request=api_serializers.ActionUpdateIn,
        responses=api_serializers.ActionOut,
    )
    def patch(self, request, pk: int):
        action = get_action_for_user(request.user, pk)
        body = api_serializers.ActionUpdateIn(data=request.data)
        body.is_valid(raise_exception=True)
        action_set_status(
            actor=request.user,
            action=action,
            status=body.validated_data["status"],
            note=body.validated_data["toelichting"],
        )
        action = get_action_for_user(request.user, pk)
        return Response(api_serializers.ActionOut(action, context={"request": request}).data)


# --- figures and the deadline calculator -------------------------------------------------------------


class FigureCollection(ApiView):
    required_scopes = Scope.FIGURES_READ

    @extend_schema(
        operation_id="cijfers_list",
        parameters=[OpenApiParameter("van", OpenApiTypes.DATE), OpenApiParameter("tot", OpenApiTypes.DATE)],
        responses=inline_serializer("Cijfers", {"figuren": api_serializers.FigureOut(many=True)}),
    )
    def get(self, request):
        filters = dash.DashFilters(date_from=_date(request, "van"), date_to=_date(request, "tot"))
        if dash_perms.can_view_management(request.user):
            figures = dash.management_figures(user=request.user, f=filters)
        elif request.user.has_perm(dash_perms.PERM_VIEW):
            figures = dash.signal_figures(user=request.user, f=filters)
        else:
            raise Http404
        return Response({"figuren": api_serializers.FigureOut(figures, many=True).data})


class DeadlineCalculation(ApiView):
    required_scopes = Scope.CALCULATOR

    @extend_schema(
        operation_id="termijnberekeningen_create",
        request=api_serializers.CalculatorIn,
        responses=inline_serializer(
            "Termijnberekening",
            {"procedure": serializers.CharField(), "termijnen": api_serializers.ComputedOut(many=True)},
        ),
    )
    def post(self, request):
        from measures.calculator import ScenarioError, compute

        body = api_serializers.CalculatorIn(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            result = compute(body.validated_data["procedure"], body.validated_data["gebeurtenissen"])
        except ScenarioError as exc:
            raise ApplicationError(str(exc), field="gebeurtenissen")
        return Response(
            {
                "procedure": body.validated_data["procedure"],
                "termijnen": api_serializers.ComputedOut(result.deadlines, many=True).data,
            }
        )


# --- processing log (LDV reading extension) -----------------------------------------------------


def _epoch_ms(request, name: str):
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    from datetime import UTC, datetime

    try:
        return datetime.fromtimestamp(int(raw) / 1000, tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise ApplicationError(_("Geef een tijdstip in milliseconden sinds 1970."), field=name)


class ProcessingRecordCollection(ApiView):
    """The processing log read in the shape of the LDV "lezen" extension: by ``traceId``, by
    ``processingActivityId`` (the activity's URI) or by ``dataSubjectId`` (the pseudonym) or
    ``dataSubjectKind`` + ``dataSubjectNumber`` (VIK computes the pseudonym), with ``startTime``
    and ``endTime`` in epoch milliseconds. At least one of the three, else 400. Only for clients
    with the privacy scope whose account may read the access log."""

    required_scopes = Scope.PROCESSING_READ

    @extend_schema(
        operation_id="verwerkingen_list",
        parameters=[
            OpenApiParameter("traceId", str, description="W3C trace-id (32 hex)."),
            OpenApiParameter("processingActivityId", str, description="URI van de verwerkingsactiviteit."),
            OpenApiParameter("dataSubjectId", str, description="Pseudoniem van de betrokkene."),
            OpenApiParameter("dataSubjectKind", str, enum=["person", "organisation", "address", "vehicle"]),
            OpenApiParameter("dataSubjectNumber", int, description="Nummer van de betrokkene in VIK."),
            OpenApiParameter("startTime", int, description="Vanaf (epoch ms)."),
            OpenApiParameter("endTime", int, description="Tot (epoch ms)."),
            *CURSOR_PARAMS,
        ],
        responses=page_of(api_serializers.ProcessingRecordOut, "VerwerkingPagina"),
    )
    def get(self, request):
        from vik.core import ldv
        from vik.core.models import ProcessingActivity

        if not request.user.has_perm("core.view_access_log"):
            raise Http404
        q = request.query_params
        pseudonym = q.get("dataSubjectId", "")[:64]
        kind, number = q.get("dataSubjectKind", ""), q.get("dataSubjectNumber", "")
        if kind or number:
            types = {v: k for k, v in ldv.SUBJECT_TYPES.items()}
            if kind not in types or not number.isdigit() or len(number) > 18:
                raise ApplicationError(
                    _("Geef een geldige soort en nummer van de betrokkene."), field="dataSubjectKind"
                )
            pseudonym = ldv.pseudonym(types[kind], int(number))
        activity_id = None
        uri = q.get("processingActivityId", "")
        if uri:
            activity_id = ProcessingActivity.objects.filter(uri=uri).values_list("id", flat=True).first()
            if activity_id is None:
                raise ApplicationError(_("Onbekende verwerkingsactiviteit."), field="processingActivityId")
        trace_id = q.get("traceId", "").lower()
        if trace_id and not (len(trace_id) == 32 and all(c in "0123456789abcdef" for c in trace_id)):
            raise ApplicationError(_("Een trace-id bestaat uit 32 hexadecimale tekens."), field="traceId")
        if not (pseudonym or activity_id or trace_id):
            raise ApplicationError(
                _("Geef traceId, processingActivityId of dataSubjectId op (ten minste één)."), field="traceId"
            )
        rows = ldv.records_query(
            subject_pseudonym=pseudonym,
            activity_id=activity_id,
            trace_id=trace_id,
            start=_epoch_ms(request, "startTime"),
            end=_epoch_ms(request, "endTime"),
        )
        return _paged(self, request, rows, api_serializers.ProcessingRecordOut)
