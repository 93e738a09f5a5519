"""Situation pictures (lägesbilder) and their problems."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, UpdateView

from programmes.models import District, Partner

from ..access import CollaborationAccessMixin
from ..forms import ProblemForm, SituationForm
from ..models import Problem, SituationPicture


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


class SituationFormMixin(CollaborationAccessMixin):
    model = SituationPicture
    form_class = SituationForm
    template_name = "collaboration/form.html"
    form_only = True

    def form_valid(self, form):
        picture = form.save()
        messages.success(self.request, _("Saved."))
        return redirect("situation", picture.pk)


class SituationCreateView(SituationFormMixin, CreateView):
    permission_required = "collaboration.add_situationpicture"
    extra_context = {"heading": gettext_lazy("New situation picture")}


class SituationUpdateView(SituationFormMixin, UpdateView):
    permission_required = "collaboration.change_situationpicture"
    extra_context = {"heading": gettext_lazy("Change the situation picture")}


class ProblemFormMixin(CollaborationAccessMixin):
    model = Problem
    form_class = ProblemForm
    template_name = "collaboration/form.html"
    form_only = True

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

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Saved."))
        return redirect("situation", self.picture.pk)


class ProblemCreateView(ProblemFormMixin, CreateView):
    permission_required = "collaboration.add_problem"
    extra_context = {"heading": gettext_lazy("New problem")}


class ProblemUpdateView(ProblemFormMixin, UpdateView):
    permission_required = "collaboration.change_problem"
    extra_context = {"heading": gettext_lazy("Change the problem")}
