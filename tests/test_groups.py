"""The role groups made by followups/0002_create_role_groups (four) and
0011_contributor_role (Bidragsgivare), and the rights they give. The
expected permissions are spelled out here, not read from the migration, so
a change of a role's rights shows up as a failure."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import ADMINISTRATOR, CASEWORKER, CONTRIBUTOR, READER, SECRETARY

pytestmark = pytest.mark.django_db

ROLE_NAMES = [CASEWORKER, SECRETARY, ADMINISTRATOR, READER, CONTRIBUTOR]
PLAN_MODELS = [
    "programme",
    "responsibilityarea",
    "goal",
    "indicator",
    "indicatorvalue",
    "guideline",
    "organisationalunit",
    "partner",
    "district",
]
ACTIONS = ["add", "change", "delete", "view"]
YEAR_MODELS = ["followup", "activity", "goalassessment", "areasummary", "guidelinefollowup"]
# followups/0004 and 0006: status changes and archived reports are a record
# that nobody edits by hand.
EDIT_STATUS_CHANGES = {
    ("followups", f"{action}_{model}")
    for action in ["add", "change", "delete"]
    for model in ["statuschange", "archivedreport"]
} | {
    # Renderings are made by the background job: administrators see and
    # remove them, nobody adds or changes one.
    ("followups", "add_reportrendering"),
    ("followups", "change_reportrendering"),
}


def perms(app_label: str, *codenames: str) -> set[tuple[str, str]]:
    return {(app_label, codename) for codename in codenames}


def group_perms(name: str) -> set[tuple[str, str]]:
    return set(
        Group.objects.get(name=name).permissions.values_list("content_type__app_label", "codename")
    )


VIEW_PLAN = perms("programmes", *(f"view_{model}" for model in PLAN_MODELS))
# collaboration/0002: staff read all of the collaboration; Handläggare write
# its follow-up work; readers see the published reports.
COLLABORATION_MODELS = [
    "agreement",
    "priorityarea",
    "citizenpromise",
    "tertialfollowup",
    "priorityareastatus",
    "promiserating",
    "situationpicture",
    "problem",
    "actionplan",
    "measure",
]
VIEW_COLLABORATION = perms("collaboration", *(f"view_{m}" for m in COLLABORATION_MODELS))
WRITE_COLLABORATION = perms(
    "collaboration",
    "add_citizenpromise",
    "change_citizenpromise",
    "delete_citizenpromise",
    "add_tertialfollowup",
    "change_tertialfollowup",
    "add_priorityareastatus",
    "change_priorityareastatus",
    "add_promiserating",
    "change_promiserating",
    "add_situationpicture",
    "change_situationpicture",
    "add_problem",
    "change_problem",
    "delete_problem",
    "add_measure",
    "change_measure",
    "delete_measure",
    "change_priorityarea",
)

EXPECTED = {
    CASEWORKER: VIEW_PLAN
    | perms("programmes", "add_indicatorvalue", "change_indicatorvalue", "delete_indicatorvalue")
    | perms(
        "followups",
        "view_followup",
        "change_followup",
        "view_activity",
        "add_activity",
        "change_activity",
        "delete_activity",
        "view_goalassessment",
        "add_goalassessment",
        "change_goalassessment",
        "view_areasummary",
        "add_areasummary",
        "change_areasummary",
        "view_guidelinefollowup",
        "add_guidelinefollowup",
        "change_guidelinefollowup",
        "submit_followup",
        "preview_report",
        "view_statuschange",
        "view_archivedreport",
        "view_confidential_activity",
    )
    | VIEW_COLLABORATION
    | WRITE_COLLABORATION,
    SECRETARY: VIEW_PLAN
    | perms("followups", *(f"view_{model}" for model in YEAR_MODELS))
    # Secretaries change a follow-up only through the cycle's steps (return,
    # register decision), not by editing it.
    | perms("followups", "return_followup", "register_decision", "preview_report")
    | perms("followups", "view_statuschange", "view_archivedreport")
    | perms("followups", "view_confidential_activity")
    | VIEW_COLLABORATION,
    READER: perms("programmes", "view_programme")
    | perms("followups", "view_followup")
    | perms("collaboration", "view_agreement", "view_tertialfollowup", "view_actionplan"),
    # The plan (not the indicator values), the years, and activities: every
    # unit's to read, their own units' to write (the views check the unit).
    CONTRIBUTOR: (VIEW_PLAN - perms("programmes", "view_indicatorvalue"))
    | perms("followups", "view_followup", "view_activity", "contribute_activity"),
}
AUTH_ADMIN = perms(
    "auth", *(f"{action}_{model}" for model in ["user", "group"] for action in ACTIONS)
)

# Read the audit log; see and lift login lockouts (audit/0002).
LOG_AND_LOCKOUTS = {
    ("audit", "view_auditevent"),
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
    ("axes", "view_accessfailurelog"),
}


def refetched(user):
    """The user fetched afresh, so no permission cache is warm."""
    return get_user_model().objects.get(pk=user.pk)


def test_the_five_role_groups_exist_after_migrations():
    assert set(Group.objects.values_list("name", flat=True)) == set(ROLE_NAMES)


@pytest.mark.parametrize("name", [CASEWORKER, SECRETARY, READER, CONTRIBUTOR])
def test_role_group_has_exactly_its_intended_permissions(name):
    assert group_perms(name) == EXPECTED[name]


def test_administrator_has_every_permission_of_the_domain_apps_and_user_admin():
    domain = set(
        Permission.objects.filter(
            content_type__app_label__in=["programmes", "followups", "collaboration"]
        ).values_list("content_type__app_label", "codename")
    )

    assert (
        group_perms(ADMINISTRATOR) == (domain - EDIT_STATUS_CHANGES) | AUTH_ADMIN | LOG_AND_LOCKOUTS
    )
    # The domain set includes the yearly cycle's own steps.
    assert ("followups", "reopen_followup") in domain


@pytest.mark.parametrize(
    ("perm", "granted"),
    [
        ("followups.add_activity", True),
        ("followups.change_activity", True),
        ("followups.delete_activity", True),
        ("followups.add_goalassessment", True),
        ("followups.change_goalassessment", True),
        ("followups.add_areasummary", True),
        ("followups.change_areasummary", True),
        ("followups.add_guidelinefollowup", True),
        ("followups.change_guidelinefollowup", True),
        ("programmes.add_indicatorvalue", True),
        ("programmes.change_indicatorvalue", True),
        ("followups.change_followup", True),
        ("followups.submit_followup", True),
        ("followups.preview_report", True),
        ("followups.view_statuschange", True),
        ("followups.return_followup", False),
        ("followups.register_decision", False),
        ("followups.reopen_followup", False),
        ("programmes.change_goal", False),
        ("programmes.change_programme", False),
    ],
)
def test_caseworker_rights(caseworker, perm, granted):
    assert refetched(caseworker).has_perm(perm) is granted


@pytest.mark.parametrize(
    ("perm", "granted"),
    [
        *((f"programmes.view_{model}", True) for model in PLAN_MODELS),
        *((f"followups.view_{model}", True) for model in YEAR_MODELS),
        ("followups.return_followup", True),
        ("followups.register_decision", True),
        ("followups.preview_report", True),
        ("followups.view_statuschange", True),
        ("followups.add_activity", False),
        ("followups.change_activity", False),
        ("followups.delete_activity", False),
        ("programmes.add_goal", False),
        ("programmes.change_goal", False),
        ("programmes.delete_goal", False),
        ("followups.change_followup", False),
        ("followups.reopen_followup", False),
        ("followups.submit_followup", False),
    ],
)
def test_secretary_rights(secretary, perm, granted):
    assert refetched(secretary).has_perm(perm) is granted


@pytest.mark.parametrize(
    ("perm", "granted"),
    [
        ("followups.reopen_followup", True),
        ("followups.register_decision", True),
        ("programmes.change_goal", True),
        ("programmes.delete_programme", True),
        ("auth.add_user", True),
        ("auth.change_group", True),
        ("auth.delete_user", True),
        ("auth.view_group", True),
        ("followups.view_statuschange", True),
        ("followups.add_statuschange", False),
        ("followups.change_statuschange", False),
        ("followups.delete_statuschange", False),
        ("auth.change_permission", False),
    ],
)
def test_administrator_rights(administrator, perm, granted):
    assert refetched(administrator).has_perm(perm) is granted


@pytest.mark.parametrize(
    ("perm", "granted"),
    [
        ("followups.view_activity", True),
        ("followups.contribute_activity", True),
        ("programmes.view_goal", True),
        ("followups.add_activity", False),
        ("followups.change_activity", False),
        ("followups.delete_activity", False),
        ("followups.view_confidential_activity", False),
        ("followups.view_goalassessment", False),
        ("followups.change_goalassessment", False),
        ("followups.change_areasummary", False),
        ("programmes.view_indicatorvalue", False),
        ("programmes.change_indicatorvalue", False),
        ("followups.submit_followup", False),
        ("followups.preview_report", False),
    ],
)
def test_contributor_rights(user_in_group, perm, granted):
    contributor = user_in_group(CONTRIBUTOR)

    assert refetched(contributor).has_perm(perm) is granted


@pytest.mark.parametrize(
    ("group", "granted"),
    [(CASEWORKER, True), (SECRETARY, True), (ADMINISTRATOR, True), (READER, False)],
)
def test_only_staff_see_confidential_activities(user_in_group, group, granted):
    user = user_in_group(group)

    assert refetched(user).has_perm("followups.view_confidential_activity") is granted


def test_reader_may_only_view_programmes_followups_and_published_collaboration(reader):
    # The collaboration's views narrow these to the ready tertial reports
    # and the decided action plans.
    assert refetched(reader).get_all_permissions() == {
        "programmes.view_programme",
        "followups.view_followup",
        "collaboration.view_agreement",
        "collaboration.view_tertialfollowup",
        "collaboration.view_actionplan",
    }


def differences_from_intended() -> dict[str, set[tuple[str, str]]]:
    """For each role group, the permissions it has and should not, or lacks."""
    domain = set(
        Permission.objects.filter(
            content_type__app_label__in=["programmes", "followups", "collaboration"]
        ).values_list("content_type__app_label", "codename")
    )
    intended = {
        **EXPECTED,
        ADMINISTRATOR: (domain - EDIT_STATUS_CHANGES) | AUTH_ADMIN | LOG_AND_LOCKOUTS,
    }
    return {name: group_perms(name) ^ intended[name] for name in ROLE_NAMES}


@pytest.mark.django_db(transaction=True)
def test_role_group_migration_reverses_and_reapplies():
    executor = MigrationExecutor(connection)
    back, latest = [("followups", "0001_initial")], executor.loader.graph.leaf_nodes()
    no_differences = {name: set() for name in ROLE_NAMES}
    try:
        # Twice round, so the reverse is seen removing groups the forward made
        # even if an earlier transactional test flushed the migration's data.
        for _ in range(2):
            executor.migrate(back)
            assert not Group.objects.filter(name__in=ROLE_NAMES).exists()

            executor.loader.build_graph()
            executor.migrate(latest)
            executor.loader.build_graph()
            assert differences_from_intended() == no_differences
    finally:
        # Whatever failed above, leave the schema fully migrated for later tests.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    fresh = MigrationExecutor(connection)
    assert fresh.migration_plan(fresh.loader.graph.leaf_nodes()) == []
