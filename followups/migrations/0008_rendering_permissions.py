"""Lets administrators see report renderings (to find a failed one) and
remove them; renderings are made by the background job only, so nobody adds
or changes one by hand."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_reportrendering", "delete_reportrendering"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("followups")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    found = Permission.objects.filter(content_type__app_label="followups", codename__in=CODENAMES)
    for group in Group.objects.filter(name="Administratör"):
        group.permissions.add(*found)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    found = Permission.objects.filter(content_type__app_label="followups", codename__in=CODENAMES)
    for group in Group.objects.filter(name="Administratör"):
        group.permissions.remove(*found)


class Migration(migrations.Migration):
    dependencies = [("followups", "0007_report_renderings")]

    operations = [migrations.RunPython(grant, revoke)]
