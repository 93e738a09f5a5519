"""The annual report: browser preview, PDF download, the board's decision
and reopening. An approved year's PDF is always the archived file."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from audit.models import AuditEvent
from audit.services import record

from .. import services
from ..access import FollowUpAccessMixin
from ..forms import DecisionForm, ReopenForm
from ..models import FollowUp
from ..report.render import render_report_html, render_report_pdf, report_filename


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


class ReportDownloadView(ReportAccessMixin, View):
    def get(self, request, *args, **kwargs):
        self.check_report_access()
        filename = report_filename(self.followup)
        if self.followup.is_approved:
            # Exactly the archived bytes, never a new rendering.
            if not self.followup.report_file or not default_storage.exists(
                self.followup.report_file.name
            ):
                raise Http404(_("The archived report file is missing."))
            record(
                AuditEvent.Action.REPORT_DOWNLOAD,
                request=request,
                followup=self.followup,
                detail=f"sha256:{self.followup.report_sha256}",
            )
            return FileResponse(
                default_storage.open(self.followup.report_file.name, "rb"),
                as_attachment=True,
                filename=filename,
                content_type="application/pdf",
            )
        response = HttpResponse(
            render_report_pdf(self.followup).pdf, content_type="application/pdf"
        )
        record(
            AuditEvent.Action.REPORT_DOWNLOAD,
            request=request,
            followup=self.followup,
            detail=_("draft"),
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class DecisionView(FollowUpAccessMixin, FormView):
    """A secretary registers the board's decision; the report is archived."""

    permission_required = "followups.register_decision"
    template_name = "followups/decision.html"
    form_class = DecisionForm

    def get_form_kwargs(self):
        if self.followup.status != FollowUp.Status.SUBMITTED:
            raise PermissionDenied
        kwargs = super().get_form_kwargs()
        kwargs["followup"] = self.followup
        return kwargs

    def form_valid(self, form):
        try:
            services.register_decision(self.followup, self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The decision was registered and the report for %(year)s archived.")
            % {"year": self.followup.year},
        )
        return redirect("followup", self.followup.programme_id, self.followup.year)


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
