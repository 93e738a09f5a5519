"""The programme across its years: ratings, goal fulfilment per area and
indicator series, for everyone who may see a year of it."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from programmes.models import Programme

from ..access import sees_all_years, visible_followups
from ..models import FollowUp
from ..trends import draw_area_charts, draw_indicator_charts, programme_trends


def sees_every_year_of_programmes(user) -> bool:
    """Staff who work with the years' assessments see drafts too, marked;
    readers and contributors see what has been decided."""
    return sees_all_years(user) and user.has_perm("followups.view_goalassessment")


class ProgrammeTrendsView(LoginRequiredMixin, TemplateView):
    """A programme's development over its years. A programme with no year
    the user may see answers 404, as its years do."""

    template_name = "followups/programme_trends.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.programme = get_object_or_404(Programme, pk=kwargs["programme"])
        self.all_years = sees_every_year_of_programmes(request.user)
        self.years = list(
            visible_followups(request.user)
            .filter(programme=self.programme)
            .order_by("-year")
            .values_list("year", "status", named=True)
        )
        if not self.years:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        trends = programme_trends(self.programme, approved_only=not self.all_years)
        draw_area_charts(trends.years, trends.areas)
        draw_indicator_charts(trends.indicators)
        statuses = dict(FollowUp.Status.choices)
        context.update(
            programme=self.programme,
            trends=trends,
            all_years=self.all_years,
            year_links=[(row.year, statuses[row.status], row.status) for row in self.years],
        )
        return context
