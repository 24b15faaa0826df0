"""Interfaces only: parse input, call one service or selector, render (STYLE.md rule 2)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from vik.core.exceptions import ApplicationError

from . import docx as wd
from . import fields, selectors, services, starter
from .constants import KINDS, LetterState
from .forms import GenerateForm, ReturnForm, SendForm, TemplateUploadForm, UploadForm
from .permissions import (
    ADD_LETTER,
    ADD_TEMPLATE,
    APPROVE_LETTER,
    CHECK_LETTER,
    VIEW_LETTER,
    VIEW_TEMPLATE,
    case_for_user,
    get_letter_for_user,
    get_template_for_admin,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise Http404


def _file(data: bytes, name: str, content_type: str = DOCX) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _field(form, exc: ApplicationError):
    return exc.field if exc.field in form.fields else None


class InboxView(View):
    """Brieven ter controle / ter ondertekening for the signed-in user, and their open drafts."""

    def get(self, request):
        _require(request.user, VIEW_LETTER)
        user = request.user
        return render(
            request,
            "letters/inbox.html",
            {
                "to_check": list(selectors.letters_to_check(user)[:200]),
                "to_sign": list(selectors.letters_to_sign(user)[:200]),
                "mine": list(selectors.my_open_letters(user)[:200]),
                "may_check": user.has_perm(CHECK_LETTER),
                "may_sign": user.has_perm(APPROVE_LETTER),
            },
        )


class GenerateView(View):
    """ "Brief maken" on a measure, with the template of its current step preselected."""

    template = "letters/generate.html"

    def _setup(self, request, pk):
        _require(request.user, ADD_LETTER)
        measure = case_for_user(request.user, measure_pk=pk)
        return measure

    def _form(self, measure, data=None, initial=None):
        return GenerateForm(
            data,
            initial=initial,
            kinds=selectors.kinds_for_measure(measure),
            signatories=services.signatories(measure=measure),
        )

    def get(self, request, pk):
        measure = self._setup(request, pk)
        kind = request.GET.get("soort") or selectors.suggested_kind(measure)
        form = self._form(measure, initial={"kind": kind, "planned_date": timezone.localdate()})
        return render(request, self.template, {"measure": measure, "form": form})

    def post(self, request, pk):
        measure = self._setup(request, pk)
        form = self._form(measure, request.POST)
        if form.is_valid():
            from vik.core.models import User

            cd = form.cleaned_data
            try:
                letter = services.letter_generate(
                    actor=request.user,
                    measure=measure,
                    kind=cd["kind"],
                    planned_date=cd["planned_date"],
                    signatory=User.objects.filter(pk=cd["signatory"]).first(),
                    params={"zienswijze_days": cd.get("zienswijze_days"), "amount": cd.get("amount")},
                    request=request,
                )
            except ApplicationError as exc:
                form.add_error(_field(form, exc), exc.message)
            else:
                messages.success(request, _("Brief %(r)s is gemaakt.") % {"r": letter.reference})
                return redirect("letters:detail", pk=letter.pk)
        return render(request, self.template, {"measure": measure, "form": form}, status=400)


class GenerateBibobView(GenerateView):
    """ "Brief maken" in a Bibob dossier; the letter stays in the Bibob compartment."""

    template = "letters/generate.html"

    def _setup(self, request, pk):
        _require(request.user, ADD_LETTER)
        return case_for_user(request.user, dossier_pk=pk)

    def _form(self, dossier, data=None, initial=None):
        return GenerateForm(
            data,
            initial=initial,
            kinds=selectors.kinds_for_dossier(),
            signatories=services.signatories(dossier=dossier),
        )

    def get(self, request, pk):
        dossier = self._setup(request, pk)
        kind = request.GET.get("soort") or selectors.suggested_kind_dossier(dossier)
        form = self._form(dossier, initial={"kind": kind, "planned_date": timezone.localdate()})
        return render(request, self.template, {"dossier": dossier, "form": form})

    def post(self, request, pk):
        dossier = self._setup(request, pk)
        form = self._form(dossier, request.POST)
        if form.is_valid():
            from vik.core.models import User

            cd = form.cleaned_data
            try:
                letter = services.letter_generate(
                    actor=request.user,
                    dossier=dossier,
                    kind=cd["kind"],
                    planned_date=cd["planned_date"],
                    signatory=User.objects.filter(pk=cd["signatory"]).first(),
                    request=request,
                )
            except ApplicationError as exc:
                form.add_error(_field(form, exc), exc.message)
            else:
                messages.success(request, _("Brief %(r)s is gemaakt.") % {"r": letter.reference})
                return redirect("letters:detail", pk=letter.pk)
        return render(request, self.template, {"dossier": dossier, "form": form}, status=400)


class LetterDetailView(View):
    def get(self, request, pk, upload_form=None, return_form=None, send_form=None, status=200):
        letter = get_letter_for_user(request.user, pk)
        user = request.user
        state = letter.state
        last = letter.versions.order_by("-number").first()
        ctx = {
            "letter": letter,
            "versions": list(letter.versions.select_related("uploaded_by").order_by("-number")),
            "printed": [
                (code, fields.page_date(timezone.datetime.fromisoformat(v).date()))
                for code, v in letter.printed_deadlines.items()
            ],
            "may_edit": user.has_perm(ADD_LETTER)
            and state in (LetterState.DRAFT, LetterState.TO_CHECK, LetterState.TO_SIGN),
            "may_submit": user.has_perm(ADD_LETTER) and state == LetterState.DRAFT,
            "may_check": user.has_perm(CHECK_LETTER)
            and state == LetterState.TO_CHECK
            and user.pk != letter.created_by_id
            and (last is None or last.uploaded_by_id != user.pk),
            "may_approve": user.has_perm(APPROVE_LETTER)
            and state == LetterState.TO_SIGN
            and user.pk == letter.signatory_id,
            "may_send": user.has_perm(ADD_LETTER) and state == LetterState.APPROVED,
            "upload_form": upload_form or UploadForm(),
            "return_form": return_form or ReturnForm(),
            "send_form": send_form or SendForm(initial={"sent_on": letter.planned_date}),
        }
        ctx["may_return"] = state != LetterState.SENT and (
            ctx["may_check"]
            or ctx["may_approve"]
            or (state == LetterState.APPROVED and user.has_perm(ADD_LETTER))
        )
        return render(request, "letters/detail.html", ctx, status=status)


class LetterActionView(View):
    """POST only: upload a version, submit, check, approve, return, send."""

    def post(self, request, pk, action):
        letter = get_letter_for_user(request.user, pk)
        user = request.user
        detail = LetterDetailView()
        try:
            if action == "upload":
                form = UploadForm(request.POST, request.FILES)
                if not form.is_valid():
                    return detail.get(request, pk, upload_form=form, status=400)
                try:
                    services.letter_upload(actor=user, letter=letter, data=form.cleaned_data["file"].read())
                except ApplicationError as exc:
                    form.add_error("file", exc.message)
                    return detail.get(request, pk, upload_form=form, status=400)
                messages.success(request, _("De nieuwe versie is opgeslagen."))
            elif action == "aanbieden":
                services.letter_submit(actor=user, letter=letter)
                messages.success(request, _("De brief staat ter controle."))
            elif action == "controleren":
                services.letter_check(actor=user, letter=letter)
                messages.success(request, _("Gecontroleerd: de brief staat ter ondertekening."))
            elif action == "goedkeuren":
                services.letter_approve(actor=user, letter=letter)
                messages.success(request, _("Goedgekeurd: de brief kan worden verzonden."))
            elif action == "terug":
                form = ReturnForm(request.POST)
                if not form.is_valid():
                    return detail.get(request, pk, return_form=form, status=400)
                try:
                    services.letter_return(actor=user, letter=letter, note=form.cleaned_data["note"])
                except ApplicationError as exc:
                    form.add_error("note", exc.message)
                    return detail.get(request, pk, return_form=form, status=400)
                messages.success(request, _("De brief is teruggestuurd naar concept."))
            elif action == "verzenden":
                form = SendForm(request.POST)
                if not form.is_valid():
                    return detail.get(request, pk, send_form=form, status=400)
                try:
                    services.letter_send(
                        actor=user, letter=letter, sent_on=form.cleaned_data["sent_on"], request=request
                    )
                except ApplicationError as exc:
                    form.add_error("sent_on", exc.message)
                    return detail.get(request, pk, send_form=form, status=400)
                messages.success(request, _("Verzending vastgelegd; de termijnen lopen."))
            else:
                raise Http404
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("letters:detail", pk=letter.pk)
        return redirect("letters:detail", pk=letter.pk)


class DownloadView(View):
    def get(self, request, pk):
        letter = get_letter_for_user(request.user, pk)
        data, name = services.letter_download(actor=request.user, letter=letter, request=request)
        return _file(data, name)


class PdfView(View):
    def get(self, request, pk):
        letter = get_letter_for_user(request.user, pk)
        data, name = services.letter_pdf_download(actor=request.user, letter=letter, request=request)
        return _file(data, name, "application/pdf")


class TemplateListView(View):
    """The functional admin's templates: versions per kind, upload, preview, field list."""

    template = "letters/templates.html"

    def _ctx(self, form):
        return {"rows": selectors.template_overview(), "form": form, "fields": fields.catalogue()}

    def get(self, request):
        _require(request.user, VIEW_TEMPLATE)
        return render(request, self.template, self._ctx(TemplateUploadForm()))

    def post(self, request):
        _require(request.user, ADD_TEMPLATE)
        form = TemplateUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                row = services.template_upload(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    data=upload.read(),
                    filename=upload.name,
                    note=form.cleaned_data.get("note", ""),
                )
            except ApplicationError as exc:
                form.add_error(_field(form, exc), exc.message)
            else:
                messages.success(request, _("Sjabloon %(t)s is opgeslagen.") % {"t": row})
                return redirect("letters:templates")
        return render(request, self.template, self._ctx(form), status=400)


class TemplatePreviewView(View):
    """The template merged with a fictitious demo case: as text on the page, or ?download=1."""

    def get(self, request, kind):
        _require(request.user, VIEW_TEMPLATE)
        if kind not in KINDS:
            raise Http404
        template = None
        if request.GET.get("versie"):
            template = get_template_for_admin(request.user, request.GET["versie"])
            if template.kind != kind:
                raise Http404
        try:
            data = services.template_preview(kind, template)
        except ApplicationError as exc:
            return render(
                request, "letters/preview.html", {"kind": KINDS[kind], "error": exc.message}, status=400
            )
        if request.GET.get("download"):
            return _file(data, f"voorbeeld-{kind}.docx")
        return render(
            request,
            "letters/preview.html",
            {"kind": KINDS[kind], "paragraphs": wd.text_paragraphs(data), "template": template},
        )


class StarterDownloadView(View):
    def get(self, request, kind):
        _require(request.user, VIEW_TEMPLATE)
        if kind not in KINDS:
            raise Http404
        return _file(starter.build(kind), f"standaard-{kind}.docx")
