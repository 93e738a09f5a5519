"""An action plan's trace, on screen and as a PDF for the municipal
board's yearly review, and the plan's measures."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, TemplateView, UpdateView

from followups.access import sees_confidential
from followups.report.render import render_pdf

from ..access import CollaborationAccessMixin
from ..forms import MeasureForm
from ..models import ActionPlan, Measure
from ..trace import build_trace
from .editing import SavingFormMixin


class PlanMixin(CollaborationAccessMixin):
    """Loads the plan: staff any, readers a decided one (else 404)."""

    for_readers = True

    def load(self, **kwargs) -> None:
        self.plan = get_object_or_404(ActionPlan.objects.select_related("picture"), pk=kwargs["pk"])
        if not self.staff and not self.plan.is_decided:
            raise Http404

    def trace_context(self) -> dict:
        return {
            "plan": self.plan,
            "trace": build_trace(self.plan, confidential=sees_confidential(self.request.user)),
            "staff": self.staff,
        }


class TraceView(PlanMixin, TemplateView):
    template_name = "collaboration/trace.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.trace_context()}


class TraceReportView(PlanMixin, TemplateView):
    """The trace as a tagged PDF/A-3a, through the annual report's pipeline."""

    def get(self, request, *args, **kwargs):
        context = {
            **self.trace_context(),
            "for_pdf": True,
            "is_draft": not self.plan.is_decided,
            "rendered_at": timezone.localtime(),
        }
        rendered = render_pdf(render_to_string("collaboration/report/trace.html", context))
        response = HttpResponse(rendered.pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="atgardsplan-{self.plan.first_year}-{self.plan.pk}.pdf"'
        )
        return response


class MeasureFormMixin(SavingFormMixin, CollaborationAccessMixin):
    model = Measure
    form_class = MeasureForm

    def load(self, **kwargs) -> None:
        self.plan = get_object_or_404(
            ActionPlan.objects.select_related("picture"), pk=kwargs["plan"]
        )

    def get_queryset(self):
        return Measure.objects.filter(plan=self.plan)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "plan": self.plan,
            "confidential": sees_confidential(self.request.user),
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "plan": self.plan}

    def saved_url(self, row) -> str:
        return reverse("action-plan", args=[self.plan.pk])


class MeasureCreateView(MeasureFormMixin, CreateView):
    permission_required = "collaboration.add_measure"
    extra_context = {"heading": gettext_lazy("New measure")}


class MeasureUpdateView(MeasureFormMixin, UpdateView):
    permission_required = "collaboration.change_measure"
    extra_context = {"heading": gettext_lazy("Change the measure")}
