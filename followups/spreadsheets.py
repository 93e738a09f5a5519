"""The year in spreadsheets (XLSX): the activity list as filtered on the
page, and the whole year as one workbook with a sheet per kind of entry.

Every sheet has Swedish headers in a frozen first row with an autofilter,
columns wide enough to read, numbers as numbers. A text that a spreadsheet
program could take for a formula (it begins with =, +, -, @, a tab or a
carriage return) is written as a string cell with Excel's own "quote
prefix", so it is shown exactly as typed and never evaluated.
"""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, NamedStyle
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from programmes.models import District, Goal, Guideline, IndicatorValue, Partner

from .models import (
    Activity,
    AreaSummary,
    ConfidentialityGround,
    FollowUp,
    GoalAssessment,
    GuidelineFollowUp,
)

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 60  # characters; longer texts wrap
MIN_WIDTH = 8


@dataclass
class Column:
    header: str
    width: int = 0  # 0: from the content
    wrap: bool = False
    number_format: str = ""  # Excel's, e.g. "# ##0"


def _cell_text(value: str) -> str:
    # XML cannot hold most control characters; openpyxl refuses them.
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _cell_style(sheet: Worksheet, column: Column) -> str:
    """The workbook's named style for the column's cells (top-aligned,
    wrapped or not, with the column's number format), added once. A named
    style costs a fraction of a style set on each cell."""
    name = str(_("Table text"))
    if column.wrap:
        name = str(_("Table text, wrapped"))
    if column.number_format:
        name = f"{name} ({column.number_format})"
    workbook = sheet.parent
    if name not in workbook.named_styles:
        workbook.add_named_style(
            NamedStyle(
                name=name,
                alignment=Alignment(vertical="top", wrap_text=column.wrap),
                number_format=column.number_format or "General",
            )
        )
    return name


def write_sheet(sheet: Worksheet, columns: Sequence[Column], rows: Iterable[Sequence]) -> None:
    """Writes the header and the rows: headers bold in a frozen first row,
    an autofilter over the whole table, widths from the content."""
    widths = [len(column.header) for column in columns]
    styles = [_cell_style(sheet, column) for column in columns]
    sheet.append([column.header for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, row in enumerate(rows, start=2):
        for column_number, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column_number)
            cell.style = styles[column_number - 1]
            if isinstance(value, str):
                cell.value = _cell_text(value)
                if value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"  # openpyxl took "=…" for a formula
                    cell.quotePrefix = True
                longest = max((len(line) for line in value.splitlines()), default=0)
            else:
                cell.value = value
                longest = len(str(value)) if value is not None else 0
            widths[column_number - 1] = max(widths[column_number - 1], longest)
    for number, (column, width) in enumerate(zip(columns, widths, strict=True), start=1):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = column.width or max(
            MIN_WIDTH, min(MAX_WIDTH, width + 2)
        )
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(sheet.max_row, 1)}"


