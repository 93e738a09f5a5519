"""Where apps built on ``followups`` add to its pages, without ``followups``
ever importing them: an app registers in its ``AppConfig.ready()``.

- ``activity_sections``: a callable ``(activity, user) -> Section | None``
  adds a section to the activity's page (for example what the activity
  serves in the collaboration).
- ``activity_filters``: an ``ActivityFilterExtension`` adds a filter to
  the activity list.
- ``demo_loaders``: a callable ``() -> None`` run by ``load_demo`` after the
  follow-ups' own demo data (it must change nothing on a second run).

The annual report's chapters from other apps register in
``followups.report.chapters``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet


@dataclass(frozen=True)
class Section:
    """A part of a page: a template and its context."""

    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ActivityFilterExtension:
    """A filter of the activity list: its query-string name, its label, the
    choices for a follow-up (``(followup) -> [(value, label)]``) and how it
    narrows the activities (``(queryset, value) -> queryset``)."""

    name: str
    label: str
    choices: Callable[..., list[tuple[str, str]]]
    apply: Callable[[QuerySet, str], QuerySet]


activity_sections: list[Callable] = []
activity_filters: list[ActivityFilterExtension] = []
demo_loaders: list[Callable[[], None]] = []
