"""Who may see and do what in the collaboration: the one place that decides.

- Anonymous users go to the login page.
- Staff who work with it (Handläggare, Nämndsekreterare, Administratör: the
  right to view measures) see everything; Handläggare and Administratör
  write the follow-up work, each page asking its model permission.
- Readers (Läsare) see the overview of what is published to them: the
  tertial reports marked ready for the steering group and the action plans
  decided on, and those reports themselves. A tertial not ready or a plan
  not decided does not exist for them (404); working pages answer 403.
- Contributors (Bidragsgivare) have none of it (403): they report their
  units' activities in the follow-up.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied


def works_with_collaboration(user) -> bool:
    return user.has_perm("collaboration.view_measure")


def reads_published(user) -> bool:
    """Readers: the ready tertial reports and the decided plans."""
    return user.has_perm("collaboration.view_tertialfollowup") or user.has_perm(
        "collaboration.view_actionplan"
    )


class CollaborationAccessMixin(LoginRequiredMixin):
    """Refuses anonymous users (login) and users the view is not for (403).

    ``for_readers``: readers may open the view too (it narrows what they
    see); ``permission_required``: the model permission writing needs (asked
    on POST, and on GET of a page that is only a form).
    """

    for_readers = False
    permission_required: str | None = None
    form_only = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        user = request.user
        self.staff = works_with_collaboration(user)
        if not self.staff and not (self.for_readers and reads_published(user)):
            raise PermissionDenied
        writing = request.method == "POST" or self.form_only
        if writing and self.permission_required and not user.has_perm(self.permission_required):
            raise PermissionDenied
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs) -> None:
        """Loads what the URL names (404 when it is missing), once the user
        may use the view at all."""
