from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

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

# Inlines show no foreign-key selects: each would query once per row.


class ResponsibilityAreaInline(admin.TabularInline):
    model = ResponsibilityArea
    fields = ["number", "name", "overarching_goal"]
    extra = 0
    show_change_link = True


class GuidelineInline(admin.TabularInline):
    model = Guideline
    fields = ["name", "order"]
    extra = 0
    show_change_link = True


class GoalInline(admin.TabularInline):
    model = Goal
    fields = ["code", "title", "order"]
    extra = 0
    show_change_link = True


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ["name", "unit", "higher_is_better", "source", "order"]
    extra = 0
    show_change_link = True


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    fields = ["year", "value", "is_example", "comment"]
    extra = 1


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "first_year", "last_year", "adopted_by", "adopted_on"]
    list_filter = ["first_year"]
    search_fields = ["name", "overall_goal", "description"]
    inlines = [ResponsibilityAreaInline, GuidelineInline]


@admin.register(ResponsibilityArea)
class ResponsibilityAreaAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "programme"]
    list_display_links = ["number", "name"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["name", "overarching_goal"]
    inlines = [GoalInline, IndicatorInline]


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
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


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "year", "value", "is_example"]
    list_filter = ["year", "is_example", "indicator__area__programme"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__name", "comment"]
    autocomplete_fields = ["indicator"]


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
