"""What happened in a year (``year``, ``activity``), its records and guards (``records``)
and the rendered report files (``rendering``)."""

from .activity import Activity, ConfidentialityGround, Contributor, validate_goals_in_programme
from .records import (
    APPROVED_MESSAGE,
    SUBMITTED_MESSAGE,
    YEAR_CONTENT,
    ArchivedReport,
    StatusChange,
    ensure_not_approved,
    value_in_approved_year,
    value_in_closed_year,
)
from .rendering import ReportRendering
from .year import (
    AreaSummary,
    FollowUp,
    FollowUpPart,
    GoalAssessment,
    GuidelineFollowUp,
    Rating,
    Scale,
)

__all__ = [
    "APPROVED_MESSAGE",
    "SUBMITTED_MESSAGE",
    "YEAR_CONTENT",
    "Activity",
    "ArchivedReport",
    "AreaSummary",
    "ConfidentialityGround",
    "Contributor",
    "FollowUp",
    "FollowUpPart",
    "GoalAssessment",
    "GuidelineFollowUp",
    "Rating",
    "ReportRendering",
    "Scale",
    "StatusChange",
    "ensure_not_approved",
    "validate_goals_in_programme",
    "value_in_approved_year",
    "value_in_closed_year",
]
