"""The year as spreadsheets: the activity list exactly as filtered on the
page (the filters in the URL apply), and the whole year as one workbook."""

from django.http import HttpResponse
from django.views import View

from ..access import FollowUpAccessMixin, sees_confidential, visible_activities
from ..filters import ActivityFilter
from ..spreadsheets import (
    CONTENT_TYPE,
    activities_filename,
    activities_workbook,
    year_filename,
    year_workbook,
)


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ActivityExportView(FollowUpAccessMixin, View):
    """The activity list's rows as XLSX, filtered and sorted as the list
    with the same query string; an invalid filter gives the list's empty
    result, headers only. Confidential activities only for those who see
    them, with the confidentiality columns."""

    permission_required = "followups.view_activity"

    def get(self, request, *args, **kwargs):
        # The list's rows and order; the workbook adds what its rows show.
        filterset = ActivityFilter(
            request.GET or None,
            queryset=visible_activities(request.user, self.followup).order_by(
                "area__number", "title", "pk"
            ),
            followup=self.followup,
        )
        if filterset.is_bound and not filterset.is_valid():
            activities = filterset.queryset.none()
        else:
            activities = filterset.qs
        return xlsx_response(
            activities_workbook(activities, sees_confidential(request.user)),
            activities_filename(self.followup),
        )


class YearExportView(FollowUpAccessMixin, View):
    """The whole year as one workbook (as ``manage.py export_year``), for
    those who read the year's assessments too (not contributors)."""

    permission_required = ("followups.view_activity", "followups.view_goalassessment")

    def get(self, request, *args, **kwargs):
        return xlsx_response(
            year_workbook(self.followup, sees_confidential(request.user)),
            year_filename(self.followup),
        )
