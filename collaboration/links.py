"""Links to the programme's activities, worked out once per page rather
than by a ``{% url %}`` tag per row: a trace or a tertial of 500 activities
would otherwise spend much of its time reversing URLs."""

from django.urls import reverse

from followups.models import Activity


def add_detail_urls(activities: list[Activity]) -> list[Activity]:
    """Sets ``detail_url`` on each activity (its followup loaded): its page
    is ``<pk>/`` under its year's activity list, reversed once per year."""
    lists: dict[tuple[int, int], str] = {}
    for activity in activities:
        key = (activity.followup.programme_id, activity.followup.year)
        if key not in lists:
            lists[key] = reverse("activity-list", args=key)
        activity.detail_url = f"{lists[key]}{activity.pk}/"
    return activities
