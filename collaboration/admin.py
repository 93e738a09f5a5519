"""Agreements and action plans are decided documents: administrators enter
them here. The follow-up work (promises, tertials, situation pictures and
measures) is done on the staff pages, and can be corrected here too.
Activities are chosen from plain lists, not autocomplete, whose widget
fails on a value that is no id."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ActionPlan,
    Agreement,
    CitizenPromise,
    Measure,
    PriorityArea,
    PriorityAreaStatus,
    Problem,
    PromiseRating,
    SituationPicture,
    TertialFollowUp,
)


class PriorityAreaInline(admin.TabularInline):
    model = PriorityArea
    fields = ["order", "name", "description"]
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "first_year", "last_year", "registration_number", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "registration_number", "governance"]
    filter_horizontal = ["partners", "districts"]
    inlines = [PriorityAreaInline]


@admin.register(PriorityArea)
class PriorityAreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "agreement", "order"]
    list_select_related = ["agreement"]
    search_fields = ["name", "description"]
    filter_horizontal = ["activities"]


@admin.register(CitizenPromise)
class CitizenPromiseAdmin(SimpleHistoryAdmin):
    list_display = ["category", "year", "agreement", "is_example"]
    list_filter = ["year", "is_example"]
    list_select_related = ["agreement"]
    search_fields = ["category", "text"]
    filter_horizontal = ["partners", "activities"]


class PriorityAreaStatusInline(admin.StackedInline):
    model = PriorityAreaStatus
    fields = ["priority_area", "text"]
    extra = 0


class PromiseRatingInline(admin.TabularInline):
    model = PromiseRating
    fields = ["promise", "rating", "comment"]
    extra = 0


@admin.register(TertialFollowUp)
class TertialFollowUpAdmin(SimpleHistoryAdmin):
    list_display = ["agreement", "year", "tertial", "ready"]
    list_filter = ["year", "tertial", "ready"]
    list_select_related = ["agreement"]
    search_fields = ["summary"]
    inlines = [PriorityAreaStatusInline, PromiseRatingInline]


class ProblemInline(admin.StackedInline):
    model = Problem
    fields = ["order", "name", "mapping", "extent", "consequences", "districts", "sources"]
    filter_horizontal = ["districts"]
    extra = 0


@admin.register(SituationPicture)
class SituationPictureAdmin(SimpleHistoryAdmin):
    list_display = ["title", "made_on", "first_year", "last_year", "is_example"]
    search_fields = ["title", "analysis"]
    filter_horizontal = ["partners"]
    inlines = [ProblemInline]


@admin.register(Problem)
class ProblemAdmin(SimpleHistoryAdmin):
    list_display = ["name", "picture", "order"]
    list_select_related = ["picture"]
    search_fields = ["name", "mapping"]


class MeasureInline(admin.StackedInline):
    model = Measure
    fields = ["order", "title", "description", "problems", "responsible_unit"]
    filter_horizontal = ["problems"]
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "first_year", "last_year", "decided_by", "decided_on", "is_example"]
    search_fields = ["title", "registration_number"]
    inlines = [MeasureInline]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "responsible_unit", "order"]
    list_select_related = ["plan", "responsible_unit"]
    search_fields = ["title", "description"]
    filter_horizontal = ["problems", "activities"]
