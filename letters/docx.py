"""Word files: content checks on upload, merge-field validation with the place of every error,
rendering with docxtpl, and the plain-text paragraphs the PDF copy is made from.

Merge fields are Jinja expressions (``{{ ontvanger.naam }}``, ``{% if ... %}``) as docxtpl reads
them. Validation lays the document out as one line per paragraph (body, tables, headers and
footers, in that order), so Jinja's line number names the paragraph of a syntax error, and the
lexer's name tokens name the paragraph of every unknown field.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass

import jinja2
from jinja2 import meta
from jinja2.sandbox import SandboxedEnvironment

from django.utils.translation import gettext as _

from vik.core.exceptions import ApplicationError

from .constants import MAX_UNPACKED, MAX_UPLOAD
from .fields import FIELDS, LOCAL_NAMES

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DOCXTPL_TAG = re.compile(r"\{([%{])(p|tr|tc|r)\s")


def env() -> SandboxedEnvironment:
    """The Jinja environment of every letter: sandboxed (a template is uploaded by a user),
    strict about undefined names, with the filters the letters use."""
    e = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
    return e


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_file(data: bytes, *, field: str = "file") -> None:
    """Refuse what is not a Word .docx by content, too large, or carrying macros."""
    if len(data) > MAX_UPLOAD:
        raise ApplicationError(
            _("Het bestand is te groot (meer dan %(mb)s MB).") % {"mb": MAX_UPLOAD // (1024 * 1024)},
            field=field,
        )
    if not data or not zipfile.is_zipfile(io.BytesIO(data)):
        raise ApplicationError(_("Dit is geen Word-document (.docx)."), field=field)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED:
                raise ApplicationError(_("Het bestand is uitgepakt te groot."), field=field)
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                raise ApplicationError(_("Dit is geen Word-document (.docx)."), field=field)
            types = z.read("[Content_Types].xml").decode("utf-8", "replace")
    except zipfile.BadZipFile:
        raise ApplicationError(_("Dit is geen Word-document (.docx)."), field=field)
    lowered = [n.lower() for n in names]
    if any(n.endswith("vbaproject.bin") or "/vba" in n or n.endswith(".bin") for n in lowered) or (
        "macroenabled" in types.lower()
    ):
        raise ApplicationError(
            _("Het document bevat macro's. Sla het op als gewoon Word-document (.docx) zonder macro's."),
            field=field,
        )
    if DOCX_MAIN not in types:
        raise ApplicationError(
            _(
                "Dit is geen gewoon Word-document (.docx); sjablonen (.dotx) en andere soorten worden niet aangenomen."
            ),
            field=field,
        )


@dataclass
class Paragraph:
    place: str
    text: str


def paragraphs(data: bytes) -> list[Paragraph]:
    """Every paragraph of the document with a Dutch name of its place."""
    import docx
    from docx.text.paragraph import Paragraph as DocxParagraph

    document = docx.Document(io.BytesIO(data))
    out: list[Paragraph] = []

    def add(place: str, text: str) -> None:
        out.append(Paragraph(place, text.replace("\n", " ").replace("\r", " ")))

    body_n = 0
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            body_n += 1
            add(_("alinea %(n)s") % {"n": body_n}, DocxParagraph(block, document).text)
    for t_n, table in enumerate(document.tables, start=1):
        for r_n, row in enumerate(table.rows, start=1):
            for c_n, cell in enumerate(row.cells, start=1):
                for p in cell.paragraphs:
                    add(_("tabel %(t)s, rij %(r)s, kolom %(c)s") % {"t": t_n, "r": r_n, "c": c_n}, p.text)
    for s_n, section in enumerate(document.sections, start=1):
        for label, part in ((_("koptekst"), section.header), (_("voettekst"), section.footer)):
            if part.is_linked_to_previous and s_n > 1:
                continue
            for p_n, p in enumerate(part.paragraphs, start=1):
                add(f"{label} {_('alinea')} {p_n}", p.text)
    return out


def _lines(paras: list[Paragraph]) -> str:
    return "\n".join(_DOCXTPL_TAG.sub(lambda m: "{" + m.group(1) + " ", p.text) for p in paras)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "…"


def validate_template(data: bytes, *, field: str = "file") -> list[str]:
    """Check a template; returns its merge fields (sorted). Raises ApplicationError naming every
    syntax error and every unknown field with its place in the document."""
    check_file(data, field=field)
    try:
        paras = paragraphs(data)
    except Exception:  # python-docx refuses a damaged package
        raise ApplicationError(_("Het Word-document kan niet worden gelezen."), field=field)
    source = _lines(paras)
    e = env()
    try:
        ast = e.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        where = paras[exc.lineno - 1] if exc.lineno and 0 < exc.lineno <= len(paras) else None
        place = f"{where.place} (‘{_excerpt(where.text)}’)" if where else _("onbekende plaats")
        raise ApplicationError(
            _("Fout in de opmaak van een samenvoegveld in %(place)s: %(msg)s")
            % {"place": place, "msg": exc.message},
            field=field,
        )
    problems: list[str] = []
    unknown = sorted(set(meta.find_undeclared_variables(ast)) - set(FIELDS) - LOCAL_NAMES)
    used = sorted(set(meta.find_undeclared_variables(ast)) & set(FIELDS))
    # attribute fields: zaak.nummer etc.
    for lineno, _token, value in _name_chains(e, source):
        head, _dot, attr = value.partition(".")
        place = paras[lineno - 1]
        if head in unknown:
            problems.append(_("onbekend veld ‘%(f)s’ in %(p)s") % {"f": value, "p": place.place})
        elif head in FIELDS and attr and FIELDS[head] and attr.split(".")[0] not in FIELDS[head]:
            problems.append(_("onbekend veld ‘%(f)s’ in %(p)s") % {"f": value, "p": place.place})
    if problems:
        seen: list[str] = []
        for p in problems:
            if p not in seen:
                seen.append(p)
        raise ApplicationError(_("Het sjabloon is niet aangenomen: ") + "; ".join(seen) + ".", field=field)
    return used


def _name_chains(e: jinja2.Environment, source: str):
    """(line, 'name', 'a.b') for every dotted name used inside a Jinja tag."""
    chain: list[str] = []
    chain_line = 0
    previous = ""
    inside = False
    for lineno, token, value in e.lex(source):
        if token in ("variable_begin", "block_begin"):
            inside = True
            chain, previous = [], ""
            continue
        if token in ("variable_end", "block_end"):
            if chain:
                yield chain_line, "name", ".".join(chain)
            inside, chain, previous = False, [], ""
            continue
        if not inside or token == "whitespace":
            continue
        if token == "name":
            if previous in ("|", "is"):  # a filter or test, not a field
                previous = token
                continue
            if chain and previous == ".":
                chain.append(value)
            else:
                if chain:
                    yield chain_line, "name", ".".join(chain)
                chain, chain_line = [value], lineno
            previous = "name"
            continue
        if token == "operator" and value == ".":
            previous = "."
            continue
        if chain:
            yield chain_line, "name", ".".join(chain)
            chain = []
        previous = value if token == "operator" else token


def render(template: bytes, context: dict) -> bytes:
    """The letter: the template with the context merged (escaped for Word's XML)."""
    from docxtpl import DocxTemplate

    doc = DocxTemplate(io.BytesIO(template))
    doc.render(context, jinja_env=env(), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def text_paragraphs(data: bytes) -> list[str]:
    """The letter's text, one string per paragraph (body and tables), for the PDF copy."""
    return [p.text for p in paragraphs(data) if not p.place.startswith((_("koptekst"), _("voettekst")))]
