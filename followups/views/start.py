from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from programmes.models import Goal

from ..access import FollowUpAccessMixin, sees_all_years, sees_confidential, visible_followups
from ..progress import followup_progress, unit_reports
from .activities import writer_context


class StartView(LoginRequiredMixin, TemplateView):
    """Sends the user to the newest follow-up they may see."""

    template_name = "followups/start.html"

    def get(self, request, *args, **kwargs):
        newest = visible_followups(request.user).order_by("-year", "-programme__first_year").first()
        if newest is not None:
            return redirect("followup", newest.programme_id, newest.year)
        return super().get(request, *args, **kwargs)


class FollowUpView(FollowUpAccessMixin, TemplateView):
    """The start page of a year: status, progress, the strategy–operations
    link, the cycle's history and the way to every task."""

    template_name = "followups/followup.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        followup = self.followup
        context["others"] = visible_followups(user).order_by("-year", "programme__name")
        if sees_all_years(user):
            confidential = sees_confidential(user)
            context["progress"] = followup_progress(followup, confidential)
            context["unit_reports"] = unit_reports(followup, confidential)
            context.update(writer_context(user, followup))
            if "own_units" in context:
                # Contributors have no assessment pages: the plan is here.
                context["plan"] = followup.programme.areas.order_by("number").prefetch_related(
                    Prefetch("goals", queryset=Goal.objects.order_by("order", "code"))
                )
        context["programme_expired"] = user.has_perm(
            "followups.view_goalassessment"
        ) and followup.programme.expired_without_successor(timezone.localdate().year)
        context["status_changes"] = followup.status_changes.select_related("changed_by")
        is_draft = followup.status == followup.Status.DRAFT
        context["can_submit"] = is_draft and user.has_perm("followups.submit_followup")
        context["can_return"] = followup.status == followup.Status.SUBMITTED and user.has_perm(
            "followups.return_followup"
        )
        context["can_edit_summary"] = is_draft and user.has_perm("followups.change_followup")
        context["can_decide"] = followup.status == followup.Status.SUBMITTED and user.has_perm(
            "followups.register_decision"
        )
        context["can_reopen"] = followup.is_approved and user.has_perm("followups.reopen_followup")
        context["can_read_report"] = followup.is_approved or user.has_perm(
            "followups.preview_report"
        )
        archived = list(followup.archived_reports.select_related("approved_by"))
        context["archived_reports"] = archived
        # Reopened after a decision: the last decided version is still the
        # year's public record until a new decision.
        context["decided_before"] = archived[0] if archived and not followup.is_approved else None
        return context
