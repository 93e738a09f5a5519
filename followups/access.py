"""Who may see and do what with a follow-up: the one place that decides.

- Anonymous users go to the login page.
- A follow-up the user may not see answers 404: readers (Läsare) see approved
  follow-ups, and reopened ones with the reports decided on before; people
  who work with the year (anyone allowed to view activities) see every year.
- An action the user's role does not allow, or a change to a year that is no
  longer a draft, answers 403.
- Confidential activities are seen only by those allowed to (Handläggare,
  Nämndsekreterare, Administratör); to everyone else they do not exist (404).
- Contributors (Bidragsgivare) see every year's activities and write only
  those of their own organisational units.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Activity, ArchivedReport, Contributor, FollowUp


def sees_all_years(user) -> bool:
    return user.has_perm("followups.view_activity")


def visible_followups(user) -> QuerySet[FollowUp]:
    """The follow-ups the user may see, newest first."""
    followups = FollowUp.objects.select_related("programme")
    if sees_all_years(user):
        return followups
    if user.has_perm("followups.view_followup"):
        # A year reopened after its decision stays visible with the reports
        # the board decided on (its draft content does not).
        return followups.filter(
            Q(status=FollowUp.Status.APPROVED)
            | Q(pk__in=ArchivedReport.objects.values("followup_id"))
        )
    return followups.none()


def sees_confidential(user) -> bool:
    return user.has_perm("followups.view_confidential_activity")


def visible_activities(user, followup: FollowUp) -> QuerySet[Activity]:
    """The follow-up's activities the user may see: confidential ones only
    for those allowed to."""
    activities = followup.activities.all()
    return activities if sees_confidential(user) else activities.public()


def writes_every_unit(user) -> bool:
    """Staff write every unit's activities; contributors only their own."""
    return user.has_perm("followups.change_activity")


def own_units_only(user) -> bool:
    """A contributor: writes activities, but only of their own units."""
    return not writes_every_unit(user) and user.has_perm("followups.contribute_activity")


def writes_activities(user) -> bool:
    return writes_every_unit(user) or user.has_perm("followups.contribute_activity")


def contributed_unit_ids(user) -> frozenset[int]:
    """The organisational units a contributor reports for (one query, kept
    on the user for the request)."""
    if not hasattr(user, "_contributed_unit_ids"):
        user._contributed_unit_ids = frozenset(
            Contributor.units.through.objects.filter(contributor__user_id=user.pk).values_list(
                "organisationalunit_id", flat=True
            )
        )
    return user._contributed_unit_ids


def may_import(user) -> bool:
    """Importing adds and changes activities: staff who do both, or
    contributors (for their own units' rows)."""
    return user.is_active and (
        user.has_perms(("followups.add_activity", "followups.change_activity"))
        or user.has_perm("followups.contribute_activity")
    )


def may_continue_activity(user, activity: Activity) -> bool:
    """Continuing adds an activity to next year: staff who add activities,
    or a contributor for an activity of their own unit."""
    if user.has_perm("followups.add_activity"):
        return True
    return may_write_activity(user, activity)


def may_write_activity(user, activity: Activity) -> bool:
    """Whether the user may change (or continue) the activity, whatever the
    year's state: staff any, a contributor one of their own units'."""
    if writes_every_unit(user):
        return True
    return user.has_perm(
        "followups.contribute_activity"
    ) and activity.responsible_unit_id in contributed_unit_ids(user)


def can_edit_year(user, followup: FollowUp, permission: str) -> bool:
    """Staff change a year's content only while it is a draft."""
    return followup.status == FollowUp.Status.DRAFT and user.has_perm(permission)


class FollowUpAccessMixin(LoginRequiredMixin):
    """Loads ``self.followup`` from the URL's programme and year, or 404.

    ``permission_required`` names the permission (or permissions) the
    view's action needs (403 without it); ``requires_draft`` refuses (403) any change once the
    year has been submitted.
    """

    permission_required: str | tuple[str, ...] | None = None
    requires_draft = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.followup = get_object_or_404(
            visible_followups(request.user),
            programme_id=kwargs["programme"],
            year=kwargs["year"],
        )
        if not self.has_permission():
            raise PermissionDenied
        if self.requires_draft and self.followup.status != FollowUp.Status.DRAFT:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def has_permission(self) -> bool:
        """Whether the user's role allows the view's action (``self.followup``
        is loaded); views whose rule is not a plain permission override it."""
        required = self.permission_required
        if isinstance(required, str):
            required = (required,)
        return not required or self.request.user.has_perms(required)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["followup"] = self.followup
        context["programme"] = self.followup.programme
        return context
