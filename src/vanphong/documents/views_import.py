"""The page that imports an existing register from an XLSX or CSV file (documents.importing).

First a dry run: the file is checked and every problem is shown, nothing is written. When the file is
clean, the user chooses the same file again and confirms; the page keeps only the file's SHA-256
(in a hidden field), and the file is read and checked again before anything is imported.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from vanphong.core.access import Actor, require
from vanphong.core.forms import Form
from vanphong.core.models import Clearance
from vanphong.core.tenancy import actor_of
from vanphong.documents import importing
from vanphong.documents.models import IncomingStatus, OutgoingStatus, Urgency
from vanphong.documents.permissions import IMPORT

PREVIEW_ROWS = 20


class ImportForm(Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Register to import"),
        choices=[
            (importing.INCOMING, gettext_lazy("Incoming documents")),
            (importing.OUTGOING, gettext_lazy("Outgoing documents")),
        ],
        initial=importing.INCOMING,
        widget=forms.RadioSelect,
    )
    incoming_status = forms.ChoiceField(
        label=gettext_lazy("Imported incoming documents are"),
        choices=[
            (importing.HANDLED, gettext_lazy("already handled (the register's history)")),
            (importing.REGISTERED, gettext_lazy("still to be routed and handled")),
        ],
        initial=importing.HANDLED,
        widget=forms.RadioSelect,
        required=False,
    )
    file = forms.FileField(
        label=gettext_lazy("File (XLSX or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    sha256 = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_file(self) -> UploadedFile[Any]:
        upload: UploadedFile[Any] = self.cleaned_data["file"]
        if (upload.size or 0) > settings.MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)s MB.")
                % {"limit": settings.MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload

    def clean_incoming_status(self) -> str:
        return self.cleaned_data.get("incoming_status") or importing.HANDLED


REGISTER_URLS = {
    importing.INCOMING: "documents:incoming_register",
    importing.OUTGOING: "documents:outgoing_register",
}


@require_http_methods(["GET", "POST"])
def import_register(request: HttpRequest) -> HttpResponse:
    actor: Actor = actor_of(request)
    require(actor, IMPORT)
    form = ImportForm(
        request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")}, actor=actor
    )
    report: importing.Report | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload: UploadedFile[Any] = data["file"]
        content = upload.read()
        name = upload.name or "file"
        dry_run = request.POST.get("dry_run") == "1" or not data["sha256"]
        try:
            if dry_run:
                report = importing.check_file(
                    actor, data["kind"], name, content, incoming_status=data["incoming_status"]
                )
            else:
                report = importing.import_file(
                    actor,
                    data["kind"],
                    name,
                    content,
                    expected_sha256=data["sha256"],
                    incoming_status=data["incoming_status"],
                )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if report.imported:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s row imported from %(file)s.",
                        "%(count)s rows imported from %(file)s.",
                        report.imported,
                    )
                    % {"count": report.imported, "file": name},
                )
                return redirect(REGISTER_URLS[data["kind"]])
    context: dict[str, Any] = {
        "form": form,
        "report": report,
        "max_megabytes": settings.MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    if report is not None:
        context["preview_headers"], context["preview"] = _preview(report)
        context["kind_label"] = importing.KINDS[report.kind]
        context["confirm_form"] = ImportForm(
            auto_id="confirm_%s",
            initial={
                "kind": report.kind,
                "incoming_status": form.cleaned_data.get("incoming_status"),
                "sha256": report.sha256,
            },
            actor=actor,
        )
    return render(request, "documents/import.html", context)


def _preview(report: importing.Report) -> tuple[list[str], list[list[Any]]]:
    """The first rows as they will be imported, so the user sees that the columns were understood."""
    if report.kind == importing.INCOMING:
        headers = [_("Row"), _("Arrival number"), _("Arrival date"), _("Sender"), _("Number and symbol")]
    else:
        headers = [_("Row"), _("Number and symbol"), _("Date"), _("Signer"), _("Recipients")]
    headers += [_("Type and summary"), _("Secrecy"), _("Urgency"), _("Status")]
    rows = []
    for row in report.rows[:PREVIEW_ROWS]:
        values = row.fields
        if report.kind == importing.INCOMING:
            cells: list[Any] = [
                row.row,
                f"{values['arrival_number']}/{values['arrival_year']}",
                timezone.localtime(values["arrived_at"]).strftime("%d/%m/%Y %H:%M"),
                values["sender_name"],
                values["sender_reference"],
            ]
            status = IncomingStatus(values["status"]).label
        else:
            cells = [
                row.row,
                values["reference"],
                values["issued_on"].strftime("%d/%m/%Y"),
                values["signer"] or values["signer_title"],
                values["external_recipients"].replace("\n", "; "),
            ]
            status = OutgoingStatus(values["status"]).label
        cells += [
            f"{values['doc_type'].name}: {values['summary']}",
            Clearance(values["secrecy"]).label if values["secrecy"] else "",
            Urgency(values["urgency"]).label if values["urgency"] else "",
            status,
        ]
        rows.append(cells)
    return headers, rows
