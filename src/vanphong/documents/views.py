"""Pages of the văn thư: inbox, registers, registering, routing, handling, drafting and issuing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vanphong.core import audit, spreadsheets
from vanphong.core.access import Actor, access_object, require
from vanphong.core.downloads import file_response, stored_file_response
from vanphong.core.forms import uploaded
from vanphong.core.pages import errors_to_form, show_errors
from vanphong.core.tenancy import actor_of
from vanphong.documents import attachments, incoming, numbering, outgoing, registers, selectors, workflow
from vanphong.documents.forms import (
    AttachForm,
    HandledForm,
    IncomingForm,
    NoteForm,
    OutgoingForm,
    ReasonForm,
    RegisterFilterForm,
    RoutingForm,
)
from vanphong.documents.models import (
    Attachment,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
    Routing,
)
from vanphong.documents.permissions import DRAFT, REGISTER, ROUTE
from vanphong.documents.rendering import pdf_available, render_docx, render_pdf

PAGE_SIZE = 50


def _filter(
    request: HttpRequest, statuses: list[tuple[str, Any]], by_sender: bool = True
) -> tuple[RegisterFilterForm, selectors.RegisterFilter]:
    """The register's filters; without a year or dates asked for, this year's register (numbers start
    again each year, so two years together show two "số đến 1"). An empty year asks for every year."""
    data = request.GET.copy()
    if not {"year", "date_from", "date_to"} & set(data):
        data["year"] = str(timezone.localdate().year)
    form = RegisterFilterForm(data, statuses=statuses, by_sender=by_sender, actor=actor_of(request))
    if form.is_valid():
        return form, selectors.RegisterFilter(
            **{k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        )
    return form, selectors.RegisterFilter()


def inbox(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    docs = selectors.inbox(actor)
    page = Paginator(docs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/inbox.html",
        {
            "page": page,
            "drafts": selectors.drafts(actor)[:20],
            "counts": selectors.counts_by_deadline(docs.order_by()),
            "can_register": actor.has_perm(REGISTER),
            "can_draft": actor.has_perm(DRAFT),
        },
    )


def _register_page(
    request: HttpRequest,
    register: spreadsheets.Register,
    docs: Any,
    criteria: selectors.RegisterFilter,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A register as a page, or with ?export=xlsx / ?export=print, as a spreadsheet or a print view."""
    export = request.GET.get("export")
    if export == "xlsx":
        actor = actor_of(request)
        filters = spreadsheets.described(context["form"])
        return spreadsheets.xlsx_response(
            register, docs, criteria, organisation=actor.organisation, filters=filters
        )
    if export == "print":
        return render(
            request, "documents/register_print.html", spreadsheets.print_context(register, docs, criteria)
        )
    page = Paginator(docs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template, {**context, "page": page})


