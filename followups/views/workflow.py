"""The yearly cycle's steps in the browser: submit a draft for decision, and
return a submitted follow-up to draft."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from .. import services
from ..access import FollowUpAccessMixin
from ..forms import ReturnForm
from ..models import FollowUp
from ..progress import followup_progress


class SubmitView(FollowUpAccessMixin, TemplateView):
    """GET asks for confirmation, showing what is still missing; POST submits."""

    permission_required = "followups.submit_followup"
    requires_draft = True
    template_name = "followups/followup_submit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["progress"] = followup_progress(self.followup)
        return context

    def post(self, request, *args, **kwargs):
        try:
            services.submit(self.followup, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The follow-up for %(year)s was submitted for decision.")
                % {"year": self.followup.year},
            )
        return redirect("followup", self.followup.programme_id, self.followup.year)


class ReturnView(FollowUpAccessMixin, FormView):
    """A secretary returns a submitted follow-up to draft, saying why."""

    permission_required = "followups.return_followup"
    template_name = "followups/followup_return.html"
    form_class = ReturnForm

    def get(self, request, *args, **kwargs):
        self.check_submitted()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_submitted()
        return super().post(request, *args, **kwargs)

    def check_submitted(self) -> None:
        if self.followup.status != FollowUp.Status.SUBMITTED:
            raise PermissionDenied

    def form_valid(self, form):
        try:
            services.return_to_draft(self.followup, self.request.user, form.cleaned_data["comment"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The follow-up for %(year)s was returned to draft.") % {"year": self.followup.year},
        )
        return redirect("followup", self.followup.programme_id, self.followup.year)
