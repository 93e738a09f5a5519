"""The annual report: browser preview, PDF download and reopening. No
request renders a PDF: a draft's PDF comes from its stored rendering (or a
rendering is asked for, see ``renderings``); an approved year's PDF is always
the archived file, checked against its checksum."""

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from audit.models import AuditEvent
from audit.services import record

from .. import services
from ..access import FollowUpAccessMixin
from ..archive import ArchiveIntegrityError, read_verified
from ..forms import ReopenForm
from ..models import ArchivedReport, FollowUp, ReportRendering
from ..renderings import request_rendering
from ..report.fingerprint import report_fingerprint
from ..report.render import render_report_html, report_filename


class ReportAccessMixin(FollowUpAccessMixin):
    """Anyone who may see the year may read its approved report; a report
    that is not approved needs the preview permission."""

    def check_report_access(self) -> None:
        if not self.followup.is_approved and not self.request.user.has_perm(
            "followups.preview_report"
        ):
            raise PermissionDenied


class ReportPreviewView(ReportAccessMixin, View):
    def get(self, request, *args, **kwargs):
        self.check_report_access()
        response = HttpResponse(render_report_html(self.followup))
        record(AuditEvent.Action.REPORT_PREVIEW, request=request, followup=self.followup)
        return response


def pdf_response(data_or_file, filename: str) -> FileResponse:
    return FileResponse(
        data_or_file, as_attachment=True, filename=filename, content_type="application/pdf"
    )


def archived_pdf_response(request, archive: ArchivedReport, filename: str):
    """Exactly the archived bytes after checking size and checksum; on a
    mismatch a Swedish error page (500) and an audit event, never a PDF."""
    try:
        data = read_verified(archive.file.name, archive.sha256, archive.size)
    except ArchiveIntegrityError as error:
        record(
            AuditEvent.Action.REPORT_INTEGRITY,
            request=request,
            followup=archive.followup,
            detail=str(error),
        )
        return TemplateResponse(
            request,
            "followups/report_integrity_error.html",
            {"followup": archive.followup, "archive": archive, "problem": str(error)},
            status=500,
        )
    record(
        AuditEvent.Action.REPORT_DOWNLOAD,
        request=request,
        followup=archive.followup,
        detail=f"v{archive.number} sha256:{archive.sha256}",
    )
    return pdf_response(io.BytesIO(data), filename)


class ReportDownloadView(ReportAccessMixin, View):
    """An approved year: the archived PDF. A draft or submitted year: the
    stored rendering of the report as it is now, or (while there is none) a
    rendering asked for and the page that waits for it."""

    def get(self, request, *args, **kwargs):
        self.check_report_access()
        filename = report_filename(self.followup)
        if self.followup.is_approved:
            archive = (
                ArchivedReport.objects.select_related("followup")
                .filter(followup=self.followup, file=self.followup.report_file)
                .first()
            )
            if archive is None:
                return TemplateResponse(
                    request,
                    "followups/report_integrity_error.html",
                    {
                        "followup": self.followup,
                        "problem": _("The approved year has no archived report."),
                    },
                    status=500,
                )
            return archived_pdf_response(request, archive, filename)
        fingerprint = report_fingerprint(self.followup, ReportRendering.Kind.DRAFT)
        rendering = ReportRendering.objects.filter(fingerprint=fingerprint).first()
        if rendering is not None and rendering.is_ready:
            return serve_rendering(request, rendering, filename)
        rendering = request_rendering(
            self.followup, request.user, fingerprint=fingerprint, request=request
        )
        return redirect(
            "report-rendering", self.followup.programme_id, self.followup.year, rendering.pk
        )


class ArchivedReportDownloadView(FollowUpAccessMixin, View):
    """One archived version of the year's report, exactly as archived:
    anyone who may see the year may download every version the board
    decided on, also while the year is reopened."""

    def get(self, request, *args, **kwargs):
        archive = get_object_or_404(
            ArchivedReport.objects.select_related("followup"),
            followup=self.followup,
            number=kwargs["number"],
        )
        stem = report_filename(self.followup).removesuffix(".pdf")
        return archived_pdf_response(request, archive, f"{stem}-version-{archive.number}.pdf")


def serve_rendering(request, rendering: ReportRendering, filename: str):
    record(
        AuditEvent.Action.REPORT_DOWNLOAD,
        request=request,
        followup=rendering.followup,
        detail=f"{rendering.get_kind_display().lower()} {rendering.fingerprint[:12]}",
    )
    return pdf_response(default_storage.open(rendering.file, "rb"), filename)


class ReopenView(FollowUpAccessMixin, FormView):
    """An administrator reopens an approved year, saying why."""

    permission_required = "followups.reopen_followup"
    template_name = "followups/reopen.html"
    form_class = ReopenForm

    def get_form_kwargs(self):
        if self.followup.status != FollowUp.Status.APPROVED:
            raise PermissionDenied
        return super().get_form_kwargs()

    def form_valid(self, form):
        try:
            services.reopen(self.followup, self.request.user, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The follow-up for %(year)s was reopened; its archived reports are kept.")
            % {"year": self.followup.year},
        )
        return redirect("followup", self.followup.programme_id, self.followup.year)
