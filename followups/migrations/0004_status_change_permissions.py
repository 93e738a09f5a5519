"""Lets every role that works with follow-ups read their status changes.

Status changes are a record: nobody, administrators included, gets to add,
change or delete them by hand; the yearly cycle's steps write them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READERS = ["Handläggare", "Nämndsekreterare", "Administratör"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("followups")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(
        content_type__app_label="followups", codename="view_statuschange"
    )
    for group in Group.objects.filter(name__in=READERS):
        group.permissions.add(view)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.filter(
        content_type__app_label="followups", codename="view_statuschange"
    ).first()
    if view is not None:
        for group in Group.objects.filter(name__in=READERS):
            group.permissions.remove(view)


class Migration(migrations.Migration):
    dependencies = [("followups", "0003_add_versions_and_status_changes")]

    operations = [migrations.RunPython(grant, revoke)]
