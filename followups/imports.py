"""Activities from a workbook: the activity sheet as the export writes it
(or the template), checked row by row with the web form's own rules, shown
as a preview, then saved all or none.

How rows are matched: a row whose *ID* names an activity of this year
changes that activity; a row without an id changes the one activity of the
year with the same title (case and surrounding spaces aside) in the same
area, and is otherwise new. An id of another year, or a title that matches
several activities, is an error in that row.

Who imports what: staff any row; a contributor only rows of their own
units (an id of another unit's activity, or another unit's name, is an
error in that row), and a title is matched only among the activities they
may change. Confidential activities do not exist for whoever may not see
them. The import never changes whether an activity is confidential: the
export's *Sekretess* columns are not read.

What is refused before anything is read: another file type than .xlsx,
a macro workbook, more than MAX_BYTES, a zip whose parts unpack to more
than MAX_UNPACKED bytes or more than MAX_RATIO times their packed size (a
zip bomb), XML with entities (openpyxl parses through defusedxml: an XML
bomb), more than MAX_ROWS rows.
"""

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from audit.models import AuditEvent
from audit.services import record

from .access import may_write_activity, visible_activities
from .activity_choices import ActivityChoices, preloaded_like
from .activity_form import ActivityForm
from .bulk_save import M2M_FIELDS, ActivityChange, StaleRow, save_activity_changes
from .forms import ACTIVITY_FIELDS
from .models import Activity, FollowUp
from .spreadsheets import activity_columns

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024
MAX_RATIO = 200
MAX_ROWS = 5000
XLSX_MAGIC = b"PK\x03\x04"
# Uploaded workbooks wait here between the preview and the confirmation.
PENDING_DIR = "imports/"

NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"


@dataclass
class Row:
    number: int  # the row's number in the sheet, as the spreadsheet shows it
    kind: str
    title: str
    errors: list[str] = field(default_factory=list)
    change: ActivityChange | None = None  # what confirming saves (new and changed rows)
    seen: tuple[int | None, int] = (None, 0)  # the matched activity and its version

    @property
    def label(self) -> str:
        return {
            NEW: _("New"),
            CHANGED: _("Changed"),
            UNCHANGED: _("Unchanged"),
            ERROR: _("Error"),
        }[self.kind]


@dataclass
class Preview:
    filename: str
    rows: list[Row]

    def count(self, kind: str) -> int:
        return sum(row.kind == kind for row in self.rows)

    def fingerprint(self) -> str:
        """What the preview showed: each row's kind and the activity (and
        version) it matched. Confirming compares it with a fresh check of
        the same file, so a change someone made in between is not
        overwritten unseen."""
        digest = hashlib.sha256()
        for row in self.rows:
            digest.update(repr((row.number, row.kind, row.seen)).encode())
        return digest.hexdigest()

    @property
    def has_errors(self) -> bool:
        return any(row.kind == ERROR for row in self.rows)

    @property
    def changes(self) -> list[Row]:
        return [row for row in self.rows if row.kind in (NEW, CHANGED)]


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="bad_workbook")


