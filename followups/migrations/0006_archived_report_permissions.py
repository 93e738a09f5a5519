"""Lets every role that works with follow-ups see the archived report
versions. Like status changes they are a record: nobody adds, changes or
deletes them by hand; registering a decision writes them."""

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
        content_type__app_label="followups", codename="view_archivedreport"
    )
    for group in Group.objects.filter(name__in=READERS):
        group.permissions.add(view)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.filter(
        content_type__app_label="followups", codename="view_archivedreport"
    ).first()
    if view is not None:
        for group in Group.objects.filter(name__in=READERS):
            group.permissions.remove(view)


class Migration(migrations.Migration):
    dependencies = [("followups", "0005_add_archived_reports")]

    operations = [migrations.RunPython(grant, revoke)]
