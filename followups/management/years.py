"""The year a command works on: ``--year Y [--programme ID]``, shared by the
commands that read or write one year's follow-up."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from followups.models import FollowUp


def add_year_arguments(parser) -> None:
    parser.add_argument("--year", type=int, required=True, help=_("The year followed up."))
    parser.add_argument(
        "--programme", type=int, help=_("Programme id; needed when several have the year.")
    )


def followup_for_year(year: int, programme: int | None) -> FollowUp:
    """The one follow-up of the year (of the programme, when given); a
    CommandError in Swedish when there is none or the year is ambiguous."""
    followups = FollowUp.objects.select_related("programme").filter(year=year)
    if programme is not None:
        followups = followups.filter(programme_id=programme)
    found = list(followups[:2])
    if not found:
        raise CommandError(_("There is no follow-up for %(year)s.") % {"year": year})
    if len(found) > 1:
        raise CommandError(
            _("Several programmes have a follow-up for %(year)s; name one with --programme.")
            % {"year": year}
        )
    return found[0]
