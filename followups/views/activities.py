from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView

from programmes.models import District, Goal, OrganisationalUnit, Partner

from .. import extensions, services
from ..access import (
    FollowUpAccessMixin,
    contributed_unit_ids,
    may_continue_activity,
    may_import,
    may_write_activity,
    own_units_only,
    sees_confidential,
    visible_activities,
    writes_activities,
)
from ..activity_form import ActivityForm
from ..filters import ActivityFilter
from ..forms import DELETED_MESSAGE, STALE_DELETE_MESSAGE
from ..history import change_log
from ..models import Activity


def activity_queryset(followup, user):
    """The year's activities the user may see, with everything a list row
    shows, in a fixed number of queries."""
    return (
        visible_activities(user, followup)
        .select_related("area", "responsible_unit")
        .prefetch_related(
            Prefetch("districts", queryset=District.objects.order_by("name")),
            Prefetch("partners", queryset=Partner.objects.order_by("name")),
            Prefetch("goals", queryset=Goal.objects.order_by("area__number", "order", "code")),
        )
        .order_by("area__number", "title", "pk")
    )


class ActivityListView(FollowUpAccessMixin, ListView):
    permission_required = "followups.view_activity"
    template_name = "followups/activity_list.html"
    context_object_name = "activities"
    paginate_by = 25

    def get_queryset(self):
        self.filterset = ActivityFilter(
            self.request.GET or None,
            # The long texts are not shown in the list; leaving them out
            # keeps sorting a large year cheap.
            queryset=activity_queryset(self.followup, self.request.user).defer(
                "description", "result"
            ),
            followup=self.followup,
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        context["filtered"] = any(v for k, v in self.request.GET.items() if k != "page")
        context.update(writer_context(self.request.user, self.followup))
        return context


def writer_context(user, followup) -> dict:
    """What the pages tell a person about writing activities: whether they
    may add and import, and a contributor's own units."""
    is_draft = followup.status == followup.Status.DRAFT
    context = {
        "can_add": is_draft and writes_activities(user),
        "can_import": is_draft and may_import(user),
        "shows_confidential": sees_confidential(user),
    }
    if own_units_only(user):
        context["own_units"] = list(
            OrganisationalUnit.objects.filter(pk__in=contributed_unit_ids(user)).order_by("name")
        )
        context["can_add"] = context["can_import"] = is_draft and bool(context["own_units"])
    return context


class ActivityMixin(FollowUpAccessMixin):
    """Loads ``self.activity`` from the URL, or 404 when it does not belong to
    the URL's follow-up."""

    def get_activity(self) -> Activity:
        if not hasattr(self, "activity"):
            self.activity = get_object_or_404(
                activity_queryset(self.followup, self.request.user), pk=self.kwargs["pk"]
            )
        return self.activity

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["activity"] = self.get_activity()
        return context


class ActivityDetailView(ActivityMixin, DetailView):
    permission_required = "followups.view_activity"
    template_name = "followups/activity_detail.html"

    def get_object(self, queryset=None):
        return self.get_activity()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activity = self.activity
        user = self.request.user
        context["history"] = change_log(activity)
        continuations = activity.continuations.select_related("followup")
        continues = activity.continues
        if not sees_confidential(user):
            continuations = continuations.public()
            if continues is not None and continues.is_confidential:
                continues = None
        context["continuations"] = continuations
        context["continues"] = continues
        context["shows_confidential"] = sees_confidential(user)
        is_draft = self.followup.status == self.followup.Status.DRAFT
        context["can_change"] = is_draft and may_write_activity(user, activity)
        context["can_delete"] = is_draft and user.has_perm("followups.delete_activity")
        context["can_continue"] = may_continue_activity(user, activity) and (
            self.followup.programme.covers(self.followup.year + 1)
        )
        # What other apps show of the activity (followups.extensions).
        context["extra_sections"] = [
            section
            for add_section in extensions.activity_sections
            if (section := add_section(activity, user)) is not None
        ]
        return context


class ActivityFormMixin:
    form_class = ActivityForm
    template_name = "followups/activity_form.html"
    requires_draft = True

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["followup"] = self.followup
        kwargs["instance"] = self.get_instance()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(writer_context(self.request.user, self.followup))
        return context

    def form_valid(self, form):
        try:
            with transaction.atomic():
                saved = form.save_if_unchanged()
        except ValidationError as error:
            # The year was submitted while the user edited (the models check
            # it under a lock): nothing was saved, the text stays in the form.
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        if not saved:
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(self.request, self.success_message % {"title": form.instance.title})
        return redirect(
            "activity-detail", self.followup.programme_id, self.followup.year, form.instance.pk
        )


class ActivityCreateView(ActivityFormMixin, FollowUpAccessMixin, FormView):
    success_message = _("The activity “%(title)s” was saved.")

    def has_permission(self) -> bool:
        user = self.request.user
        return user.has_perm("followups.add_activity") or own_units_only(user)

    def get_instance(self) -> Activity:
        return Activity(followup=self.followup)


class ActivityUpdateView(ActivityFormMixin, ActivityMixin, FormView):
    success_message = _("The changes to “%(title)s” were saved.")

    def has_permission(self) -> bool:
        """Staff change any activity; a contributor one of their own units
        (an activity they may not see is a 404 first)."""
        user = self.request.user
        self.deleted = not self.followup.activities.filter(pk=self.kwargs["pk"]).exists()
        if self.deleted:
            # Deleted, perhaps meanwhile: a GET finds nothing (404), a POST
            # offers to save what was typed as a new activity.
            return writes_activities(user)
        return may_write_activity(user, self.get_activity())

    def get_instance(self) -> Activity:
        return self.get_activity()

    def post(self, request, *args, **kwargs):
        if self.deleted:  # found out by has_permission()
            return self.deleted_meanwhile()
        return super().post(request, *args, **kwargs)

    def deleted_meanwhile(self):
        """Someone deleted the activity while this user edited it: show what
        they typed, offering to save it as a new activity."""
        data = self.request.POST.copy()
        data["version"] = "0"
        form = ActivityForm(
            data,
            followup=self.followup,
            instance=Activity(followup=self.followup),
            user=self.request.user,
        )
        form.is_valid()
        form.add_error(None, DELETED_MESSAGE)
        self.activity = form.instance
        context = self.get_context_data(form=form)
        context["form_action"] = reverse(
            "activity-create", args=[self.followup.programme_id, self.followup.year]
        )
        return self.render_to_response(context)


class ActivityDeleteView(ActivityMixin, TemplateView):
    permission_required = "followups.delete_activity"
    requires_draft = True
    template_name = "followups/activity_confirm_delete.html"

    def post(self, request, *args, **kwargs):
        """Deletes the activity only as the user saw it: the confirmation
        page carries its version, and a newer one is shown instead (409)."""
        activity = self.get_activity()
        title = activity.title
        try:
            seen_version = int(request.POST.get("version", ""))
        except ValueError:
            seen_version = -1
        try:
            with transaction.atomic():
                deleted = activity.delete_if_unchanged(seen_version)
        except ValidationError as error:
            return self.refused(error.messages)
        if not deleted:
            return self.refused([STALE_DELETE_MESSAGE])
        messages.success(request, _("The activity “%(title)s” was deleted.") % {"title": title})
        return redirect("activity-list", self.followup.programme_id, self.followup.year)

    def refused(self, errors: list[str]):
        """The confirmation again, with the activity as it is now."""
        self.activity = get_object_or_404(
            activity_queryset(self.followup, self.request.user), pk=self.kwargs["pk"]
        )
        context = self.get_context_data(errors=errors)
        return self.render_to_response(context, status=409)


class ActivityContinueView(ActivityMixin, TemplateView):
    """Copies the activity into next year's follow-up (GET asks, POST does)."""

    template_name = "followups/activity_confirm_continue.html"

    def has_permission(self) -> bool:
        return may_continue_activity(self.request.user, self.get_activity())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next_year"] = self.followup.year + 1
        return context

    def post(self, request, *args, **kwargs):
        activity = self.get_activity()
        try:
            copy = services.continue_next_year(activity, request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return HttpResponseRedirect(request.path)
        messages.success(
            request,
            _("The activity continues in %(year)s as a planned activity.")
            % {"year": copy.followup.year},
        )
        return redirect("activity-detail", copy.followup.programme_id, copy.followup.year, copy.pk)
