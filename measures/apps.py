from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Maatregelen")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from django.db.models.signals import post_migrate

        from vik.core.deadline_rules import register_deadline_rule_source
        from vik.core.registry import (
            register_case_kind,
            register_nav,
            register_seeder,
            register_timeline,
            registry,
        )
        from vik.core.roles import register_role_permissions

        from . import providers, seed
        from .defaults import on_post_migrate
        from .models import (
            Deadline,
            DeadlineRule,
            EscalationMatrix,
            EscalationStep,
            Forfeiture,
            Measure,
            MeasureEvent,
            Receivable,
        )
        from .permissions import resolve_measure
        from .selectors import deadline_rule_rows

        register_deadline_rule_source(deadline_rule_rows)

        auditlog.register(Measure, exclude_fields=["visible_to"], m2m_fields={"signals"})
        auditlog.register(Receivable, exclude_fields=["visible_to"])
        for model in (MeasureEvent, Deadline, DeadlineRule, EscalationMatrix, EscalationStep, Forfeiture):
            auditlog.register(model)

        from .roles import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)
        register_nav(30, _("Maatregelen"), "measures:list", "measures.view_measure")
        register_nav(31, _("Mijn termijnen"), "measures:my_deadlines", "measures.view_measure")
        register_nav(32, _("Afpakken"), "measures:afpak", "measures.view_receivable")
        register_nav(80, _("Termijnregels"), "measures:rules", "measures.change_deadlinerule")
        register_nav(81, _("Termijnenrekenhulp"), "measures:calculator", "measures.use_calculator")
        register_nav(82, _("Escalatiematrices"), "measures:matrices", "measures.change_escalationmatrix")
        register_case_kind("measure", _("Maatregel"), resolve_measure)
        register_timeline(providers.subject_timeline)
        if providers.deadlines_widget not in registry.dashboards:
            registry.dashboards.append(providers.deadlines_widget)
        register_seeder(30, "measures", seed.seed_demo)
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="measures.ensure_defaults")

        from vik.privacy.providers import register_dsar_section, register_retention_class

        from . import privacy

        register_retention_class(
            "measure_decision",
            _("Besluiten over maatregelen"),
            due=privacy.measure_due,
            destroy=privacy.measure_destroy,
            anonymise=privacy.measure_anonymise,
        )
        register_retention_class(
            "ledger",
            _("Afpakadministratie"),
            due=privacy.ledger_due,
            destroy=privacy.ledger_destroy,
            anonymise=privacy.ledger_anonymise,
        )
        register_dsar_section("measures", _("Maatregelen"), privacy.dsar_section)
