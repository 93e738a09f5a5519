"""Gives administrators the audit log (read only: no other permission on it
exists) and the login lockouts of django-axes: read them, and unlock by
deleting an attempt."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Administratör"
PERMISSIONS = [
    ("audit", "view_auditevent"),
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
    ("axes", "view_accessfailurelog"),
]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for app_label, codename in PERMISSIONS:
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def grant(apps, schema_editor):
    for label in ("audit", "axes"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_create_audit_event"),
        ("axes", "0010_accessattemptexpiration"),
        ("followups", "0002_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
