from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .forms import ActivityAdminForm
from .models import (
    Activity,
    AreaSummary,
    FollowUp,
    GoalAssessment,
    GuidelineFollowUp,
    StatusChange,
)


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = [
        "programme",
        "year",
        "status",
        "scale",
        "registration_number",
        "decision_date",
    ]
    list_display_links = ["programme", "year"]
    list_filter = ["status", "year", "scale", "programme"]
    list_select_related = ["programme"]
    search_fields = ["registration_number", "programme__name", "summary"]
    # Status and archive change only through the yearly cycle's own steps
    # (submit, return, register decision, reopen), never by hand.
    readonly_fields = ["status", "report_file", "report_sha256", "approved_by", "approved_at"]
    fieldsets = [
        (None, {"fields": ["programme", "year", "status", "scale", "summary"]}),
        (
            _("Decision"),
            {
                "fields": [
                    "registration_number",
                    "decided_by",
                    "decision_date",
                    "decision_paragraph",
                ]
            },
        ),
        (
            _("Archive"),
            {"fields": ["report_file", "report_sha256", "approved_by", "approved_at"]},
        ),
    ]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    form = ActivityAdminForm
    list_display = ["title", "followup", "area", "status", "responsible_unit", "cost"]
    list_filter = [
        "status",
        "followup__year",
        "followup__programme",
        "area",
        "responsible_unit",
        "districts",
        "partners",
    ]
    list_select_related = ["followup__programme", "area", "responsible_unit"]
    search_fields = ["title", "description", "result"]
    filter_horizontal = ["goals", "partners", "districts"]
    autocomplete_fields = ["continues"]


@admin.register(GoalAssessment)
class GoalAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["goal", "followup", "rating"]
    list_filter = ["followup__year", "rating", "followup__programme"]
    list_select_related = ["goal", "followup__programme"]
    search_fields = ["goal__code", "goal__title", "analysis"]
    autocomplete_fields = ["goal"]


@admin.register(AreaSummary)
class AreaSummaryAdmin(SimpleHistoryAdmin):
    list_display = ["area", "followup"]
    list_filter = ["followup__year", "followup__programme"]
    list_select_related = ["area", "followup__programme"]
    search_fields = ["area__name", "text"]


@admin.register(GuidelineFollowUp)
class GuidelineFollowUpAdmin(SimpleHistoryAdmin):
    list_display = ["guideline", "followup"]
    list_filter = ["followup__year", "followup__programme"]
    list_select_related = ["guideline", "followup__programme"]
    search_fields = ["guideline__name", "text"]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    """The record of the yearly cycle's steps: readable, never editable."""

    list_display = ["followup", "from_status", "to_status", "changed_by", "changed_at"]
    list_filter = ["to_status", "followup__year", "followup__programme"]
    list_select_related = ["followup__programme", "changed_by"]
    search_fields = ["comment", "changed_by__username"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
