"""Templates: the starter set for every step, and what an upload refuses (with the place)."""

from __future__ import annotations

import io
import zipfile

import pytest

from letters import docx as wd
from letters import services, starter
from letters.constants import KINDS, MAX_UPLOAD
from letters.models import LetterTemplate
from tests.letters.conftest import docx_text, docx_with
from vik.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_step_has_a_starter_template_that_validates_and_previews(kind):
    data = starter.build(kind)
    used = wd.validate_template(data)
    assert used, kind
    text = docx_text(services.template_preview(kind))
    assert "{{" not in text and "Voorbeeld" in text


def test_starter_covers_the_steps_of_domain_1_2_to_1_5():
    assert {
        "voornemen_sluiting",
        "besluit_sluiting",
        "last_onder_dwangsom",
        "invorderingsbeschikking",
        "last_onder_bestuursdwang",
        "kostenbeschikking",
        "bibob_vragenformulier",
        "bibob_voornemen",
        "bibob_besluit",
        "bibob_zienswijze_derde",
        "bibob_art28",
    } <= set(starter.BODIES)


def test_upload_versions_a_valid_template(users):
    admin = users["functional_admin"]
    data = docx_with("{{ ontvanger.naam }}", "Uiterlijk {{ termijn.zienswijze }}.")
    first = services.template_upload(actor=admin, kind="voornemen_sluiting", data=data, filename="a.docx")
    second = services.template_upload(actor=admin, kind="voornemen_sluiting", data=data, filename="b.docx")
    assert (first.version, second.version) == (1, 2)
    assert services.template_current("voornemen_sluiting")[1] == second
    assert first.fields == ["ontvanger", "termijn"]


def _refused(users, data) -> str:
    with pytest.raises(ApplicationError) as exc:
        services.template_upload(
            actor=users["functional_admin"], kind="voornemen_sluiting", data=data, filename="x"
        )
    assert not LetterTemplate.objects.exists()
    return exc.value.message


def test_unknown_fields_are_named_with_their_paragraph(users):
    message = _refused(
        users,
        docx_with("Aan {{ ontvanger.naam }}", "", "Beste {{ klant }}", "Termijn: {{ termijn.bezwaartijd }}"),
    )
    assert "‘klant’ in alinea 3" in message
    assert "‘termijn.bezwaartijd’ in alinea 4" in message


def test_syntax_error_is_named_with_its_paragraph(users):
    message = _refused(users, docx_with("Goed: {{ datum }}", "Kapot: {{ ontvanger.naam }", "rest"))
    assert "alinea 2" in message and "Kapot" in message


def test_unclosed_block_is_refused(users):
    message = _refused(users, docx_with("{% if besluit.duur %}", "tekst"))
    assert "samenvoegveld" in message


def test_not_a_docx_by_content_is_refused(users):
    assert "geen Word-document" in _refused(users, b"%PDF-1.7 dit is een pdf met .docx als naam")
    # a zip that is not a Word document
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hallo")
    assert "geen Word-document" in _refused(users, buf.getvalue())


def test_macros_are_refused(users):
    data = docx_with("{{ datum }}")
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("word/vbaProject.bin", b"\x00macro")
    assert "macro" in _refused(users, buf.getvalue())


def test_too_large_is_refused(users):
    assert "te groot" in _refused(users, b"PK" + b"0" * (MAX_UPLOAD + 1))


def test_upload_page_names_the_error_at_the_field(users, login):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client = login(users["functional_admin"])
    response = client.post(
        reverse("letters:templates"),
        {"kind": "voornemen_sluiting", "file": SimpleUploadedFile("s.docx", docx_with("{{ onbekend }}"))},
    )
    assert response.status_code == 400
    assert "onbekend veld ‘onbekend’ in alinea 1" in response.content.decode()
    page = client.get(reverse("letters:preview", args=["voornemen_sluiting"]))
    assert page.status_code == 200 and "J. de Voorbeeld" in page.content.decode()
