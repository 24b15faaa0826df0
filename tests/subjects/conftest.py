import pytest

from django.apps import apps
from django.db import connection, models

from subjects.models import Person


@pytest.fixture
def analyst(make_user):
    return make_user("analyst", username="anouk")


@pytest.fixture
def reference_model(db):
    """A model of a pretend later app with a foreign key to Person, created for one test: the
    merge must find it through the model metadata without any change in the subjects app."""
    meta = type("Meta", (), {"app_label": "subjects", "db_table": "subjects_test_casefile"})
    model = type(
        "TestCasefile",
        (models.Model,),
        {
            "__module__": "subjects.models",
            "Meta": meta,
            "title": models.CharField(max_length=50),
            "person": models.ForeignKey(Person, on_delete=models.PROTECT, null=True, related_name="+"),
        },
    )
    with connection.schema_editor() as editor:
        editor.create_model(model)
    yield model
    apps.all_models["subjects"].pop("testcasefile", None)
    apps.clear_cache()
