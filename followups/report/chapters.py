"""Chapters that other apps add to the annual report, after the area
chapters: an app registers a ``ReportChapter`` in its ``AppConfig.ready()``,
so ``followups`` never imports it.

A chapter's ``build(followup)`` returns the context of its template (or
None to leave the chapter out for that year) in a fixed number of queries;
``content_querysets(followup)`` lists what it reads, for the rendering's
fingerprint (a queryset, or a queryset and the columns that matter).
"""

from collections.abc import Callable
from dataclasses import dataclass

from ..models import FollowUp


@dataclass(frozen=True)
class ReportChapter:
    key: str  # the chapter's id in the report: its heading's anchor
    title: Callable[[], str]  # the heading, translated when called
    template: str
    build: Callable[[FollowUp], dict | None]
    content_querysets: Callable[[FollowUp], list]


@dataclass(frozen=True)
class BuiltChapter:
    key: str
    title: str
    template: str
    context: dict


registered: list[ReportChapter] = []


def register(chapter: ReportChapter) -> None:
    if all(existing.key != chapter.key for existing in registered):
        registered.append(chapter)


def build_chapters(followup: FollowUp) -> list[BuiltChapter]:
    built = []
    for chapter in registered:
        context = chapter.build(followup)
        if context is not None:
            built.append(BuiltChapter(chapter.key, str(chapter.title()), chapter.template, context))
    return built


def chapter_querysets(followup: FollowUp) -> list:
    return [entry for chapter in registered for entry in chapter.content_querysets(followup)]
