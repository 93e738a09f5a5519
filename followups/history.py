"""The change history shown on pages ("Ändringshistorik"): who changed what,
and when, built from django-simple-history's records."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

# One save in the browser writes a record for the row and one for each
# many-to-many field it changed. A save moves a versioned row's version on
# and every record of that save carries the new version, so records are
# grouped by version (not by time: two saves a second apart stay two).
NOT_SHOWN = {"version"}


@dataclass
class Change:
    when: datetime
    who: str
    action: str
    fields: list[str] = field(default_factory=list)


ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def change_log(instance: models.Model) -> list[Change]:
    """The row's changes, newest first, in 1 + (many-to-many fields) queries
    whatever the number of records."""
    records = list(
        instance.history.select_related("history_user").order_by("history_date", "history_id")
    )
    if not records:
        return []
    history_model = type(records[0])
    m2m_fields = list(getattr(history_model, "_history_m2m_fields", []))
    m2m_values = _m2m_values(history_model, m2m_fields, [r.history_id for r in records])
    concrete = [
        f.name
        for f in instance._meta.concrete_fields
        if f.name not in NOT_SHOWN and f.name != instance._meta.pk.name
    ]

    log: list[Change] = []
    saves: list[object] = []  # the version of each entry's save
    previous = None
    for record in records:
        changed: list[str] = []
        if previous is not None and record.history_type == "~":
            changed = [
                name
                for name in concrete
                if getattr(record, _attname(instance, name))
                != getattr(previous, _attname(instance, name))
            ]
            changed += [
                f.name
                for f in m2m_fields
                if m2m_values[f.name][record.history_id] != m2m_values[f.name][previous.history_id]
            ]
        labels = [str(instance._meta.get_field(name).verbose_name) for name in changed]
        who = _who(record.history_user)
        save = getattr(record, "version", None)
        if (
            log
            and record.history_type == "~"
            and save is not None
            and saves[-1] == save
            and log[-1].who == who
        ):
            # Part of the same save: a creation lists no fields, a change
            # lists all it touched.
            if log[-1].action == ACTIONS["~"]:
                log[-1].fields += [label for label in labels if label not in log[-1].fields]
        elif record.history_type != "~" or labels:
            log.append(Change(record.history_date, who, str(ACTIONS[record.history_type]), labels))
            saves.append(save)
        previous = record
    return list(reversed(log))


def _attname(instance: models.Model, name: str) -> str:
    return instance._meta.get_field(name).attname


def _who(user) -> str:
    if user is None:
        return str(_("the system"))
    return user.get_full_name() or user.get_username()


def _m2m_values(history_model, m2m_fields, history_ids) -> dict[str, dict[int, set]]:
    values: dict[str, dict[int, set]] = {}
    for m2m_field in m2m_fields:
        through = getattr(history_model, m2m_field.name).model
        target = m2m_field.m2m_reverse_field_name()
        rows = through.objects.filter(history_id__in=history_ids).values_list(
            "history_id", f"{target}_id"
        )
        by_record: dict[int, set] = defaultdict(set)
        for history_id, target_id in rows:
            by_record[history_id].add(target_id)
        values[m2m_field.name] = by_record
    return values
