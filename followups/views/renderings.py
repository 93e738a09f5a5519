"""A rendering of the report being prepared: the page that waits for it
(and refreshes by itself), its status as JSON for the page's script, and
its file once ready."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from ..access import FollowUpAccessMixin
from ..models import ReportRendering
from ..renderings import failure_message
from ..report.render import report_filename
from .reports import serve_rendering

# Seconds between two looks at a rendering that is not ready yet.
POLL_SECONDS = 1


class RenderingAccessMixin(FollowUpAccessMixin):
    """A rendering of this year's report: drafts for those who may preview
    the report, the decision's document for those who register decisions.
    Any other number answers 404."""

    def get_rendering(self) -> ReportRendering:
        if not self.request.user.has_perm("followups.preview_report"):
            raise Http404
        rendering = get_object_or_404(
            ReportRendering.objects.select_related("followup"),
            pk=self.kwargs["rendering"],
            followup=self.followup,
        )
        if rendering.kind == ReportRendering.Kind.DECISION and not self.request.user.has_perm(
            "followups.register_decision"
        ):
            raise Http404
        return rendering


def rendering_state(rendering: ReportRendering) -> dict:
    """What the waiting page shows, for the template and for its script."""
    followup = rendering.followup
    args = (followup.programme_id, followup.year, rendering.pk)
    if rendering.is_ready:
        message = _("The report is ready.")
    elif rendering.is_failed:
        message = failure_message(rendering)
    elif rendering.status == ReportRendering.Status.RUNNING:
        message = _("The report is being prepared. This usually takes a few seconds.")
    elif rendering.attempts:
        message = _("The first attempt failed; the report will be prepared again shortly.")
    else:
        message = _("The report is waiting for its turn to be prepared.")
    return {
        "status": rendering.status,
        "label": rendering.get_status_display(),
        "message": message,
        "ready": rendering.is_ready,
        "failed": rendering.is_failed,
        "download_url": reverse("report-rendering-file", args=args) if rendering.is_ready else "",
    }


class RenderingView(RenderingAccessMixin, TemplateView):
    template_name = "followups/rendering.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rendering = self.get_rendering()
        context["rendering"] = rendering
        context["state"] = rendering_state(rendering)
        context["poll_seconds"] = POLL_SECONDS
        return context


class RenderingStatusView(RenderingAccessMixin, View):
    def get(self, request, *args, **kwargs):
        response = JsonResponse(rendering_state(self.get_rendering()))
        response["Cache-Control"] = "no-store"
        return response


class RenderingFileView(RenderingAccessMixin, View):
    def get(self, request, *args, **kwargs):
        rendering = self.get_rendering()
        if not rendering.is_ready:
            raise Http404
        return serve_rendering(request, rendering, report_filename(self.followup))