def _bytes(workbook: Workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- activities ------------------------------------------------------------


def activity_columns(confidential: bool = False) -> list[Column]:
    """The activity sheet's columns; ``confidential`` adds whether an
    activity is confidential and on what ground (for those who see such
    activities; the import never reads them)."""
    columns = [
        Column(_("ID"), width=8),
        Column(_("Responsibility area")),
        Column(_("Goals")),
        Column(_("Title")),
        Column(_("Responsible unit")),
        Column(_("Partners")),
        Column(_("Districts")),
        Column(_("Status")),
        Column(_("Cost (SEK)"), width=14, number_format="# ##0"),
        Column(_("Description"), width=MAX_WIDTH, wrap=True),
        Column(_("Result"), width=MAX_WIDTH, wrap=True),
        Column(_("Continued from")),
    ]
    if confidential:
        columns += [Column(_("Confidential"), width=12), Column(_("Legal ground"))]
    return columns


# The columns of an activity row read from the database, in the sheet's order.
ROW_VALUES = (
    "pk",
    "area__number",
    "area__name",
    "title",
    "responsible_unit__name",
    "status",
    "cost",
    "description",
    "result",
    "continues__title",
    "continues__followup__year",
    "continues__is_confidential",
    "is_confidential",
    "confidentiality_ground",
    "confidentiality_note",
)
LINKS = (
    ("goals", "goal__code", ("goal__area__number", "goal__order", "goal__code")),
    ("partners", "partner__name", ("partner__name",)),
    ("districts", "district__name", ("district__name",)),
)


def activity_rows(activities, confidential: bool = False):
    """The sheet's rows for the activities (a queryset, in its order):
    plain values, no model instances, in four queries whatever the number
    of rows. A continued confidential activity is named only with
    ``confidential``."""
    links = {}
    for name, value, order in LINKS:
        through = Activity._meta.get_field(name).remote_field.through
        found: dict[int, list[str]] = {}
        for activity_id, text in (
            through.objects.filter(activity__in=activities.order_by().values("pk"))
            .order_by(*order)
            .values_list("activity_id", value)
        ):
            found.setdefault(activity_id, []).append(text)
        links[name] = found
    statuses = {value: str(label) for value, label in Activity.Status.choices}
    grounds = {value: str(label) for value, label in ConfidentialityGround.choices}
    for (
        pk,
        area_number,
        area_name,
        title,
        unit,
        status,
        cost,
        description,
        result,
        continues_title,
        continues_year,
        continues_confidential,
        is_confidential,
        ground,
        note,
    ) in activities.values_list(*ROW_VALUES):
        shows_continued = continues_title is not None and (
            confidential or not continues_confidential
        )
        row = [
            pk,
            f"{area_number} {area_name}",
            ", ".join(links["goals"].get(pk, ())),
            title,
            unit or "",
            ", ".join(links["partners"].get(pk, ())),
            ", ".join(links["districts"].get(pk, ())),
            statuses.get(status, status),
            int(cost) if cost is not None else None,
            description,
            result,
            f"{continues_title} ({continues_year})" if shows_continued else "",
        ]
        if confidential:
            row += [
                _("Yes") if is_confidential else "",
                confidentiality_text(is_confidential, grounds.get(ground, ground), note),
            ]
        yield row


def confidentiality_text(is_confidential: bool, ground: str, note: str) -> str:
    """The ground as the activity's page and the sheet show it."""
    if not is_confidential:
        return ""
    return f"{ground}: {note}" if note else ground


def write_activities(sheet: Worksheet, activities, confidential: bool = False) -> None:
    """The activities (a queryset the caller has narrowed to what the
    reader may see); ``confidential`` adds the confidentiality columns and
    shows a continued confidential activity."""
    sheet.title = _("Activities")
    write_sheet(sheet, activity_columns(confidential), activity_rows(activities, confidential))


def activities_workbook(activities, confidential: bool = False) -> bytes:
    """The activities (a queryset, in its order) as a workbook of one sheet."""
    workbook = Workbook()
    write_activities(workbook.active, activities, confidential)
    return _bytes(workbook)


# --- the whole year ----------------------------------------------------------


def year_workbook(followup: FollowUp, confidential: bool = True) -> bytes:
    """The year's activities, goal assessments, area summaries, indicator
    values (every year of the programme's indicators up to this one) and
    guideline texts, a sheet each. ``confidential=False`` leaves the
    confidential activities out."""
    workbook = Workbook()
    activities = followup.activities.order_by("area__number", "title", "pk")
    if not confidential:
        activities = activities.public()
    write_activities(workbook.active, activities, confidential)
    programme_id = followup.programme_id

    assessments = {
        a.goal_id: a for a in GoalAssessment.objects.filter(followup=followup).order_by()
    }
    goals = Goal.objects.filter(area__programme_id=programme_id).select_related("area")
    sheet = workbook.create_sheet(_("Goal assessments"))
    write_sheet(
        sheet,
        [
            Column(_("Responsibility area")),
            Column(_("Goal code"), width=10),
            Column(_("Goal")),
            Column(_("Assessment")),
            Column(_("Analysis"), width=MAX_WIDTH, wrap=True),
        ],
        (
            [
                f"{goal.area.number} {goal.area.name}",
                goal.code,
                goal.title,
                assessments[goal.pk].get_rating_display() if goal.pk in assessments else "",
                assessments[goal.pk].analysis if goal.pk in assessments else "",
            ]
            for goal in goals.order_by("area__number", "order", "code")
        ),
    )

    summaries = dict(AreaSummary.objects.filter(followup=followup).values_list("area_id", "text"))
    sheet = workbook.create_sheet(_("Area summaries"))
    write_sheet(
        sheet,
        [Column(_("Responsibility area")), Column(_("Summary"), width=MAX_WIDTH, wrap=True)],
        (
            [f"{area.number} {area.name}", summaries.get(area.pk, "")]
            for area in followup.programme.areas.order_by("number")
        ),
    )

    values = (
        IndicatorValue.objects.filter(
            indicator__area__programme_id=programme_id, year__lte=followup.year
        )
        .select_related("indicator__area")
        .order_by("indicator__area__number", "indicator__order", "indicator__name", "year")
    )
    sheet = workbook.create_sheet(_("Indicator values"))
    write_sheet(
        sheet,
        [
            Column(_("Responsibility area")),
            Column(_("Indicator")),
            Column(_("Unit")),
            Column(_("Year"), width=8),
            Column(_("Value"), width=12),
            Column(_("Comment"), width=40, wrap=True),
            Column(_("Example value")),
        ],
        (
            [
                f"{value.indicator.area.number} {value.indicator.area.name}",
                value.indicator.name,
                value.indicator.get_unit_display(),
                value.year,
                float(value.value),
                value.comment,
                _("Yes") if value.is_example else _("No"),
            ]
            for value in values
        ),
    )

    texts = dict(
        GuidelineFollowUp.objects.filter(followup=followup).values_list("guideline_id", "text")
    )
    sheet = workbook.create_sheet(_("Guidelines"))
    write_sheet(
        sheet,
        [Column(_("Guideline")), Column(_("Follow-up text"), width=MAX_WIDTH, wrap=True)],
        (
            [guideline.name, texts.get(guideline.pk, "")]
            for guideline in Guideline.objects.filter(programme_id=programme_id)
        ),
    )
    return _bytes(workbook)


def year_filename(followup: FollowUp) -> str:
    return f"uppfoljning-{followup.year}.xlsx"


def activities_filename(followup: FollowUp) -> str:
    return f"aktiviteter-{followup.year}.xlsx"


# --- the import template -----------------------------------------------------

TEMPLATE_ROWS = 5000  # rows with drop-down lists (the import's row limit, imports.MAX_ROWS)


def template_workbook(followup: FollowUp, unit_ids=None) -> bytes:
    """The activity sheet's columns, empty, with drop-down lists for area,
    unit, partners, districts and status from the reference lists (a hidden
    sheet holds them). Partners and districts take several names separated
    by commas, so their lists suggest without refusing. ``unit_ids`` narrows
    the unit list (a contributor's own units)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    from programmes.models import OrganisationalUnit, ResponsibilityArea

    units = OrganisationalUnit.objects.order_by("name")
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Activities")
    write_sheet(sheet, activity_columns(), [])
    lists = workbook.create_sheet(_("Lists"))
    lists.sheet_state = "hidden"
    values = {
        "B": [
            f"{a.number} {a.name}"
            for a in ResponsibilityArea.objects.filter(programme_id=followup.programme_id)
        ],
        "E": list(units.values_list("name", flat=True)),
        "F": list(Partner.objects.order_by("name").values_list("name", flat=True)),
        "G": list(District.objects.order_by("name").values_list("name", flat=True)),
        "H": [str(label) for _value, label in Activity.Status.choices],
    }
    for index, (column, names) in enumerate(values.items(), start=1):
        letter = get_column_letter(index)
        lists.cell(row=1, column=index, value=sheet[f"{column}1"].value)
        for row, name in enumerate(names, start=2):
            lists.cell(row=row, column=index, value=_cell_text(name))
        if not names:
            continue
        validation = DataValidation(
            type="list",
            formula1=f"='{lists.title}'!${letter}$2:${letter}${len(names) + 1}",
            allow_blank=True,
            showErrorMessage=column not in ("F", "G"),
            errorTitle=_("Not in the list"),
            error=_("Choose a value from the list."),
        )
        validation.add(f"{column}2:{column}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(validation)
    return _bytes(workbook)
