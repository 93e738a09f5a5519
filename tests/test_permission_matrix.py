"""The permission matrix: every URL pattern of the project (the Django admin
aside) for anonymous users, the four role groups of DESIGN §2 and the
contributors (Bidragsgivare, issue 11), by GET and POST, in each state of
the year.

The expectations are written out by hand from DESIGN §2 and docs/decisions.md,
not computed from the access code they check. A new URL pattern fails
``test_every_url_pattern_is_in_the_matrix`` until someone decides who may
use it and writes that down here.
"""

import hashlib
import uuid
from collections import Counter
from datetime import date
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import resolve_url
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from followups.models import ArchivedReport, FollowUp, ReportRendering
from tests.conftest import ADMINISTRATOR, CASEWORKER, CONTRIBUTOR, READER, SECRETARY
from tests.factories import (
    ActivityFactory,
    FollowUpFactory,
    GoalFactory,
    OrganisationalUnitFactory,
    ProgrammeFactory,
    ResponsibilityAreaFactory,
)

pytestmark = pytest.mark.django_db

# Outcomes.
LOGIN = "login"  # 302 to the login page, with ?next= the requested path
FORBIDDEN = "403"
NOT_FOUND = "404"
NOT_ALLOWED = "405"  # method not allowed
OK = "ok"  # 200, or a redirect anywhere but to the login page

# Roles, in the order of every row below: (test id, group name).
ROLES = (
    ("anonymous", None),
    ("reader", READER),  # Läsare
    ("caseworker", CASEWORKER),  # Handläggare
    ("secretary", SECRETARY),  # Nämndsekreterare
    ("administrator", ADMINISTRATOR),  # Administratör (the group, not a superuser)
    # Bidragsgivare, linked to the unit responsible for the year's activity.
    ("contributor", CONTRIBUTOR),
)

GET, POST = "GET", "POST"

# States of the year the URL names. ANY: the page does not depend on a year.
ANY, DRAFT, SUBMITTED, APPROVED = "any", "draft", "submitted", "approved"
# Approved once, then reopened by an administrator: a draft with an archive.
REOPENED = "reopened"
YEAR_STATES = (DRAFT, SUBMITTED, APPROVED, REOPENED)

# How a pattern's URL arguments come from the year (programme 2018-2022,
# follow-up 2021 with one activity, area number 1).
NO_ARGS = "no arguments"
PROGRAMME = "programme"
YEAR = "programme, year"
ACTIVITY = "programme, year, activity"
AREA = "programme, year, area number"
DRAFT_RENDERING = "programme, year, draft rendering"
DECISION_RENDERING = "programme, year, decision rendering"
ARCHIVE = "programme, year, archived version 1"
# The collaboration (issue 13): an agreement 2021-2022 with a priority area,
# a 2021 promise and the 2021 T1 tertial (ready for the steering group), a
# situation picture with a problem, and a decided action plan with a measure.
AGREEMENT = "agreement"
PROMISE = "agreement, promise"
PRIORITY_AREA = "agreement, priority area"
TERTIAL = "agreement, 2021, tertial 1"
PICTURE = "situation picture"
PROBLEM = "situation picture, problem"
PLAN = "decided action plan"
MEASURE = "decided action plan, measure"


class Entry(NamedTuple):
    args: str
    # state -> method -> (anonymous, Läsare, Handläggare, Nämndsekreterare,
    # Administratör, Bidragsgivare)
    states: dict[str, dict[str, tuple[str, str, str, str, str, str]]]


def same(*row: str) -> dict[str, tuple]:
    """GET and POST answer alike."""
    return {GET: row, POST: row}


def every_state(methods: dict[str, tuple]) -> dict[str, dict[str, tuple]]:
    """A page whose answers do not depend on the state of the year."""
    return dict.fromkeys(YEAR_STATES, methods)


