"""The January work: goal assessments and area summaries per area, indicator
values, guideline texts and the follow-up's own summary. Each page saves all
its forms in one transaction, or none of them when someone else saved first."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from programmes.models import Guideline, Indicator, IndicatorValue, ResponsibilityArea

from ..access import FollowUpAccessMixin, can_edit_year
from ..forms import (
    AreaSummaryForm,
    AssessmentForm,
    FollowUpSummaryForm,
    GuidelineTextForm,
    IndicatorValueForm,
)
from ..models import AreaSummary, GoalAssessment, GuidelineFollowUp


class FormsPageView(FollowUpAccessMixin, TemplateView):
    """A page of versioned forms: GET shows them, POST (draft years and the
    edit permission only) validates all and saves all or none."""

    edit_permission: str

    def can_edit(self) -> bool:
        return can_edit_year(self.request.user, self.followup, self.edit_permission)

    def build_forms(self, data=None) -> list:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(forms=self.build_forms()))

    def post(self, request, *args, **kwargs):
        if not self.can_edit():
            raise PermissionDenied
        forms = self.build_forms(request.POST)
        if all(form.is_valid() for form in forms) and self.save_all(forms):
            messages.success(request, _("Saved."))
            return redirect(request.path)
        if getattr(self, "closed_meanwhile", False):
            return self.render_to_response(self.get_context_data(forms=forms), status=409)
        if not any(form.conflict or form.deleted for form in forms):
            messages.error(request, _("Nothing was saved. Correct the marked fields."))
        return self.render_to_response(self.get_context_data(forms=forms), status=200)

    def save_all(self, forms) -> bool:
        try:
            with transaction.atomic():
                results = [form.save_if_unchanged() for form in forms if self.should_save(form)]
                if not all(results):
                    transaction.set_rollback(True)
                    messages.error(
                        self.request,
                        _("Nothing was saved: someone else saved part of this page meanwhile."),
                    )
                    return False
        except ValidationError as error:
            # The year was submitted meanwhile (checked by the models under
            # a lock): nothing was saved; what was typed stays on the page.
            for message in error.messages:
                messages.error(self.request, message)
            self.closed_meanwhile = True
            return False
        return True

    def should_save(self, form) -> bool:
        """Unchanged forms are left alone, so an untouched row never conflicts."""
        return form.has_changed()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = self.can_edit()
        return context


class AssessmentOverviewView(FollowUpAccessMixin, TemplateView):
    """The areas with how many goals are assessed, and the way to each."""

    permission_required = "followups.view_goalassessment"
    template_name = "followups/assessment_overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        areas = list(
            ResponsibilityArea.objects.filter(programme=self.followup.programme).prefetch_related(
                "goals"
            )
        )
        assessed = set(
            GoalAssessment.objects.filter(followup=self.followup)
            .exclude(rating="")
            .values_list("goal_id", flat=True)
        )
        summarised = set(
            AreaSummary.objects.filter(followup=self.followup)
            .exclude(text="")
            .values_list("area_id", flat=True)
        )
        context["areas"] = [
            {
                "area": area,
                "goals": len(area.goals.all()),
                "assessed": sum(goal.pk in assessed for goal in area.goals.all()),
                "summarised": area.pk in summarised,
            }
            for area in areas
        ]
        context["can_edit_summary"] = can_edit_year(
            self.request.user, self.followup, "followups.change_followup"
        )
        return context


class AreaAssessmentView(FormsPageView):
    """One area: each goal's rating and analysis beside last year's, and the
    area summary."""

    permission_required = "followups.view_goalassessment"
    edit_permission = "followups.change_goalassessment"
    template_name = "followups/area_assessment.html"

    def get_area(self) -> ResponsibilityArea:
        if not hasattr(self, "area"):
            try:
                self.area = ResponsibilityArea.objects.get(
                    programme_id=self.followup.programme_id, number=self.kwargs["number"]
                )
            except ResponsibilityArea.DoesNotExist as missing:
                raise Http404 from missing
        return self.area

    def build_forms(self, data=None) -> list:
        area = self.get_area()
        goals = list(area.goals.all())
        existing = {
            a.goal_id: a
            for a in GoalAssessment.objects.filter(followup=self.followup, goal__area=area)
        }
        previous = {
            a.goal_id: a
            for a in GoalAssessment.objects.filter(
                followup__programme_id=self.followup.programme_id,
                followup__year=self.followup.year - 1,
                goal__area=area,
            ).select_related("followup")
        }
        forms = []
        for goal in goals:
            instance = existing.get(goal.pk) or GoalAssessment(followup=self.followup, goal=goal)
            instance.followup = self.followup
            instance.goal = goal
            form = AssessmentForm(data, instance=instance, prefix=f"goal-{goal.pk}")
            form.goal = goal
            form.previous = previous.get(goal.pk)
            forms.append(form)
        summary = AreaSummary.objects.filter(followup=self.followup, area=area).first()
        summary = summary or AreaSummary(followup=self.followup, area=area)
        summary.followup = self.followup
        summary.area = area
        self.summary_form = AreaSummaryForm(data, instance=summary, prefix="summary")
        forms.append(self.summary_form)
        return forms

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        forms = context["forms"]
        context["area"] = self.get_area()
        context["goal_forms"] = [f for f in forms if f is not self.summary_form]
        context["summary_form"] = self.summary_form
        context["previous_year"] = self.followup.year - 1
        return context


class IndicatorValuesView(FormsPageView):
    """The year's indicator values, with the earlier years beside them."""

    permission_required = "programmes.view_indicatorvalue"
    edit_permission = "programmes.change_indicatorvalue"
    template_name = "followups/indicator_values.html"

    def build_forms(self, data=None) -> list:
        year = self.followup.year
        indicators = (
            Indicator.objects.filter(area__programme_id=self.followup.programme_id)
            .select_related("area")
            .prefetch_related(
                Prefetch(
                    "values",
                    queryset=IndicatorValue.objects.order_by("year"),
                    to_attr="all_values",
                )
            )
        )
        forms = []
        for indicator in indicators:
            current = next((v for v in indicator.all_values if v.year == year), None)
            instance = current or IndicatorValue(indicator=indicator, year=year)
            instance.indicator = indicator
            form = IndicatorValueForm(data, instance=instance, prefix=f"indicator-{indicator.pk}")
            form.indicator = indicator
            form.earlier = [v for v in indicator.all_values if v.year < year]
            forms.append(form)
        return forms


