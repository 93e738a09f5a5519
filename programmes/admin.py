from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .copying import copy_programme, next_period
from .forms import ADMIN_CONFLICT_MESSAGE, FiniteDecimalField, SwedishDateField, SwedishDateInput
from .models import (
    District,
    Goal,
    Guideline,
    Indicator,
    IndicatorValue,
    OrganisationalUnit,
    Partner,
    Programme,
    ResponsibilityArea,
)

# Decimal fields in admin refuse NaN and infinity as a field error.
FINITE_DECIMALS = {models.DecimalField: {"form_class": FiniteDecimalField}}
# Dates in admin as in the workspace: the browser's date picker instead of
# the admin's calendar script, and typed Swedish dates ("7 mars 2022").
SWEDISH_DATES = {models.DateField: {"form_class": SwedishDateField, "widget": SwedishDateInput}}


class CheckedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget looks the submitted value up again to
    show it beside the field's error; a value that is no key at all ("1.5",
    a 20-digit number) then crashes the page with a database error. This one
    looks up only values the field itself accepts (one query each)."""

    def optgroups(self, name, value, attr=None):
        accepted = []
        for item in value:
            try:
                self.choices.field.to_python(item)
            except ValidationError:
                continue
            accepted.append(item)
        return super().optgroups(name, accepted, attr)


class CheckedAutocompleteAdmin:
    """Uses CheckedAutocompleteSelect for the admin's autocomplete fields."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class VersionCheckedAdmin:
    """For admins and inlines whose form is a ``VersionCheckedForm``: the
    hidden field with the version the page showed goes into the page (an
    admin renders only the fields of its fieldsets). A delete, too, goes
    through only at the version its confirmation page showed; the bulk
    delete of the list (which shows no versions) is not offered."""

    delete_confirmation_template = "admin/versioned_delete_confirmation.html"

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if (
            request.method != "POST"
            or "post" not in request.POST
            or obj is None
            or not self.has_delete_permission(request, obj)
        ):
            # Django's own answers: the confirmation, 403, or "not found".
            return super().delete_view(request, object_id, extra_context)
        with transaction.atomic():
            # Locked until the delete below commits: nobody saves in between.
            stored = (
                self.model._base_manager.select_for_update()
                .filter(pk=unquote(object_id))
                .values_list("version", flat=True)
                .first()
            )
            if stored is not None and request.POST.get("seen_version") != str(stored):
                self.message_user(request, ADMIN_CONFLICT_MESSAGE, messages.ERROR)
                return HttpResponseRedirect(request.path)
            return super().delete_view(request, object_id, extra_context)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if "seen_version" in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "seen_version"]}), *rest]


class OneFormPerRowFormSet(BaseInlineFormSet):
    """Refuses a POST that names the same row in two forms (a tampered
    hidden id): Django would save both onto one row, and a unique
    constraint then fails as a server error instead of a message."""

    def clean(self) -> None:
        super().clean()
        if not 0 <= self.initial_form_count() <= self.total_form_count():
            # A tampered count would make the stored rows new ones.
            raise ValidationError(
                _("The same row was sent twice. Reload the page and make the changes again."),
                code="bad_count",
            )
        rows = [form.instance.pk for form in self.initial_forms if form.instance.pk is not None]
        if len(rows) != len(set(rows)):
            raise ValidationError(
                _("The same row was sent twice. Reload the page and make the changes again."),
                code="duplicate_row",
            )


# Inlines show no foreign-key selects: each would query once per row.


class ResponsibilityAreaInline(admin.TabularInline):
    formset = OneFormPerRowFormSet
    model = ResponsibilityArea
    fields = ["number", "name", "overarching_goal"]
    extra = 0
    show_change_link = True


class GuidelineInline(admin.TabularInline):
    formset = OneFormPerRowFormSet
    model = Guideline
    fields = ["name", "order"]
    extra = 0
    show_change_link = True


class GoalInline(admin.TabularInline):
    formset = OneFormPerRowFormSet
    model = Goal
    fields = ["code", "title", "order"]
    extra = 0
    show_change_link = True


class IndicatorInline(admin.TabularInline):
    formset = OneFormPerRowFormSet
    model = Indicator
    fields = ["name", "unit", "higher_is_better", "source", "order"]
    extra = 0
    show_change_link = True


class IndicatorValueInline(admin.TabularInline):
    formset = OneFormPerRowFormSet
    model = IndicatorValue
    fields = ["year", "value", "is_example", "comment"]
    extra = 1
    formfield_overrides = FINITE_DECIMALS


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "first_year", "last_year", "adopted_by", "adopted_on", "adopted"]
    list_filter = ["first_year"]
    search_fields = ["name", "overall_goal", "description"]
    inlines = [ResponsibilityAreaInline, GuidelineInline]
    formfield_overrides = SWEDISH_DATES
    actions = ["copy_to_next_period"]

    @admin.display(boolean=True, description=_("adopted"))
    def adopted(self, programme: Programme) -> bool:
        return programme.is_adopted

    @admin.action(
        description=_("Make the next period from the selected programme"),
        permissions=["add"],
    )
    def copy_to_next_period(self, request, queryset) -> None:
        """The period after each selected programme's, of the same length
        (``manage.py copy_programme`` chooses other years)."""
        for programme in queryset:
            first_year, last_year = next_period(programme)
            try:
                copy = copy_programme(programme, first_year, last_year)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                continue
            self.message_user(
                request,
                _("%(programme)s was made from %(source)s; enter who adopted it and when.")
                % {"programme": copy, "source": programme},
                messages.SUCCESS,
            )


@admin.register(ResponsibilityArea)
class ResponsibilityAreaAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "programme"]
    list_display_links = ["number", "name"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["name", "overarching_goal"]
    inlines = [GoalInline, IndicatorInline]


@admin.register(Goal)
class GoalAdmin(CheckedAutocompleteAdmin, SimpleHistoryAdmin):
    list_display = ["code", "title", "area", "parent", "programme"]
    list_display_links = ["code", "title"]
    list_filter = ["area__programme", "area"]
    list_select_related = ["area__programme", "parent"]
    search_fields = ["code", "title", "description"]
    autocomplete_fields = ["parent"]

    @admin.display(description=_("programme"), ordering="area__programme__name")
    def programme(self, goal: Goal) -> Programme:
        return goal.area.programme


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "area", "unit", "higher_is_better", "source", "target"]
    list_filter = ["unit", "higher_is_better", "area__programme", "area"]
    list_select_related = ["area"]
    search_fields = ["name", "source", "description"]
    inlines = [IndicatorValueInline]
    formfield_overrides = FINITE_DECIMALS


@admin.register(IndicatorValue)
class IndicatorValueAdmin(CheckedAutocompleteAdmin, SimpleHistoryAdmin):
    list_display = ["indicator", "year", "value", "is_example"]
    list_filter = ["year", "is_example", "indicator__area__programme"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__name", "comment"]
    autocomplete_fields = ["indicator"]
    formfield_overrides = FINITE_DECIMALS


@admin.register(Guideline)
class GuidelineAdmin(SimpleHistoryAdmin):
    list_display = ["name", "programme", "order"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["name", "description"]


@admin.register(OrganisationalUnit, Partner, District)
class ReferenceItemAdmin(SimpleHistoryAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
