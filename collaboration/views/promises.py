"""Citizen promises and the activities of a priority area, written by
Handläggare (and Administratör)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, UpdateView

from followups.access import sees_confidential

from ..access import CollaborationAccessMixin
from ..forms import PriorityAreaActivitiesForm, PromiseForm
from ..models import Agreement, CitizenPromise, PriorityArea
from .editing import SavingFormMixin


class AgreementFormMixin(SavingFormMixin, CollaborationAccessMixin):
    def load(self, **kwargs) -> None:
        self.agreement = get_object_or_404(Agreement, pk=kwargs["agreement"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agreement"] = self.agreement
        return context

    def saved_url(self, row) -> str:
        return reverse("agreement", args=[self.agreement.pk])


class PromiseFormMixin(AgreementFormMixin):
    model = CitizenPromise
    form_class = PromiseForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "agreement": self.agreement,
            "confidential": sees_confidential(self.request.user),
        }


class PromiseCreateView(PromiseFormMixin, CreateView):
    permission_required = "collaboration.add_citizenpromise"
    extra_context = {"heading": gettext_lazy("New citizen promise")}


class PromiseUpdateView(PromiseFormMixin, UpdateView):
    permission_required = "collaboration.change_citizenpromise"
    extra_context = {"heading": gettext_lazy("Change the citizen promise")}

    def get_queryset(self):
        return CitizenPromise.objects.filter(agreement=self.agreement)


class PriorityAreaActivitiesView(AgreementFormMixin, UpdateView):
    """Which of the programme's activities work on a priority area."""

    permission_required = "collaboration.change_priorityarea"
    form_class = PriorityAreaActivitiesForm

    def get_queryset(self):
        return PriorityArea.objects.filter(agreement=self.agreement)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "confidential": sees_confidential(self.request.user)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Activities in the priority area %(name)s") % {
            "name": self.object.name
        }
        return context
