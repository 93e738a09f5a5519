from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from programmes import admin as programmes_admin
from programmes.forms import VersionCheckedForm
from programmes.models import Indicator, IndicatorValue

from .forms import ActivityAdminForm, ApprovedYearForm
from .kolada import KoladaError, import_kolada
from .models import (
    APPROVED_MESSAGE,
    Activity,
    ArchivedReport,
    AreaSummary,
    Contributor,
    FollowUp,
    GoalAssessment,
    GuidelineFollowUp,
    ReportRendering,
    StatusChange,
    value_in_approved_year,
    value_in_closed_year,
)
from .renderings import remove_renderings

CLOSED_YEAR_MESSAGE = _(
    "The value belongs to a year whose follow-up is submitted or approved; it cannot be "
    "changed unless the follow-up is returned to draft."
)


class ApprovedYearReadOnly(programmes_admin.VersionCheckedAdmin):
    """Objects of a submitted or approved year can be viewed but not changed
    or deleted, and nothing can be added to it (the models refuse it too).
    A change is saved only at the version the page showed."""

    form = ApprovedYearForm

    def followup_of(self, obj) -> FollowUp:
        return obj.followup

    def is_locked(self, obj) -> bool:
        return obj is not None and self.followup_of(obj).status != FollowUp.Status.DRAFT

    def has_change_permission(self, request, obj=None) -> bool:
        return not self.is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self.is_locked(obj) and super().has_delete_permission(request, obj)


@admin.register(FollowUp)
class FollowUpAdmin(ApprovedYearReadOnly, SimpleHistoryAdmin):
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
    formfield_overrides = programmes_admin.SWEDISH_DATES

    def followup_of(self, obj) -> FollowUp:
        return obj

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
class ActivityAdmin(
    programmes_admin.CheckedAutocompleteAdmin, ApprovedYearReadOnly, SimpleHistoryAdmin
):
    form = ActivityAdminForm
    list_display = [
        "title",
        "followup",
        "area",
        "status",
        "responsible_unit",
        "cost",
        "is_confidential",
    ]
    list_filter = [
        "status",
        "is_confidential",
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
    formfield_overrides = programmes_admin.FINITE_DECIMALS

    def get_queryset(self, request):
        """Confidential activities only for those who may see them (the
        list, the search, the autocomplete of *Fortsättning av*)."""
        activities = super().get_queryset(request)
        if not request.user.has_perm("followups.view_confidential_activity"):
            activities = activities.public()
        return activities


@admin.register(GoalAssessment)
class GoalAssessmentAdmin(
    programmes_admin.CheckedAutocompleteAdmin, ApprovedYearReadOnly, SimpleHistoryAdmin
):
    list_display = ["goal", "followup", "rating"]
    list_filter = ["followup__year", "rating", "followup__programme"]
    list_select_related = ["goal", "followup__programme"]
    search_fields = ["goal__code", "goal__title", "analysis"]
    autocomplete_fields = ["goal"]


@admin.register(AreaSummary)
class AreaSummaryAdmin(ApprovedYearReadOnly, SimpleHistoryAdmin):
    list_display = ["area", "followup"]
    list_filter = ["followup__year", "followup__programme"]
    list_select_related = ["area", "followup__programme"]
    search_fields = ["area__name", "text"]


@admin.register(GuidelineFollowUp)
class GuidelineFollowUpAdmin(ApprovedYearReadOnly, SimpleHistoryAdmin):
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


@admin.register(ArchivedReport)
class ArchivedReportAdmin(admin.ModelAdmin):
    """Archived reports are a record: readable, never editable."""

    list_display = ["followup", "number", "approved_at", "approved_by", "sha256"]
    list_filter = ["followup__year", "followup__programme"]
    list_select_related = ["followup__programme", "approved_by"]
    search_fields = ["sha256", "registration_number", "file"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# An approved year is read-only in admin too. The models refuse the write
# anyway (followups.models); these hooks make admin say so instead of failing.


class ApprovedYearIndicatorValueForm(VersionCheckedForm):
    def clean(self):
        cleaned = super().clean()
        if self.errors:
            # A refused field decides; the year check needs valid values.
            return cleaned
        if self.instance.pk is not None and not self.has_changed():
            return cleaned  # an untouched inline row changes nothing
        value = self.instance
        year = cleaned.get("year", value.year)
        indicator = cleaned.get("indicator") or getattr(value, "indicator", None)
        new_state = (indicator.pk if indicator is not None else None, year)
        states = [new_state]
        if value.pk is not None:
            states.append((value.indicator_id, value.year))
        if any(value_in_approved_year(*state) for state in states):
            raise forms.ValidationError(APPROVED_MESSAGE, code="approved")
        if any(value_in_closed_year(*state) for state in states):
            raise forms.ValidationError(CLOSED_YEAR_MESSAGE, code="submitted")
        return cleaned


class LockedIndicatorValueInline(
    programmes_admin.VersionCheckedAdmin, programmes_admin.IndicatorValueInline
):
    form = ApprovedYearIndicatorValueForm


admin.site.unregister(Indicator)
admin.site.unregister(IndicatorValue)


@admin.register(Indicator)
class IndicatorAdmin(programmes_admin.IndicatorAdmin):
    list_display = [*programmes_admin.IndicatorAdmin.list_display, "kolada_kpi"]
    inlines = [LockedIndicatorValueInline]
    actions = ["fetch_from_kolada"]

    def has_import_kolada_permission(self, request) -> bool:
        return request.user.has_perm("programmes.change_indicatorvalue")

    @admin.action(description=_("Fetch values from Kolada"), permissions=["import_kolada"])
    def fetch_from_kolada(self, request, queryset) -> None:
        """Saves the selected indicators' values from Kolada, all or none
        (``manage.py import_kolada`` does the same from the shell)."""
        try:
            result = import_kolada(queryset.select_related("area__programme"), user=request.user)
        except KoladaError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        level = messages.WARNING if result.skipped else messages.SUCCESS
        self.message_user(request, result.summary(), level)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(
    programmes_admin.VersionCheckedAdmin, programmes_admin.IndicatorValueAdmin
):
    form = ApprovedYearIndicatorValueForm

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and value_in_closed_year(obj.indicator_id, obj.year):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and value_in_closed_year(obj.indicator_id, obj.year):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ReportRendering)
class ReportRenderingAdmin(admin.ModelAdmin):
    """Renderings made by the background job: to see a failed one and its
    error, and to remove old ones. Removing one removes its file under
    renderings/, never an archived report."""

    list_display = ["followup", "kind", "status", "attempts", "requested_at", "finished_at"]
    list_filter = ["status", "kind", "followup__year"]
    list_select_related = ["followup__programme"]
    search_fields = ["fingerprint", "error", "registration_number"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj) -> None:
        remove_renderings([obj])

    def delete_queryset(self, request, queryset) -> None:
        remove_renderings(queryset)


class ContributorInline(admin.StackedInline):
    """On the user's page: the organisational units a Bidragsgivare reports
    for (the rights come from the group)."""

    model = Contributor
    can_delete = True
    filter_horizontal = ["units"]
    verbose_name = _("organisational units reported for (Bidragsgivare)")
    verbose_name_plural = verbose_name


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [ContributorInline]
