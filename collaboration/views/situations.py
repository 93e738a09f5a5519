"""Situation pictures (lägesbilder) and their problems."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, UpdateView

from programmes.models import District, Partner

from ..access import CollaborationAccessMixin
from ..forms import ProblemForm, SituationForm
from ..models import Problem, SituationPicture
from .editing import SavingFormMixin


class SituationView(CollaborationAccessMixin, DetailView):
    template_name = "collaboration/situation.html"
    context_object_name = "picture"

    def get_queryset(self):
        return SituationPicture.objects.prefetch_related(
            Prefetch("partners", queryset=Partner.objects.order_by("name")),
            Prefetch(
                "problems",
                queryset=Problem.objects.prefetch_related(
                    Prefetch("districts", queryset=District.objects.order_by("name"))
                ),
            ),
            "plans",
        )


class SituationFormMixin(SavingFormMixin, CollaborationAccessMixin):
    model = SituationPicture
    form_class = SituationForm

    def saved_url(self, row) -> str:
        return reverse("situation", args=[row.pk])


class SituationCreateView(SituationFormMixin, CreateView):
    permission_required = "collaboration.add_situationpicture"
    extra_context = {"heading": gettext_lazy("New situation picture")}


class SituationUpdateView(SituationFormMixin, UpdateView):
    permission_required = "collaboration.change_situationpicture"
    extra_context = {"heading": gettext_lazy("Change the situation picture")}


class ProblemFormMixin(SavingFormMixin, CollaborationAccessMixin):
    model = Problem
    form_class = ProblemForm

    def load(self, **kwargs) -> None:
        self.picture = get_object_or_404(SituationPicture, pk=kwargs["picture"])

    def get_queryset(self):
        return Problem.objects.filter(picture=self.picture)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "picture": self.picture}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["picture"] = self.picture
        return context

    def saved_url(self, row) -> str:
        return reverse("situation", args=[self.picture.pk])


class ProblemCreateView(ProblemFormMixin, CreateView):
    permission_required = "collaboration.add_problem"
    extra_context = {"heading": gettext_lazy("New problem")}


class ProblemUpdateView(ProblemFormMixin, UpdateView):
    permission_required = "collaboration.change_problem"
    extra_context = {"heading": gettext_lazy("Change the problem")}