def incoming_register(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form, criteria = _filter(request, list(IncomingStatus.choices))
    return _register_page(
        request,
        registers.INCOMING,
        selectors.incoming_register(actor, criteria),
        criteria,
        "documents/incoming_register.html",
        {"form": form, "can_register": actor.has_perm(REGISTER)},
    )


def outgoing_register(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    statuses = [OutgoingStatus.ISSUED, OutgoingStatus.CANCELLED]
    form, criteria = _filter(request, [(status, status.label) for status in statuses], by_sender=False)
    return _register_page(
        request,
        registers.OUTGOING,
        selectors.outgoing_register(actor, criteria),
        criteria,
        "documents/outgoing_register.html",
        {"form": form, "can_draft": actor.has_perm(DRAFT), "drafts": selectors.drafts(actor)},
    )


def followup_register(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form, criteria = _filter(request, list(IncomingStatus.choices))
    docs = selectors.followup_register(actor, criteria).prefetch_related(
        Prefetch(
            "routings", queryset=Routing.objects.prefetch_related("assignments__unit", "assignments__user")
        )
    )
    return _register_page(
        request, registers.FOLLOWUP, docs, criteria, "documents/followup_register.html", {"form": form}
    )


@require_http_methods(["GET", "POST"])
def incoming_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(actor, REGISTER)
    # A wrong registration is corrected by a new one linked to it (the old number stays recorded).
    replaces_id = request.POST.get("replaces") or request.GET.get("replaces")
    replaces = access_object(actor, IncomingDocument, replaces_id) if replaces_id else None
    initial = {}
    if replaces is not None:
        initial = {
            field: getattr(replaces, field)
            for field in (
                "doc_type",
                "sender_name",
                "sender_reference",
                "document_date",
                "summary",
                "secrecy",
                "urgency",
                "pages",
                "copies",
            )
        }
    form = IncomingForm(request.POST or None, request.FILES or None, actor=actor, initial=initial)
    duplicate = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            doc = incoming.register_incoming(
                actor,
                doc_type=data["doc_type"],
                summary=data["summary"],
                sender_name=data["sender_name"],
                sender_reference=data["sender_reference"],
                document_date=data["document_date"],
                arrived_at=data["arrived_at"],
                secrecy=data["secrecy"],
                urgency=data["urgency"],
                pages=data["pages"],
                copies=data["copies"],
                files=uploaded(data["attachments"]),
                allow_duplicate=data["confirm_duplicate"] or replaces is not None,
                replaces=replaces,
            )
        except ValidationError as error:
            duplicate = getattr(error, "code", None) == "duplicate"
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Registered as arrival number %(number)s.")
                % {"number": f"{doc.arrival_number}/{doc.arrival_year}"},
            )
            return redirect("documents:incoming", pk=doc.pk)
    return render(
        request, "documents/incoming_form.html", {"form": form, "duplicate": duplicate, "replaces": replaces}
    )


def incoming_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    return _incoming_page(request, _incoming_for_page(actor, pk))


def _incoming_for_page(actor: Actor, pk: int) -> IncomingDocument:
    return access_object(
        actor,
        selectors.with_deadline_state(
            actor, IncomingDocument.objects.select_related("doc_type", "reply", "source_outgoing", "replaces")
        ),
        pk,
    )


# The incoming page's forms, by the action that offers each.
INCOMING_FORMS = {
    "routing_form": ("routed", RoutingForm),
    "note_form": ("note", NoteForm),
    "handled_form": ("handled", HandledForm),
    "attach_form": ("attach", AttachForm),
    "cancel_form": ("cancelled", ReasonForm),
}


def _incoming_page(
    request: HttpRequest, doc: IncomingDocument, typed: dict[str, Any] | None = None
) -> HttpResponse:
    """The page of an incoming document; `typed` holds a form sent back with its errors, as typed."""
    from vanphong.documents.ocr import page_context

    actor = actor_of(request)
    routing = doc.routings.prefetch_related("assignments__unit", "assignments__user").first()
    actions = workflow.incoming_actions(actor, doc)
    attachments = list(doc.attachments.filter(note__isnull=True))
    forms_shown = {
        name: form_class(actor=actor) if action in actions else None
        for name, (action, form_class) in INCOMING_FORMS.items()
    }
    forms_shown.update(typed or {})
    return render(
        request,
        "documents/incoming_detail.html",
        {
            "doc": doc,
            "routing": routing,
            "attachments": attachments,
            "ocr": page_context(attachments),
            "notes": doc.notes.select_related("author").prefetch_related("attachments"),
            "actions": actions,
            **forms_shown,
            "can_register": actor.has_perm(REGISTER),
        },
        status=422 if typed else 200,
    )


def _incoming_action(request: HttpRequest, pk: int, name: str, action: Any, success: str) -> HttpResponse:
    """Take an action from a form of the incoming page: done, back to the page with a message; refused,
    the page again with the form as it was typed and each error under its field."""
    actor = actor_of(request)
    doc = access_object(actor, IncomingDocument, pk)
    form = INCOMING_FORMS[name][1](request.POST, request.FILES, actor=actor)
    if form.is_valid():
        try:
            action(actor, doc, form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, success)
            return redirect("documents:incoming", pk=doc.pk)
    return _incoming_page(request, _incoming_for_page(actor, pk), {name: form})


@require_POST
def incoming_route(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    require(actor, ROUTE)

    def act(actor: Actor, doc: IncomingDocument, data: dict[str, Any]) -> None:
        incoming.route_incoming(actor, doc, **data)

    return _incoming_action(request, pk, "routing_form", act, _("Routed for handling."))


@require_POST
def incoming_note(request: HttpRequest, pk: int) -> HttpResponse:
    def act(actor: Actor, doc: IncomingDocument, data: dict[str, Any]) -> None:
        incoming.add_note(
            actor, doc, text=data["text"], kind=data["kind"], files=uploaded(data["attachments"])
        )

    return _incoming_action(request, pk, "note_form", act, _("Saved."))


@require_POST
def incoming_handled(request: HttpRequest, pk: int) -> HttpResponse:
    def act(actor: Actor, doc: IncomingDocument, data: dict[str, Any]) -> None:
        incoming.mark_handled(actor, doc, text=data["text"], reply=data["reply"])

    return _incoming_action(request, pk, "handled_form", act, _("Marked handled."))


@require_POST
def incoming_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    def act(actor: Actor, doc: IncomingDocument, data: dict[str, Any]) -> None:
        incoming.cancel_incoming(actor, doc, reason=data["reason"])

    return _incoming_action(
        request, pk, "cancel_form", act, _("Registration cancelled; its number stays recorded.")
    )


@require_POST
def incoming_attach(request: HttpRequest, pk: int) -> HttpResponse:
    def act(actor: Actor, doc: IncomingDocument, data: dict[str, Any]) -> None:
        attachments.add_attachments(actor, uploaded(data["attachments"]), incoming=doc)

    return _incoming_action(request, pk, "attach_form", act, _("Files added."))


# -- outgoing -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def outgoing_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = actor_of(request)
    require(actor, DRAFT)
    doc = access_object(actor, OutgoingDocument, pk) if pk is not None else OutgoingDocument()
    if pk is not None and doc.status != OutgoingStatus.DRAFT:
        messages.error(request, _("Only a draft can be changed; return it to draft first."))
        return redirect("documents:outgoing", pk=doc.pk)
    if pk is None and request.GET.get("reply_to"):
        doc.reply_to = access_object(actor, IncomingDocument, request.GET["reply_to"])
        doc.addressees = doc.reply_to.sender_name  # a reply is addressed to the sender
    form = OutgoingForm(request.POST or None, request.FILES or None, instance=doc, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            doc = outgoing.save_draft(
                actor,
                form.save(commit=False),
                internal_recipients=form.cleaned_data["internal_recipients"],
                files=uploaded(form.cleaned_data["attachments"]),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("documents:outgoing", pk=doc.pk)
    return render(request, "documents/outgoing_form.html", {"form": form, "doc": doc})


def outgoing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    doc = access_object(
        actor, OutgoingDocument.objects.select_related("doc_type", "signer", "replaces", "reply_to"), pk
    )
    actions = workflow.outgoing_actions(actor, doc)
    return render(
        request,
        "documents/outgoing_detail.html",
        {
            "doc": doc,
            "number_line": numbering.number_line(doc),
            "attachments": doc.attachments.all(),
            "recipients": doc.internal_recipients.select_related("organisation", "delivered"),
            "actions": actions,
            "issue_preview": _issue_preview(doc) if "issued" in actions else None,
            "pdf_available": pdf_available(),
            "corrections": doc.replaced_by.all(),
            "timeline": audit.timeline(doc, workflow.OUTGOING_HISTORY, workflow.OUTGOING_HISTORY_NOTES),
        },
    )


def _issue_preview(doc: OutgoingDocument) -> dict[str, Any]:
    """What issuing today would write on the document, for the office to confirm; or why it cannot."""
    today = timezone.localdate()
    try:
        return {"reference": numbering.next_reference(doc, today), "day": today}
    except ValidationError as error:
        return {"error": " ".join(error.messages)}


OUTGOING_ACTIONS = {
    "submit": (outgoing.submit_for_approval, _("Sent to the signer for approval.")),
    "approve": (outgoing.approve, _("Approved.")),
    "issue": (outgoing.issue, _("Issued.")),
    "correct": (outgoing.start_correction, _("A correcting draft was created.")),
}


@require_POST
def outgoing_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = actor_of(request)
    doc = access_object(actor, OutgoingDocument, pk)
    try:
        if action in ("cancel", "return"):
            form = ReasonForm(request.POST, actor=actor)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            if action == "cancel":
                result, message = outgoing.cancel_outgoing(actor, doc, reason=reason), _("Cancelled.")
            else:
                result, message = outgoing.return_to_draft(actor, doc, reason=reason), _("Returned to draft.")
        elif action in OUTGOING_ACTIONS:
            function, message = OUTGOING_ACTIONS[action]
            result = function(actor, doc)
        else:
            return HttpResponse(status=404)
    except ValidationError as error:
        show_errors(request, error)
        return redirect("documents:outgoing", pk=doc.pk)
    if action == "issue":
        message = _("Issued as %(number)s.") % {"number": numbering.number_line(result)}
    messages.success(request, str(message))
    return redirect("documents:outgoing", pk=result.pk)


def outgoing_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The document in the Party's format from its data: DOCX, or PDF where LibreOffice is installed."""
    actor = actor_of(request)
    doc = access_object(
        actor, OutgoingDocument.objects.select_related("doc_type", "signer", "organisation"), pk
    )
    docx = render_docx(outgoing.render_input(doc))
    name = outgoing.file_name(doc)
    if fmt == "pdf":
        if not pdf_available():
            messages.error(request, _("PDF is not available: LibreOffice is not installed on the server."))
            return redirect("documents:outgoing", pk=doc.pk)
        response = HttpResponse(render_pdf(docx), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    response = HttpResponse(
        docx, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response


def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    attachment = access_object(actor, Attachment.objects.select_related("incoming", "outgoing"), pk)
    return stored_file_response(attachment, attachments.open_attachment(actor, attachment))


def attachment_ocr(request: HttpRequest, pk: int) -> HttpResponse:
    """The searchable PDF/A that OCR made from a scanned attachment (the original stays as it was)."""
    from django.http import Http404

    actor = actor_of(request)
    attachment = access_object(actor, Attachment.objects.select_related("incoming", "outgoing"), pk)
    if not attachment.ocr_path:
        raise Http404
    data = attachments.open_attachment_ocr(actor, attachment)
    name = f"{attachment.original_name.rpartition('.')[0] or attachment.original_name} (OCR).pdf"
    return file_response(data, name, "application/pdf", inline=True)
