"""The collaboration's start page and an agreement's page."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from programmes.models import District, Partner

from ..access import CollaborationAccessMixin
from ..models import ActionPlan, Agreement, CitizenPromise, SituationPicture, TertialFollowUp


class OverviewView(CollaborationAccessMixin, TemplateView):
    """Staff: agreements, situation pictures and action plans. Readers: the
    tertial reports ready for the steering group and the decided plans."""

    template_name = "collaboration/overview.html"
    for_readers = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plans = ActionPlan.objects.select_related("picture")
        tertials = TertialFollowUp.objects.select_related("agreement").filter(ready=True)
        if self.staff:
            context["agreements"] = Agreement.objects.prefetch_related(
                Prefetch("partners", queryset=Partner.objects.order_by("name"))
            )
            context["pictures"] = SituationPicture.objects.all()
        else:
            plans = plans.filter(decided_on__isnull=False)
        context["plans"] = plans
        context["ready_tertials"] = tertials
        context["staff"] = self.staff
        return context


class AgreementView(CollaborationAccessMixin, TemplateView):
    """An agreement: its parties, priority areas and focus districts, the
    promises per year and the tertials of every year."""

    template_name = "collaboration/agreement.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = get_object_or_404(
            Agreement.objects.prefetch_related(
                Prefetch("partners", queryset=Partner.objects.order_by("name")),
                Prefetch("districts", queryset=District.objects.order_by("name")),
                "priority_areas",
            ),
            pk=kwargs["agreement"],
        )
        promises = (
            CitizenPromise.objects.filter(agreement=agreement)
            .select_related("priority_area")
            .prefetch_related(Prefetch("partners", queryset=Partner.objects.order_by("name")))
        )
        saved = {
            (t.year, t.tertial): t for t in TertialFollowUp.objects.filter(agreement=agreement)
        }
        context["agreement"] = agreement
        context["years"] = [
            {
                "year": year,
                "promises": [p for p in promises if p.year == year],
                "tertials": [
                    {"number": number, "saved": saved.get((year, number))} for number in (1, 2, 3)
                ],
            }
            for year in agreement.years
        ]
        return context
