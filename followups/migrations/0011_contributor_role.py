"""Creates the Bidragsgivare group (a person in another department who
reports the activities of their own organisational units) and lets the staff
roles see confidential activities.

Like 0002 the permissions are spelled out here, so this migration means the
same thing forever.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTRIBUTOR = "Bidragsgivare"
CONTRIBUTOR_PERMISSIONS = [
    ("programmes", "view_programme"),
    ("programmes", "view_responsibilityarea"),
    ("programmes", "view_goal"),
    ("programmes", "view_indicator"),
    ("programmes", "view_guideline"),
    ("programmes", "view_organisationalunit"),
    ("programmes", "view_partner"),
    ("programmes", "view_district"),
    ("followups", "view_followup"),
    ("followups", "view_activity"),
    ("followups", "contribute_activity"),
]
# group -> permissions of followups added for it
STAFF_PERMISSIONS = {
    "Handläggare": ["view_confidential_activity"],
    "Nämndsekreterare": ["view_confidential_activity"],
    "Administratör": [
        "view_confidential_activity",
        "contribute_activity",
        "view_contributor",
        "add_contributor",
        "change_contributor",
        "delete_contributor",
    ],
}


def _permissions(apps, wanted):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for app_label, codename in wanted:
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def grant(apps, schema_editor):
    for label in ("programmes", "followups"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=CONTRIBUTOR)
    group.permissions.set(_permissions(apps, CONTRIBUTOR_PERMISSIONS))
    for name, codenames in STAFF_PERMISSIONS.items():
        for staff in Group.objects.filter(name=name):
            staff.permissions.add(*_permissions(apps, [("followups", c) for c in codenames]))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.filter(name=CONTRIBUTOR).delete()
    for name, codenames in STAFF_PERMISSIONS.items():
        found = Permission.objects.filter(
            content_type__app_label="followups", codename__in=codenames
        )
        for staff in Group.objects.filter(name=name):
            staff.permissions.remove(*found)


class Migration(migrations.Migration):
    dependencies = [("followups", "0010_activity_confidentiality_and_contributors")]

    operations = [migrations.RunPython(grant, revoke)]
