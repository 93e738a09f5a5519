"""Who may see and do what with a follow-up: the one place that decides.

- Anonymous users go to the login page.
- A follow-up the user may not see answers 404: readers (Läsare) see approved
  follow-ups, and reopened ones with the reports decided on before; people
  who work with the year (anyone allowed to view activities) see every year.
- An action the user's role does not allow, or a change to a year that is no
  longer a draft, answers 403.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import ArchivedReport, FollowUp


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
        required = self.permission_required
        if isinstance(required, str):
            required = (required,)
        if required and not request.user.has_perms(required):
            raise PermissionDenied
        if self.requires_draft and self.followup.status != FollowUp.Status.DRAFT:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["followup"] = self.followup
        context["programme"] = self.followup.programme
        return context
