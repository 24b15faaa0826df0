"""The access export as HTML and PDF (weasyprint, Dutch)."""

from __future__ import annotations

import json
from typing import Any

from django.template.loader import render_to_string

from vik.core.pdf import render_pdf

from .models import DataSubjectRequest


def dsar_answer_data(dsr: DataSubjectRequest) -> dict[str, Any]:
    return json.loads(dsr.answer) if dsr.answer else {}


def dsar_html(dsr: DataSubjectRequest) -> str:
    return render_to_string("privacy/dsar_pdf.html", {"dsr": dsr, "a": dsar_answer_data(dsr)})


def dsar_pdf(dsr: DataSubjectRequest) -> bytes:
    return render_pdf(dsar_html(dsr), kind="privacy.dsar")
