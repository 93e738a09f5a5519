"""What each role may do in the collaboration (DESIGN §2, issue 13):
Handläggare write the follow-up work (promises, tertials, situation
pictures, measures, the activities of a priority area), Nämndsekreterare
read everything, Administratör everything, Läsare the tertial reports
marked ready and the decided action plans (the views narrow their view to
those), Bidragsgivare nothing of it.

Spelled out here, like followups/0002, so this migration means the same
thing forever.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
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
WRITTEN_BY_CASEWORKERS = {
    "citizenpromise": ["add", "change", "delete"],
    "tertialfollowup": ["add", "change"],
    "priorityareastatus": ["add", "change"],
    "promiserating": ["add", "change"],
    "situationpicture": ["add", "change"],
    "problem": ["add", "change", "delete"],
    "measure": ["add", "change", "delete"],
    "priorityarea": ["change"],
}
VIEW_ALL = [f"view_{model}" for model in MODELS]
ROLES = {
    "Handläggare": VIEW_ALL
    + [f"{action}_{model}" for model, actions in WRITTEN_BY_CASEWORKERS.items() for action in actions],
    "Nämndsekreterare": VIEW_ALL,
    # Administratör: every permission of the app (its history tables too),
    # as followups/0002 gives them every permission of followups.
    "Administratör": "*",
    "Läsare": ["view_agreement", "view_tertialfollowup", "view_actionplan"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("collaboration")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        found = Permission.objects.filter(content_type__app_label="collaboration")
        if codenames != "*":
            found = found.filter(codename__in=codenames)
            assert found.count() == len(set(codenames)), name
        for group in Group.objects.filter(name=name):
            group.permissions.add(*found)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    found = Permission.objects.filter(content_type__app_label="collaboration")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*found)


class Migration(migrations.Migration):
    dependencies = [
        ("collaboration", "0001_initial"),
        ("followups", "0011_contributor_role"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
