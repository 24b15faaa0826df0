from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubjectsConfig(AppConfig):
    name = "subjects"
    verbose_name = _("Subjecten en objecten")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from vik.core.registry import register_nav, register_seeder
        from vik.core.roles import register_role_permissions

        from .models import Address, Link, MergeRecord, Organisation, Person, Vehicle
        from .seed import seed_subjects

        auditlog.register(
            Person, exclude_fields=["bsn", "bsn_index"]
        )  # never plaintext BSN in the change log
        for model in (Organisation, Address, Vehicle, Link, MergeRecord):
            auditlog.register(model)

        from .roles import ROLE_PERMISSIONS

        register_role_permissions(ROLE_PERMISSIONS)
        register_nav(10, _("Subjecten"), "subjects:search", "subjects.view_person")
        register_seeder(10, "subjects", seed_subjects)

        from vik.privacy.providers import register_dsar_section, register_person_resolver, register_rectifier

        from . import privacy

        register_person_resolver(privacy.resolve_person)
        from vik.privacy.providers import register_person_finder

        register_person_finder(privacy.find_persons)
        register_dsar_section("subjects", _("Persoonsgegevens en relaties"), privacy.dsar_section)
        register_rectifier(
            "subjects.person",
            privacy.rectify,
            kind=_("Persoon"),
            fields={
                "voornamen": _("Voornamen"),
                "voorvoegsel": _("Voorvoegsel"),
                "geslachtsnaam": _("Geslachtsnaam"),
                "birth_place": _("Geboorteplaats"),
            },
        )
        from vik.privacy.providers import register_record_finder

        register_record_finder(privacy.find_records)