class GuidelineTextsView(FormsPageView):
    permission_required = "followups.view_guidelinefollowup"
    edit_permission = "followups.change_guidelinefollowup"
    template_name = "followups/guideline_texts.html"

    def build_forms(self, data=None) -> list:
        existing = {
            g.guideline_id: g for g in GuidelineFollowUp.objects.filter(followup=self.followup)
        }
        forms = []
        for guideline in Guideline.objects.filter(programme_id=self.followup.programme_id):
            instance = existing.get(guideline.pk) or GuidelineFollowUp(
                followup=self.followup, guideline=guideline
            )
            instance.followup = self.followup
            instance.guideline = guideline
            form = GuidelineTextForm(data, instance=instance, prefix=f"guideline-{guideline.pk}")
            form.guideline = guideline
            forms.append(form)
        return forms


class FollowUpSummaryView(FormsPageView):
    permission_required = "followups.view_followup"
    edit_permission = "followups.change_followup"
    template_name = "followups/followup_summary.html"

    def get(self, request, *args, **kwargs):
        # Readers read the summary of an approved year only; a reopened
        # year's summary is a draft.
        if not self.followup.is_approved and not request.user.has_perm("followups.view_activity"):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def build_forms(self, data=None) -> list:
        return [FollowUpSummaryForm(data, instance=self.followup, prefix="followup")]