def check_file(name: str, data: bytes) -> None:
    """Refuses, in Swedish, whatever is not a plain workbook of bounded size."""
    if not name.lower().endswith(".xlsx"):
        raise _refuse(
            _("Only Excel workbooks (.xlsx) can be imported; %(name)s is another kind of file.")
            % {"name": name}
        )
    if len(data) > MAX_BYTES:
        raise _refuse(
            _("The file is larger than %(limit)s MB; split it into smaller workbooks.")
            % {"limit": MAX_BYTES // (1024 * 1024)}
        )
    if not data.startswith(XLSX_MAGIC):
        raise _refuse(_("The file is not an Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile as error:
        raise _refuse(_("The file is not an Excel workbook (.xlsx).")) from error
    if any(part.filename.lower().endswith("vbaproject.bin") for part in parts):
        raise _refuse(_("Workbooks with macros cannot be imported; save it as .xlsx."))
    unpacked = sum(part.file_size for part in parts)
    packed = sum(part.compress_size for part in parts) or 1
    if unpacked > MAX_UNPACKED or unpacked > MAX_RATIO * packed:
        raise _refuse(_("The workbook unpacks to far more than its size; it was not read."))


def _sheet_rows(data: bytes) -> list[tuple]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # any unreadable workbook gets the same answer
        raise _refuse(
            _("The workbook could not be read (%(reason)s).") % {"reason": type(error).__name__}
        ) from error
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                raise _refuse(
                    _("The workbook has more than %(limit)s rows; split it.") % {"limit": MAX_ROWS}
                )
        return rows
    except ValidationError:
        raise
    except Exception as error:  # e.g. an XML bomb refused by defusedxml
        raise _refuse(
            _("The workbook could not be read (%(reason)s).") % {"reason": type(error).__name__}
        ) from error
    finally:
        workbook.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return str(value).strip()


def _names(value) -> list[str]:
    return [name.strip() for name in _text(value).split(",") if name.strip()]


def _known_names(parts: list[str], known: dict) -> tuple[list, list[str]]:
    """The entries named by comma-separated parts, where a name may itself
    hold commas ("Polisen, lokalpolisområde Huddinge"): the longest run of
    parts that is a known name is taken first. Returns (entries, unknown)."""
    chosen, unknown, start = [], [], 0
    while start < len(parts):
        for end in range(len(parts), start, -1):
            name = ", ".join(parts[start:end]).casefold()
            if name in known:
                chosen.append(known[name])
                start = end
                break
        else:
            unknown.append(parts[start])
            start += 1
    return chosen, unknown


class ImportActivityForm(ActivityForm):
    """The activity form for an import's rows: its choice fields are the
    preloaded kind from the start, so each row's form copies no querysets
    (the web form's rules and texts, ``ActivityForm(choices=...)``)."""


for _name in ("area", "goals", "responsible_unit", "partners", "districts"):
    ImportActivityForm.base_fields[_name] = preloaded_like(ActivityForm.base_fields[_name])


class Lookups:
    """The year's reference lists and activities, read once per import (a
    fixed number of queries, whatever the number of rows)."""

    def __init__(self, followup: FollowUp, user) -> None:
        self.choices = ActivityChoices.read(followup)
        self.areas = {a.number: a for a in self.choices.areas}
        self.goals = {g.code: g for g in self.choices.goals}
        self.units = {u.name.casefold(): u for u in self.choices.units.values()}
        self.partners = {p.name.casefold(): p for p in self.choices.partners.values()}
        self.districts = {d.name.casefold(): d for d in self.choices.districts.values()}
        self.statuses = {}
        for value, label in Activity.Status.choices:
            self.statuses[value.casefold()] = value
            self.statuses[str(label).casefold()] = value
        visible = list(
            visible_activities(user, followup).prefetch_related("goals", "partners", "districts")
        )
        # The activities the importing person may change, by id and for
        # matching by title; the others they see are named in an error.
        self.activities = [a for a in visible if may_write_activity(user, a)]
        self.by_pk = {a.pk: a for a in self.activities}
        self.not_theirs = {a.pk for a in visible} - set(self.by_pk)


def _form_data(values: dict, lookups: Lookups, errors: dict) -> dict:
    """The web form's data from a row's cells; unknown names go to errors
    (column header → message)."""
    data: dict = {}
    area_text = _text(values.get("area"))
    match = re.match(r"\s*(\d+)", area_text)
    area = lookups.areas.get(int(match[1])) if match else None
    if area_text and area is None:
        errors["area"] = _("There is no responsibility area %(area)s in the programme.") % {
            "area": area_text
        }
    data["area"] = area.pk if area else ""
    goals = []
    for code in _names(values.get("goals")):
        if code in lookups.goals:
            goals.append(lookups.goals[code].pk)
        else:
            errors["goals"] = _("The goal %(code)s is not in the programme.") % {"code": code}
    data["goals"] = goals
    data["title"] = _text(values.get("title"))
    unit = _text(values.get("responsible_unit"))
    if unit and unit.casefold() not in lookups.units:
        errors["responsible_unit"] = _("There is no unit %(name)s.") % {"name": unit}
    data["responsible_unit"] = (
        lookups.units[unit.casefold()].pk if unit.casefold() in lookups.units else ""
    )
    for key, known in (("partners", lookups.partners), ("districts", lookups.districts)):
        chosen, unknown = _known_names(_names(values.get(key)), known)
        if unknown:
            errors[key] = _("%(name)s is not in the reference list.") % {"name": unknown[0]}
        data[key] = [entry.pk for entry in chosen]
    status = _text(values.get("status"))
    data["status"] = lookups.statuses.get(status.casefold(), status) if status else ""
    cost = values.get("cost")
    if isinstance(cost, int | float | Decimal) and not isinstance(cost, bool):
        cost = str(int(cost)) if cost == int(cost) else str(cost)
    data["cost"] = _text(cost)
    data["description"] = _text(values.get("description"))
    data["result"] = _text(values.get("result"))
    return data


FIELDS = [
    "pk",
    "area",
    "goals",
    "title",
    "responsible_unit",
    "partners",
    "districts",
    "status",
    "cost",
    "description",
    "result",
    "continues",
]


def _columns() -> dict[str, str]:
    """Field → the sheet's Swedish header (the export's)."""
    return {name: column.header for name, column in zip(FIELDS, activity_columns(), strict=True)}


def build_preview(followup: FollowUp, filename: str, data: bytes, user) -> Preview:
    """Reads and checks the workbook as ``user`` would enter its rows; saves
    nothing. Raises ValidationError (Swedish) for a file that cannot be
    imported at all."""
    if followup.status != FollowUp.Status.DRAFT:
        raise _refuse(
            _("The follow-up for %(year)s has been submitted; nothing can be imported into it.")
            % {"year": followup.year}
        )
    check_file(filename, data)
    rows = _sheet_rows(data)
    if not rows:
        raise _refuse(_("The workbook's first sheet is empty."))
    headers = _columns()
    by_header = {_text(cell).casefold(): index for index, cell in enumerate(rows[0])}
    missing = [headers[n] for n in ("title", "area") if headers[n].casefold() not in by_header]
    if missing:
        raise _refuse(
            _("The first row must hold the column headers; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    lookups = Lookups(followup, user)
    result = []
    for number, cells in enumerate(rows[1:], start=2):
        if all(_text(cell) == "" for cell in cells):
            continue
        values = {
            name: cells[by_header[header.casefold()]]
            for name, header in headers.items()
            if header.casefold() in by_header and by_header[header.casefold()] < len(cells)
        }
        result.append(_check_row(number, values, followup, lookups, user))
    return Preview(filename, result)


def _check_row(number: int, values: dict, followup: FollowUp, lookups: Lookups, user) -> Row:
    columns = _columns()
    errors: dict[str, str] = {}
    data = _form_data(values, lookups, errors)
    instance, problem = _match(values, data, followup, lookups)
    seen = (instance.pk, instance.version if instance.pk else 0)
    if problem:
        errors["pk"] = problem
    data["version"] = str(instance.version) if instance.pk else "0"
    form = ImportActivityForm(
        data,
        followup=followup,
        instance=instance,
        user=user,
        confidentiality=False,
        choices=lookups.choices,
    )
    if not form.is_valid():
        for name, messages in form.errors.items():
            errors.setdefault(name, " ".join(messages))
    title = data["title"][:200]
    if errors:
        messages = []
        for name, message in errors.items():
            column = columns.get(name)
            messages.append(
                _("Row %(row)s, column %(column)s: %(message)s")
                % {"row": number, "column": column, "message": message}
                if column
                else _("Row %(row)s: %(message)s") % {"row": number, "message": message}
            )
        return Row(number, ERROR, title, messages)
    kind = NEW if instance.pk is None else CHANGED if form.has_changed() else UNCHANGED
    # Only what saving needs is kept, not the form: thousands of rows wait
    # in memory for the all-or-nothing commit.
    change = ActivityChange.from_form(form) if kind != UNCHANGED else None
    return Row(number, kind, title, [], change, seen)


def _match(values, data, followup, lookups) -> tuple[Activity, str]:
    pk_text = _text(values.get("pk"))
    if pk_text:
        try:
            pk = int(pk_text)
        except ValueError:
            return Activity(followup=followup), _("The id %(id)s is not a number.") % {
                "id": pk_text
            }
        if pk in lookups.not_theirs:
            return Activity(followup=followup), _(
                "The activity with the id %(id)s belongs to another unit; you can change only "
                "your own units' activities."
            ) % {"id": pk}
        if pk not in lookups.by_pk:
            return Activity(followup=followup), _(
                "No activity of the %(year)s follow-up has the id %(id)s."
            ) % {"year": followup.year, "id": pk}
        return lookups.by_pk[pk], ""
    title = data["title"].casefold()
    same = [
        a
        for a in lookups.activities
        if a.title.strip().casefold() == title and str(a.area_id) == str(data["area"])
    ]
    if len(same) > 1:
        return Activity(followup=followup), _(
            "Several activities have this title in the area; give the row its id."
        )
    return (same[0] if same else Activity(followup=followup)), ""


@transaction.atomic
def apply_import(
    preview: Preview, followup: FollowUp, user, previewed: str | None = None
) -> tuple[int, int]:
    """Saves every new and changed row, or none (one transaction).
    ``previewed`` is the fingerprint of the preview the user confirmed;
    when the file now checks out differently, nothing is saved.

    Side effects: the activities and their links, a history entry per
    activity whose reason names the file, an audit event. Raises
    ValidationError (and saves nothing) when the preview has errors, the
    year is no longer a draft, or someone changed one of the activities (or
    removed an entry a row names) since the preview.
    """
    if preview.has_errors:
        raise ValidationError(_("The workbook has rows with errors; nothing was saved."))
    if previewed is not None and preview.fingerprint() != previewed:
        raise ValidationError(
            _(
                "Someone changed the year's activities after your preview; nothing was saved. "
                "Upload the workbook again to see what it changes now."
            )
        )
    reason = (_("Import from %(file)s") % {"file": preview.filename})[:100]
    rows = preview.changes
    fields = [name for name in ACTIVITY_FIELDS if name not in M2M_FIELDS]
    try:
        with transaction.atomic():
            save_activity_changes([row.change for row in rows], followup, user, reason, fields)
    except StaleRow as stale:
        number = next(row.number for row in rows if row.change.instance.pk == stale.pk)
        raise ValidationError(
            _(
                "Row %(row)s: someone changed the activity after the preview; nothing was "
                "saved. Upload the workbook again."
            )
            % {"row": number}
        ) from stale
    except IntegrityError as error:
        raise ValidationError(
            _(
                "Someone changed the year's lists after the preview; nothing was saved. "
                "Upload the workbook again."
            )
        ) from error
    new, changed = preview.count(NEW), preview.count(CHANGED)
    record(
        AuditEvent.Action.IMPORT,
        user=user,
        followup=followup,
        detail=f"{preview.filename}: {new} new, {changed} changed"[:300],
    )
    return new, changed


def cleanup_pending_imports(*, older_than, dry_run: bool = False) -> list[str]:
    """Removes uploaded workbooks waiting under ``imports/`` for a
    confirmation that never came, older than ``older_than`` (a timedelta).
    Only names under ``imports/`` are touched. Returns the names."""
    from django.core.files.storage import default_storage
    from django.utils import timezone

    if not default_storage.exists(PENDING_DIR.rstrip("/")):
        return []
    cutoff = timezone.now() - older_than
    _folders, files = default_storage.listdir(PENDING_DIR.rstrip("/"))
    old = [
        f"{PENDING_DIR}{name}"
        for name in sorted(files)
        if name.endswith(".xlsx")
        and default_storage.get_modified_time(f"{PENDING_DIR}{name}") < cutoff
    ]
    if not dry_run:
        for name in old:
            default_storage.delete(name)
    return old