# The collaboration's rows: staff read, Handläggare and Administratör write,
# readers only the published reports (the overview, a ready tertial report,
# a decided plan), contributors nothing.
COLLABORATION_READ = {
    GET: (LOGIN, FORBIDDEN, OK, OK, OK, FORBIDDEN),
    POST: (LOGIN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, FORBIDDEN),
}
COLLABORATION_WRITE = same(LOGIN, FORBIDDEN, OK, FORBIDDEN, OK, FORBIDDEN)
COLLABORATION_PUBLISHED = {
    GET: (LOGIN, OK, OK, OK, OK, FORBIDDEN),
    POST: (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, FORBIDDEN),
}


MATRIX: dict[str, Entry] = {
    # --- The installation and the accounts -------------------------------
    # For load balancers: no login, no session, and nothing to post.
    "healthz": Entry(
        NO_ARGS,
        {
            ANY: {
                GET: (OK, OK, OK, OK, OK, OK),
                POST: (
                    NOT_ALLOWED,
                    NOT_ALLOWED,
                    NOT_ALLOWED,
                    NOT_ALLOWED,
                    NOT_ALLOWED,
                    NOT_ALLOWED,
                ),
            },
        },
    ),
    # Signed-in users are sent on to the start page; an empty form is
    # shown again with its errors.
    "login": Entry(NO_ARGS, {ANY: same(OK, OK, OK, OK, OK, OK)}),
    # Logging out is a POST only (a link could log people out).
    "logout": Entry(
        NO_ARGS,
        {
            ANY: {
                GET: (NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
                POST: (OK, OK, OK, OK, OK, OK),
            },
        },
    ),
    "password_change": Entry(NO_ARGS, {ANY: same(LOGIN, OK, OK, OK, OK, OK)}),
    "password_change_done": Entry(
        NO_ARGS,
        {
            ANY: {
                GET: (LOGIN, OK, OK, OK, OK, OK),
                POST: (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
        },
    ),
    # --- The start page: the newest year the user may see, or a note that
    # there is none (readers while no year is approved).
    "start": Entry(
        NO_ARGS,
        {
            state: {
                GET: (LOGIN, OK, OK, OK, OK, OK),
                POST: (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            }
            for state in YEAR_STATES
        },
    ),
    # --- A year: readers see approved years only (404 before, so drafts
    # are not revealed) and of those only the overview, the summary and the
    # report; everyone who works with the year reads all of it.
    "followup": Entry(
        YEAR,
        {
            DRAFT: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, OK),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            SUBMITTED: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, OK),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            APPROVED: {
                GET: (LOGIN, OK, OK, OK, OK, OK),
                POST: (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
        },
    ),
    # The programme over its years: for everyone who may see one of its
    # years (readers: approved ones, or reopened with a decided report; the
    # page then shows approved years only). Nothing to post.
    "programme-trends": Entry(
        PROGRAMME,
        {
            DRAFT: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, OK),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            SUBMITTED: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, OK),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            APPROVED: {
                GET: (LOGIN, OK, OK, OK, OK, OK),
                POST: (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            REOPENED: {
                GET: (LOGIN, OK, OK, OK, OK, OK),
                POST: (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
        },
    ),
    # --- The collaboration (issue 13) ------------------------------------
    "collaboration": Entry(NO_ARGS, {ANY: COLLABORATION_PUBLISHED}),
    "agreement": Entry(AGREEMENT, every_state(COLLABORATION_READ)),
    "promise-create": Entry(AGREEMENT, every_state(COLLABORATION_WRITE)),
    "promise-update": Entry(PROMISE, every_state(COLLABORATION_WRITE)),
    "priority-area-activities": Entry(PRIORITY_AREA, every_state(COLLABORATION_WRITE)),
    # A tertial of a year whose annual follow-up is approved is frozen.
    "tertial": Entry(
        TERTIAL,
        {
            **every_state({GET: COLLABORATION_READ[GET], POST: COLLABORATION_WRITE[POST]}),
            APPROVED: {
                GET: COLLABORATION_READ[GET],
                POST: (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            },
        },
    ),
    "tertial-report": Entry(TERTIAL, every_state(COLLABORATION_PUBLISHED)),
    "situation-create": Entry(NO_ARGS, {ANY: COLLABORATION_WRITE}),
    "situation": Entry(PICTURE, every_state(COLLABORATION_READ)),
    "situation-update": Entry(PICTURE, every_state(COLLABORATION_WRITE)),
    "problem-create": Entry(PICTURE, every_state(COLLABORATION_WRITE)),
    "problem-update": Entry(PROBLEM, every_state(COLLABORATION_WRITE)),
    "action-plan": Entry(PLAN, every_state(COLLABORATION_PUBLISHED)),
    "action-plan-report": Entry(PLAN, every_state(COLLABORATION_PUBLISHED)),
    "measure-create": Entry(PLAN, every_state(COLLABORATION_WRITE)),
    "measure-update": Entry(MEASURE, every_state(COLLABORATION_WRITE)),
    # Staff write the year's summary while it is a draft; secretaries only read.
    "followup-summary": Entry(
        YEAR,
        {
            DRAFT: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, OK),
                POST: (LOGIN, NOT_FOUND, OK, FORBIDDEN, OK, FORBIDDEN),
            },
            SUBMITTED: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, OK),
                POST: (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            },
            APPROVED: {
                GET: (LOGIN, OK, OK, OK, OK, OK),
                POST: (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            },
        },
    ),
    # --- Activities -------------------------------------------------------
    "activity-list": Entry(
        YEAR,
        {
            DRAFT: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, OK),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            SUBMITTED: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, OK),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            APPROVED: {
                GET: (LOGIN, FORBIDDEN, OK, OK, OK, OK),
                POST: (LOGIN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
        },
    ),
    # The activity list as a spreadsheet: for everyone who works with the
    # year, in every state (readers have the report, not the working data).
    "activity-export": Entry(
        YEAR,
        {
            DRAFT: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, OK),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            SUBMITTED: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, OK),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            APPROVED: {
                GET: (LOGIN, FORBIDDEN, OK, OK, OK, OK),
                POST: (LOGIN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
        },
    ),
    # The whole year (assessments too): staff only, not contributors.
    "followup-export": Entry(
        YEAR,
        {
            DRAFT: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, FORBIDDEN),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, FORBIDDEN),
            },
            SUBMITTED: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, FORBIDDEN),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, FORBIDDEN),
            },
            APPROVED: {
                GET: (LOGIN, FORBIDDEN, OK, OK, OK, FORBIDDEN),
                POST: (LOGIN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, FORBIDDEN),
            },
        },
    ),
    # Importing adds and changes activities: caseworkers, administrators and
    # contributors (their own units' rows), in a draft year. The template is
    # for everyone who works with the year.
    "activity-import": Entry(
        YEAR,
        {
            DRAFT: same(LOGIN, NOT_FOUND, OK, FORBIDDEN, OK, OK),
            SUBMITTED: same(LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            APPROVED: same(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        },
    ),
    # The confirmation without a pending import sends back to the upload.
    "activity-import-confirm": Entry(
        YEAR,
        {
            DRAFT: {
                GET: (LOGIN, NOT_FOUND, NOT_ALLOWED, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED),
                POST: (LOGIN, NOT_FOUND, OK, FORBIDDEN, OK, OK),
            },
            SUBMITTED: same(LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            APPROVED: same(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        },
    ),
    "activity-template": Entry(
        YEAR,
        {
            DRAFT: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, OK),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            SUBMITTED: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, OK),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            APPROVED: {
                GET: (LOGIN, FORBIDDEN, OK, OK, OK, OK),
                POST: (LOGIN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
        },
    ),
    "activity-create": Entry(
        YEAR,
        {
            DRAFT: same(LOGIN, NOT_FOUND, OK, FORBIDDEN, OK, OK),
            SUBMITTED: same(LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            APPROVED: same(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        },
    ),
    "activity-detail": Entry(
        ACTIVITY,
        {
            DRAFT: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, OK),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            SUBMITTED: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, OK),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            APPROVED: {
                GET: (LOGIN, FORBIDDEN, OK, OK, OK, OK),
                POST: (LOGIN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
        },
    ),
    "activity-update": Entry(
        ACTIVITY,
        {
            DRAFT: same(LOGIN, NOT_FOUND, OK, FORBIDDEN, OK, OK),
            SUBMITTED: same(LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            APPROVED: same(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        },
    ),
    "activity-delete": Entry(
        ACTIVITY,
        {
            DRAFT: same(LOGIN, NOT_FOUND, OK, FORBIDDEN, OK, FORBIDDEN),
            SUBMITTED: same(LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            APPROVED: same(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        },
    ),
    # Continuing copies the activity into next year's draft and leaves this
    # year untouched, so it is open to staff whatever this year's state.
    "activity-continue": Entry(
        ACTIVITY,
        {
            DRAFT: same(LOGIN, NOT_FOUND, OK, FORBIDDEN, OK, OK),
            SUBMITTED: same(LOGIN, NOT_FOUND, OK, FORBIDDEN, OK, OK),
            APPROVED: same(LOGIN, FORBIDDEN, OK, FORBIDDEN, OK, OK),
        },
    ),
    # --- The January work: read by all who work with the year, written by
    # staff while the year is a draft.
    "assessment-overview": Entry(
        YEAR,
        {
            DRAFT: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, FORBIDDEN),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, FORBIDDEN),
            },
            SUBMITTED: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, FORBIDDEN),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, FORBIDDEN),
            },
            APPROVED: {
                GET: (LOGIN, FORBIDDEN, OK, OK, OK, FORBIDDEN),
                POST: (LOGIN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, FORBIDDEN),
            },
        },
    ),
    "area-assessment": Entry(
        AREA,
        {
            DRAFT: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, FORBIDDEN),
                POST: (LOGIN, NOT_FOUND, OK, FORBIDDEN, OK, FORBIDDEN),
            },
            SUBMITTED: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, FORBIDDEN),
                POST: (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            },
            APPROVED: {
                GET: (LOGIN, FORBIDDEN, OK, OK, OK, FORBIDDEN),
                POST: (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            },
        },
    ),
    "indicator-values": Entry(
        YEAR,
        {
            DRAFT: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, FORBIDDEN),
                POST: (LOGIN, NOT_FOUND, OK, FORBIDDEN, OK, FORBIDDEN),
            },
            SUBMITTED: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, FORBIDDEN),
                POST: (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            },
            APPROVED: {
                GET: (LOGIN, FORBIDDEN, OK, OK, OK, FORBIDDEN),
                POST: (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            },
        },
    ),
    "guideline-texts": Entry(
        YEAR,
        {
            DRAFT: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, FORBIDDEN),
                POST: (LOGIN, NOT_FOUND, OK, FORBIDDEN, OK, FORBIDDEN),
            },
            SUBMITTED: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, FORBIDDEN),
                POST: (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            },
            APPROVED: {
                GET: (LOGIN, FORBIDDEN, OK, OK, OK, FORBIDDEN),
                POST: (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            },
        },
    ),
    # --- The cycle: staff submit a draft; a secretary returns a submitted
    # year or registers the decision; an administrator reopens an approved
    # year. Administrators hold every follow-up permission (README, Roles).
    "followup-submit": Entry(
        YEAR,
        {
            DRAFT: same(LOGIN, NOT_FOUND, OK, FORBIDDEN, OK, FORBIDDEN),
            SUBMITTED: same(LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            APPROVED: same(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        },
    ),
    "followup-return": Entry(
        YEAR,
        {
            DRAFT: same(LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            SUBMITTED: same(LOGIN, NOT_FOUND, FORBIDDEN, OK, OK, FORBIDDEN),
            APPROVED: same(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        },
    ),
    "followup-decision": Entry(
        YEAR,
        {
            DRAFT: same(LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            SUBMITTED: same(LOGIN, NOT_FOUND, FORBIDDEN, OK, OK, FORBIDDEN),
            APPROVED: same(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        },
    ),
    "followup-reopen": Entry(
        YEAR,
        {
            DRAFT: same(LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            SUBMITTED: same(LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            APPROVED: same(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
        },
    ),
    # --- The report: a draft's report is a preview for those who work with
    # the year; an approved year's report (the archived PDF) is for readers too.
    "report-preview": Entry(
        YEAR,
        {
            DRAFT: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, FORBIDDEN),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            SUBMITTED: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, FORBIDDEN),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            APPROVED: {
                GET: (LOGIN, OK, OK, OK, OK, OK),
                POST: (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
        },
    ),
    # A rendering of the report (the page that waits for it, its status for
    # the page's script, its file): for those who may preview the report, in
    # every state; readers never see renderings (404), only the archive.
    **{
        name: Entry(
            DRAFT_RENDERING,
            {
                state: {
                    GET: (LOGIN, NOT_FOUND, OK, OK, OK, NOT_FOUND),
                    POST: (
                        LOGIN,
                        # A reader sees approved and reopened years.
                        NOT_ALLOWED if state in (APPROVED, REOPENED) else NOT_FOUND,
                        NOT_ALLOWED,
                        NOT_ALLOWED,
                        NOT_ALLOWED,
                        NOT_ALLOWED,
                    ),
                }
                for state in YEAR_STATES
            },
        )
        for name in ["report-rendering", "report-rendering-status", "report-rendering-file"]
    },
    # The decision's second step: the final document and the confirmation
    # that archives it, for whoever registers decisions, on a submitted year.
    "followup-decision-confirm": Entry(
        DECISION_RENDERING,
        {
            DRAFT: same(LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            SUBMITTED: same(LOGIN, NOT_FOUND, FORBIDDEN, OK, OK, FORBIDDEN),
            APPROVED: same(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        },
    ),
    # Every archived version, exactly as archived, for everyone who sees the
    # year: also while it is reopened. No version before the first decision.
    "archived-report": Entry(
        ARCHIVE,
        {
            DRAFT: {
                GET: (LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            SUBMITTED: {
                GET: (LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            APPROVED: {
                GET: (LOGIN, OK, OK, OK, OK, OK),
                POST: (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            REOPENED: {
                GET: (LOGIN, OK, OK, OK, OK, OK),
                POST: (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
        },
    ),
    "report-pdf": Entry(
        YEAR,
        {
            DRAFT: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, FORBIDDEN),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            SUBMITTED: {
                GET: (LOGIN, NOT_FOUND, OK, OK, OK, FORBIDDEN),
                POST: (LOGIN, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
            APPROVED: {
                GET: (LOGIN, OK, OK, OK, OK, OK),
                POST: (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            },
        },
    ),
}


def project_url_patterns(resolver: URLResolver | None = None, namespace: str = "", route=""):
    """(name with namespaces, route) of every URL pattern outside the admin."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += project_url_patterns(entry, inner, route + str(entry.pattern))
        else:
            path = route + str(entry.pattern)
            name = f"{namespace}{entry.name}" if entry.name else f"<unnamed: {path}>"
            found.append((name, path))
    return found


def test_every_url_pattern_is_in_the_matrix():
    patterns = project_url_patterns()

    missing = sorted(f"{name} ({route})" for name, route in patterns if name not in MATRIX)
    assert not missing, f"URL patterns without a row in the permission matrix: {missing}"
    twice = sorted(name for name, count in Counter(n for n, _ in patterns).items() if count > 1)
    assert not twice, f"URL names used by more than one pattern: {twice}"


def test_matrix_lists_only_url_patterns_that_exist():
    names = {name for name, _route in project_url_patterns()}

    gone = sorted(set(MATRIX) - names)
    assert not gone, f"The permission matrix lists patterns that no longer exist: {gone}"


def test_year_pages_are_checked_in_every_state_of_the_year():
    incomplete = sorted(
        name
        for name, entry in MATRIX.items()
        if entry.args != NO_ARGS and tuple(entry.states) != YEAR_STATES
    )

    assert not incomplete, f"Year pages without a row per state {YEAR_STATES}: {incomplete}"


@pytest.fixture
def make_year(user_in_group):
    """Returns a function that builds programme 2018–2022 with area 1, a
    goal, and its 2021 follow-up with one activity, in the given state. An
    approved year gets an archive as registering the decision leaves it
    (without rendering: a few bytes stand in for the PDF)."""
    stored = []

    def make(state: str) -> FollowUp:
        programme = ProgrammeFactory(first_year=2018, last_year=2022)
        area = ResponsibilityAreaFactory(programme=programme, number=1)
        goal = GoalFactory(area=area, code="1.1")
        followup = FollowUpFactory(programme=programme, year=2021)
        followup.activity = ActivityFactory(
            followup=followup, area=area, goals=[goal], responsible_unit=OrganisationalUnitFactory()
        )
        # Before the year's state: an approved year's tertials are frozen.
        collaboration = collaboration_objects(followup)
        if state == SUBMITTED:
            FollowUp._base_manager.filter(pk=followup.pk).update(status=FollowUp.Status.SUBMITTED)
        elif state in (APPROVED, REOPENED):
            archive(followup, user_in_group(SECRETARY), stored)
        if state == REOPENED:
            FollowUp._base_manager.filter(pk=followup.pk).update(
                status=FollowUp.Status.DRAFT,
                report_file="",
                report_sha256="",
                approved_by=None,
                approved_at=None,
            )
        followup.refresh_from_db()
        followup.collaboration = collaboration
        followup.renderings_by_kind = {
            kind: rendering(followup, kind, stored) for kind in ReportRendering.Kind.values
        }
        return followup

    yield make
    for name in stored:
        default_storage.delete(name)


def collaboration_objects(followup: FollowUp) -> dict:
    from tests.collaboration.factories import (
        AgreementFactory,
        CitizenPromiseFactory,
        MeasureFactory,
        PriorityAreaFactory,
        ProblemFactory,
        TertialFollowUpFactory,
    )

    agreement = AgreementFactory(first_year=2021, last_year=2022)
    area = PriorityAreaFactory(agreement=agreement, activities=[followup.activity])
    promise = CitizenPromiseFactory(agreement=agreement, priority_area=area, year=2021)
    problem = ProblemFactory()
    measure = MeasureFactory(
        plan__picture=problem.picture, plan__decided_on=date(2021, 3, 1), problems=[problem]
    )
    TertialFollowUpFactory(agreement=agreement, year=2021, tertial=1, ready=True)
    return {
        AGREEMENT: [agreement.pk],
        PROMISE: [agreement.pk, promise.pk],
        PRIORITY_AREA: [agreement.pk, area.pk],
        TERTIAL: [agreement.pk, 2021, 1],
        PICTURE: [problem.picture_id],
        PROBLEM: [problem.picture_id, problem.pk],
        PLAN: [measure.plan_id],
        MEASURE: [measure.plan_id, measure.pk],
    }


def archive(followup: FollowUp, approver, stored: list) -> None:
    pdf = b"%PDF-1.7\n% permission matrix\n%%EOF\n"
    sha256 = hashlib.sha256(pdf).hexdigest()
    name = default_storage.save(
        f"reports/{followup.year}/{followup.programme_id}/matrix-v1-{sha256[:12]}.pdf",
        ContentFile(pdf),
    )
    stored.append(name)
    decision = {
        "decided_by": "Kommunstyrelsen",
        "decision_date": date(2022, 3, 7),
        "decision_paragraph": "§ 11",
        "registration_number": "KS-2022/177.173",
    }
    approved_at = timezone.now()
    FollowUp._base_manager.filter(pk=followup.pk).update(
        status=FollowUp.Status.APPROVED,
        approved_by=approver,
        approved_at=approved_at,
        report_file=name,
        report_sha256=sha256,
        **decision,
    )
    ArchivedReport.objects.create(
        followup=followup,
        number=1,
        file=name,
        sha256=sha256,
        size=len(pdf),
        approved_by=approver,
        approved_at=approved_at,
        **decision,
    )


def rendering(followup: FollowUp, kind: str, stored: list) -> ReportRendering:
    """A ready rendering of the year's report, as the background job leaves
    it (a few bytes stand in for the PDF)."""
    # Unique bytes: a confirmation archives them under a name with their
    # checksum, which the archive never lets a later test reuse.
    pdf = f"%PDF-1.7\n% {kind} {uuid.uuid4()}\n%%EOF\n".encode()
    name = default_storage.save(
        f"renderings/{followup.year}/{followup.programme_id}/{kind}-matrix.pdf", ContentFile(pdf)
    )
    stored.append(name)
    return ReportRendering.objects.create(
        followup=followup,
        kind=kind,
        fingerprint=hashlib.sha256(name.encode()).hexdigest(),
        followup_version=followup.version,
        status=ReportRendering.Status.READY,
        file=name,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        pages=1,
        decision_date=date(2022, 3, 7),
        decided_by="Kommunstyrelsen",
        decision_paragraph="§ 11",
        registration_number="KS-2022/177.173",
    )


def reopened_like_draft(matrix: dict[str, Entry]) -> None:
    """A reopened year is a draft to everyone who works with it. Readers see
    it now (it has a decided report), so where a draft is hidden from them
    (404) a reopened year's working page refuses them (403) instead; the
    overview and the downloads are theirs, as REOPENED_ROWS says."""
    for name, entry in matrix.items():
        if entry.args == NO_ARGS or REOPENED in entry.states:
            continue
        reopened = {}
        for method, row in entry.states[DRAFT].items():
            reader = FORBIDDEN if row[1] == NOT_FOUND else row[1]
            reopened[method] = (row[0], reader, *row[2:])
        reopened.update(REOPENED_ROWS.get(name, {}))
        matrix[name] = Entry(entry.args, {**entry.states, REOPENED: reopened})


# Where a page has no POST, a reader visiting a reopened year is told so
# (405) like everyone else; the overview is theirs to read.
NO_POST_FOR_READERS = {
    POST: (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)
}
REOPENED_ROWS = {
    "followup": {GET: (LOGIN, OK, OK, OK, OK, OK), **NO_POST_FOR_READERS},
    "report-preview": NO_POST_FOR_READERS,
    "report-pdf": NO_POST_FOR_READERS,
}
reopened_like_draft(MATRIX)


# What a page must post to be allowed at all (beside the CSRF token, which
# the test client leaves out): the version the user saw, for deletes.
POST_DATA = {
    "activity-delete": lambda followup: {"version": followup.activity.version},
}


def url_args(kind: str, followup: FollowUp | None) -> list:
    if kind == NO_ARGS:
        return []
    if kind in followup.collaboration:
        return followup.collaboration[kind]
    year = [followup.programme_id, followup.year]
    return {
        PROGRAMME: [followup.programme_id],
        YEAR: year,
        ACTIVITY: [*year, followup.activity.pk],
        AREA: [*year, 1],
        DRAFT_RENDERING: [*year, followup.renderings_by_kind["draft"].pk],
        DECISION_RENDERING: [*year, followup.renderings_by_kind["decision"].pk],
        ARCHIVE: [*year, 1],
    }[kind]


def outcome(response, path: str) -> str:
    """What the response means for access, in the matrix's terms."""
    if response.status_code in (301, 302, 303, 307, 308):
        location = urlsplit(response["Location"])
        if location.path == resolve_url(settings.LOGIN_URL) and location.query:
            # Logging out lands on the login page without ?next=: that is
            # the logout's success, not a refusal.
            next_ = parse_qs(location.query).get("next", [""])[0]
            return LOGIN if next_ == path else f"login with next={next_!r}"
        return OK
    return {200: OK, 403: FORBIDDEN, 404: NOT_FOUND, 405: NOT_ALLOWED}.get(
        response.status_code, f"HTTP {response.status_code}"
    )


CASES = [
    pytest.param(name, state, method, role, group, expected, id=f"{name}-{state}-{method}-{role}")
    for name, entry in MATRIX.items()
    for state, methods in entry.states.items()
    for method, row in methods.items()
    for (role, group), expected in zip(ROLES, row, strict=True)
]


@pytest.mark.parametrize(("name", "state", "method", "role", "group", "expected"), CASES)
def test_url_answers_each_role_as_the_design_says(
    client, user_in_group, make_year, name, state, method, role, group, expected
):
    entry = MATRIX[name]
    followup = make_year(state) if state != ANY else None
    if group == CONTRIBUTOR and followup is not None:
        # Reporting for the unit of the year's activity.
        client.force_login(user_in_group(group, units=[followup.activity.responsible_unit]))
    elif group is not None:
        client.force_login(user_in_group(group))
    path = reverse(name, args=url_args(entry.args, followup))

    data = POST_DATA[name](followup) if name in POST_DATA else {}
    response = client.get(path) if method == GET else client.post(path, data)

    assert outcome(response, path) == expected
