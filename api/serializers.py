"""Request and response shapes. Field names are lowerCamelCase (NL API Design Rules); resource
names Dutch. Responses never carry the confidential narrative or subject data of a signal."""

from __future__ import annotations

from rest_framework import serializers

from django.utils.translation import gettext_lazy as _

from meetings.constants import ActionStatus
from signals.constants import LegalRegime, ReliabilityInformation, ReliabilitySource, SignalStatus

from .rest import StrictSerializer


class SignalOut(serializers.Serializer):
    id = serializers.IntegerField()
    bron = serializers.CharField(source="source.code")
    fenomenen = serializers.SerializerMethodField()
    ontvangenOp = serializers.DateField(source="received_date")
    samenvatting = serializers.CharField(source="summary")
    juridischRegime = serializers.ChoiceField(source="legal_regime", choices=LegalRegime.choices)
    compartiment = serializers.CharField(source="compartment")
    status = serializers.ChoiceField(choices=SignalStatus.choices)
    betrouwbaarheidBron = serializers.CharField(source="reliability_source")
    betrouwbaarheidInformatie = serializers.CharField(source="reliability_information")
    externKenmerk = serializers.CharField(source="external_ref")
    voorCasustafel = serializers.BooleanField(source="casustafel")
    aangemaaktOp = serializers.DateTimeField(source="created_at")

    def get_fenomenen(self, obj) -> list[str]:
        return sorted(p.code for p in obj.phenomena.all())


class SignalIn(StrictSerializer):
    ontvangenOp = serializers.DateField(help_text=_("Datum van ontvangst (niet in de toekomst)."))
    fenomenen = serializers.ListField(child=serializers.SlugField(max_length=30), min_length=1, max_length=10)
    samenvatting = serializers.CharField(
        max_length=200, help_text=_("Korte, niet-vertrouwelijke samenvatting.")
    )
    toelichting = serializers.CharField(
        max_length=20000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Vertrouwelijke toelichting (versleuteld opgeslagen)."),
    )
    juridischRegime = serializers.ChoiceField(choices=LegalRegime.choices, default=LegalRegime.AVG)
    wpgVoorwaarden = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    betrouwbaarheidBron = serializers.ChoiceField(
        choices=ReliabilitySource.choices, default=ReliabilitySource.X
    )
    betrouwbaarheidInformatie = serializers.ChoiceField(
        choices=ReliabilityInformation.choices, default=ReliabilityInformation.FOUR
    )
    externKenmerk = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    bron = serializers.SlugField(
        max_length=30,
        required=False,
        default="",
        help_text=_("Broncode; standaard de bron van de koppeling (bijvoorbeeld politie)."),
    )


class StatusChangeIn(StrictSerializer):
    status = serializers.ChoiceField(choices=SignalStatus.choices)
    toelichting = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DeadlineOut(serializers.Serializer):
    id = serializers.IntegerField()
    sleutel = serializers.CharField(source="key")
    omschrijving = serializers.CharField(source="label")
    uitersteDatum = serializers.DateField(source="due_date")
    afgehandeld = serializers.BooleanField(source="done")
    opgeschort = serializers.BooleanField(source="paused")
    maatregel = serializers.IntegerField(source="measure_id")


class MeasureOut(serializers.Serializer):
    id = serializers.IntegerField()
    soort = serializers.CharField(source="kind")
    toestand = serializers.CharField(source="state")
    titel = serializers.CharField(source="title")
    grondslag = serializers.CharField(source="legal_basis")
    aangemaaktOp = serializers.DateTimeField(source="created_at")


class MeasureDetailOut(MeasureOut):
    termijnen = DeadlineOut(many=True, source="api_deadlines")


class ActionOut(serializers.Serializer):
    id = serializers.IntegerField()
    omschrijving = serializers.CharField(source="description")
    uiterlijk = serializers.DateField(source="due_date")
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    casustafel = serializers.IntegerField(source="meeting_id")
    eigenaarOrganisatie = serializers.CharField(source="owner_org.name", allow_null=True, default=None)
    magBijwerken = serializers.SerializerMethodField()

    def get_magBijwerken(self, obj) -> bool:
        from meetings.permissions import may_update_action

        return may_update_action(self.context["request"].user, obj)


class ActionUpdateIn(StrictSerializer):
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    toelichting = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class SubjectHitOut(serializers.Serializer):
    soort = serializers.CharField(source="kind")
    id = serializers.IntegerField()
    naam = serializers.CharField(source="label")
    kenmerken = serializers.CharField(source="detail")


class PersonOut(serializers.Serializer):
    id = serializers.IntegerField()
    voornamen = serializers.CharField()
    voorvoegsel = serializers.CharField()
    geslachtsnaam = serializers.CharField()
    geboortedatum = serializers.DateField(source="birth_date", allow_null=True)


class OrganisationOut(serializers.Serializer):
    id = serializers.IntegerField()
    naam = serializers.CharField(source="name")
    kvkNummer = serializers.CharField(source="kvk_number", allow_blank=True)


class AddressOut(serializers.Serializer):
    id = serializers.IntegerField()
    omschrijving = serializers.CharField(source="__str__")


class FigureOut(serializers.Serializer):
    sleutel = serializers.CharField(source="key")
    titel = serializers.CharField(source="title")
    kolommen = serializers.ListField(child=serializers.CharField(), source="columns")
    rijen = serializers.SerializerMethodField(
        help_text=_("Rijen; een onderdrukte cel (kleiner dan 5) is een tekst, geen getal.")
    )

    def get_rijen(self, obj) -> list[list[str]]:
        return obj.display_rows()


class CalculatorIn(StrictSerializer):
    procedure = serializers.CharField(max_length=60)
    gebeurtenissen = serializers.ListField(child=serializers.DictField(), max_length=50)


class ComputedOut(serializers.Serializer):
    code = serializers.CharField()
    omschrijving = serializers.CharField(source="label")
    artikel = serializers.CharField(source="article")
    uitersteDatum = serializers.DateField(source="due", allow_null=True)
    termijn = serializers.CharField(source="term")
    toelichting = serializers.ListField(child=serializers.CharField(), source="steps")


class ProcessingRecordOut(serializers.Serializer):
    """One LDV record: the span of one processing action about one data subject."""

    traceId = serializers.CharField(source="trace_id")
    spanId = serializers.CharField(source="span_id")
    parentSpanId = serializers.CharField(source="parent_span_id")
    name = serializers.CharField()
    startTime = serializers.SerializerMethodField()
    endTime = serializers.SerializerMethodField()
    statusCode = serializers.IntegerField(source="status")
    processingActivityId = serializers.CharField(source="activity_uri")
    processingActivityVersion = serializers.IntegerField(source="activity_version", allow_null=True)
    dataSubjectId = serializers.CharField(source="subject_pseudonym")
    dataSubjectIdType = serializers.CharField(source="subject_type")
    foreignOperation = serializers.SerializerMethodField()

    def get_startTime(self, obj) -> int:
        return int(obj.started_at.timestamp() * 1000)

    def get_endTime(self, obj) -> int:
        return int(obj.ended_at.timestamp() * 1000)

    def get_foreignOperation(self, obj) -> dict | None:
        if not obj.foreign_trace_id:
            return None
        return {"traceId": obj.foreign_trace_id, "spanId": obj.foreign_span_id}
