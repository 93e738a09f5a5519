"""A new programme period made from the old one (the auditors found the
programme had expired with no successor adopted): areas, the goal tree
with its codes and order, indicators and guidelines are copied; the old
programme and everything in its years stay exactly as they were."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import YEAR_VALIDATORS, Goal, Guideline, Indicator, Programme, ResponsibilityArea


def next_period(programme: Programme) -> tuple[int, int]:
    """The period after the programme's, of the same length."""
    length = programme.last_year - programme.first_year
    return programme.last_year + 1, programme.last_year + 1 + length


@transaction.atomic
def copy_programme(
    source: Programme, first_year: int, last_year: int, name: str | None = None
) -> Programme:
    """Creates the programme for ``first_year``–``last_year`` from ``source``.

    Side effects: a programme not yet adopted (no adopting body or date)
    that records ``source`` as its predecessor, with copies of its areas,
    goals (parents mapped to the copies), indicators (each continuing the
    one it was copied from, so the new charts show the earlier years'
    values) and guidelines, each with a history record. Nothing of
    ``source`` changes. Raises ValidationError (Swedish) for a period that
    does not come after the source's or a name and first year already used.
    """
    for year in (first_year, last_year):
        for validator in YEAR_VALIDATORS:
            validator(year)
    if last_year < first_year:
        raise ValidationError(_("The last year cannot be before the first year."))
    if first_year <= source.last_year:
        raise ValidationError(
            _("The new period must begin after %(last)s, the last year of %(programme)s.")
            % {"last": source.last_year, "programme": source}
        )
    name = (name or source.name).strip()
    if Programme.objects.filter(name=name, first_year=first_year).exists():
        raise ValidationError(
            _("There is already a programme %(name)s from %(year)s.")
            % {"name": name, "year": first_year}
        )
    programme = Programme(
        name=name,
        municipality=source.municipality,
        first_year=first_year,
        last_year=last_year,
        overall_goal=source.overall_goal,
        description=source.description,
        predecessor=source,
    )
    programme.full_clean()
    programme.save()
    for area in source.areas.order_by("number"):
        copied_area = ResponsibilityArea.objects.create(
            programme=programme,
            number=area.number,
            name=area.name,
            overarching_goal=area.overarching_goal,
        )
        _copy_goals(area, copied_area)
        for indicator in area.indicators.order_by("order", "pk"):
            Indicator.objects.create(
                area=copied_area,
                name=indicator.name,
                unit=indicator.unit,
                higher_is_better=indicator.higher_is_better,
                source=indicator.source,
                target=indicator.target,
                counted=indicator.counted,
                kolada_kpi=indicator.kolada_kpi,
                kolada_municipality=indicator.kolada_municipality,
                kolada_gender=indicator.kolada_gender,
                description=indicator.description,
                order=indicator.order,
                continues=indicator,
            )
    for guideline in source.guidelines.order_by("order", "pk"):
        Guideline.objects.create(
            programme=programme,
            name=guideline.name,
            description=guideline.description,
            order=guideline.order,
        )
    return programme


def _copy_goals(area: ResponsibilityArea, copied_area: ResponsibilityArea) -> None:
    """The area's goals, parents before their children, so each copy's
    parent is the copy of the original's parent. A goal whose parent is not
    among the area's (which the models do not allow) is copied without one."""
    remaining = list(area.goals.order_by("order", "code", "pk"))
    ids = {goal.pk for goal in remaining}
    copies: dict[int, Goal] = {}
    while remaining:
        ready = [g for g in remaining if g.parent_id not in ids or g.parent_id in copies]
        if not ready:  # a cycle: nothing left has its parent copied
            ready, ids = remaining, set()
        for goal in ready:
            copies[goal.pk] = Goal.objects.create(
                area=copied_area,
                parent=copies.get(goal.parent_id),
                code=goal.code,
                title=goal.title,
                description=goal.description,
                order=goal.order,
            )
        remaining = [g for g in remaining if g.pk not in copies]
