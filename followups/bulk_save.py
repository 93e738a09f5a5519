"""Saving many checked activities at once (an import): the same outcome
as saving each one's form on its own — every row at the version its form saw, the
year a draft, one history record per activity with its links — in a fixed
number of queries per batch instead of about fifteen per row.

A single save's guards run as signals (``records``); bulk writes send none,
so this module does their work itself: it locks the follow-up once and
refuses a submitted or approved year, and refuses the whole import when any
row changed since its form was filled in. The forms have already checked
that every goal belongs to the year's programme.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from programmes.models import locked_in_transaction

from .activity_form import ActivityForm
from .models import Activity, FollowUp
from .models.records import ensure_draft

BATCH = 500
M2M_FIELDS = ("goals", "partners", "districts")


@dataclass
class ActivityChange:
    """What a valid form would save, without the form (a few hundred bytes
    instead of the form's copy of every field): the activity with the new
    values, the version the form saw, and the links to write (only those
    the form changed; all of a new activity's)."""

    instance: Activity
    seen_version: int
    links: dict[str, list[int]]

    @classmethod
    def from_form(cls, form: ActivityForm) -> "ActivityChange":
        instance = form.instance
        changed = set(form.changed_data) if instance.pk is not None else set(M2M_FIELDS)
        links = {
            name: [obj.pk for obj in form.cleaned_data[name]]
            for name in M2M_FIELDS
            if name in form.cleaned_data and name in changed
        }
        return cls(instance, form.cleaned_data["version"], links)


class StaleRow(Exception):
    """An activity (``pk``) changed since its form was filled in."""

    def __init__(self, pk: int) -> None:
        super().__init__(pk)
        self.pk = pk


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def save_activity_changes(
    changes: list[ActivityChange], followup: FollowUp, user, reason: str, fields: list[str]
) -> None:
    """Saves every activity (new or changed; ``fields`` are the concrete
    fields the forms wrote) and its links, or none.

    Raises ValidationError for a year that is not a draft, StaleRow for a
    row changed meanwhile, IntegrityError when the database refuses a row
    (a reference entry deleted meanwhile); nothing is saved then.
    """
    ensure_draft(followup.pk)
    new = [change for change in changes if change.instance.pk is None]
    changed = [change for change in changes if change.instance.pk is not None]
    _check_versions(changed, followup)

    now = timezone.now()
    for change in new:
        change.instance.version = 1
    for change in changed:
        change.instance.version = change.seen_version + 1
    Activity.objects.bulk_create([c.instance for c in new], batch_size=BATCH)
    if any(c.instance.pk is None for c in new):
        raise IntegrityError("The database returned no keys for the new activities.")
    attnames = [Activity._meta.get_field(name).attname for name in [*fields, "version"]]
    # One plain UPDATE per changed row: Django's bulk_update builds a CASE
    # per field and row, which costs more than the queries it saves.
    for change in changed:
        instance = change.instance
        Activity._base_manager.filter(pk=instance.pk).update(
            **{attname: getattr(instance, attname) for attname in attnames}
        )
    _save_links(changes)

    history = Activity.history
    records = []
    for rows, update in ((new, False), (changed, True)):
        if rows:
            records += history.bulk_history_create(
                [c.instance for c in rows],
                batch_size=BATCH,
                update=update,
                default_user=user,
                default_change_reason=reason,
                default_date=now,
            )
    _record_links(records)


def _check_versions(changed: list[ActivityChange], followup: FollowUp) -> None:
    """Locks the changed rows and compares their versions with the forms'.
    StaleRow names the row's place among the changed rows' activities."""
    for batch in _chunks(changed):
        stored = dict(
            locked_in_transaction(
                Activity._base_manager.filter(
                    pk__in=[change.instance.pk for change in batch], followup=followup
                )
            ).values_list("pk", "version")
        )
        for change in batch:
            if stored.get(change.instance.pk) != change.seen_version:
                raise StaleRow(change.instance.pk)


def _save_links(changes: list[ActivityChange]) -> None:
    """Each activity's goals, partners and districts: rows added and removed
    in bulk, only where its form changed them."""
    for name in M2M_FIELDS:
        field = Activity._meta.get_field(name)
        through = field.remote_field.through
        target = field.m2m_reverse_field_name()
        wanted = {
            change.instance.pk: set(change.links[name])
            for change in changes
            if name in change.links
        }
        if not wanted:
            continue
        ids = list(wanted)
        current: dict[int, dict[int, int]] = {pk: {} for pk in ids}
        for batch in _chunks(ids):
            for row_id, activity_id, target_id in through.objects.filter(
                activity_id__in=batch
            ).values_list("pk", "activity_id", f"{target}_id"):
                current[activity_id][target_id] = row_id
        removed = [
            row_id
            for activity_id, targets in current.items()
            for target_id, row_id in targets.items()
            if target_id not in wanted[activity_id]
        ]
        for batch in _chunks(removed):
            through.objects.filter(pk__in=batch).delete()
        through.objects.bulk_create(
            [
                through(activity_id=activity_id, **{f"{target}_id": target_id})
                for activity_id, targets in wanted.items()
                for target_id in sorted(targets - set(current[activity_id]))
            ],
            batch_size=BATCH,
        )


def _record_links(records: list) -> None:
    """The links of each new history record, as a single save records them
    (django-simple-history's many-to-many history models)."""
    if not records:
        return
    by_activity = {record.id: record for record in records}
    history_model = type(records[0])
    for field in history_model._history_m2m_fields:
        through = field.remote_field.through
        target = field.m2m_reverse_field_name()
        m2m_history = history_model._meta.get_field(
            f"{history_model._meta.model_name}_{field.name}"
        ).related_model
        rows = []
        for batch in _chunks(list(by_activity)):
            for row_id, activity_id, target_id in through.objects.filter(
                activity_id__in=batch
            ).values_list("pk", "activity_id", f"{target}_id"):
                rows.append(
                    m2m_history(
                        id=row_id,
                        activity_id=activity_id,
                        history=by_activity[activity_id],
                        **{f"{target}_id": target_id},
                    )
                )
        m2m_history.objects.bulk_create(rows, batch_size=BATCH)
