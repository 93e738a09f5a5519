"""The board's decision in two steps: the secretary enters it and a job
renders the final document; the secretary reads that document and confirms,
and the confirmation archives it and approves the year."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from .. import decisions
from ..access import FollowUpAccessMixin
from ..forms import DecisionForm
from ..models import FollowUp, ReportRendering
from .renderings import POLL_SECONDS, rendering_state


class DecisionAccessMixin(FollowUpAccessMixin):
    permission_required = "followups.register_decision"

    def check_submitted(self) -> None:
        if self.followup.status != FollowUp.Status.SUBMITTED:
            raise PermissionDenied


class DecisionView(DecisionAccessMixin, FormView):
    """Step 1: the decision as the minutes record it."""

    template_name = "followups/decision.html"
    form_class = DecisionForm

    def get_form_kwargs(self):
        self.check_submitted()
        kwargs = super().get_form_kwargs()
        kwargs["followup"] = self.followup
        return kwargs

    def form_valid(self, form):
        try:
            rendering = decisions.prepare_decision(
                self.followup, self.request.user, request=self.request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return redirect(
            "followup-decision-confirm",
            self.followup.programme_id,
            self.followup.year,
            rendering.pk,
        )


class DecisionConfirmView(DecisionAccessMixin, TemplateView):
    """Step 2: the final document, and the confirmation (a POST with no
    fields) that archives it. Renders nothing."""

    template_name = "followups/decision_confirm.html"

    def get_rendering(self) -> ReportRendering:
        self.check_submitted()
        return get_object_or_404(
            ReportRendering.objects.select_related("followup"),
            pk=self.kwargs["rendering"],
            followup=self.followup,
            kind=ReportRendering.Kind.DECISION,
        )

    def get(self, request, *args, **kwargs):
        rendering = self.get_rendering()
        return self.render_to_response(self.get_context_data(rendering=rendering))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rendering = kwargs["rendering"]
        context["state"] = rendering_state(rendering)
        context["poll_seconds"] = POLL_SECONDS
        return context

    def post(self, request, *args, **kwargs):
        rendering = self.get_rendering()
        try:
            archive = decisions.confirm_decision(rendering, request.user)
        except ValidationError as error:
            context = self.get_context_data(rendering=rendering)
            context["errors"] = error.messages
            return self.render_to_response(context, status=409)
        messages.success(
            request,
            _(
                "The decision was registered and the report for %(year)s archived "
                "(version %(number)s)."
            )
            % {"year": self.followup.year, "number": archive.number},
        )
        return redirect("followup", self.followup.programme_id, self.followup.year)
