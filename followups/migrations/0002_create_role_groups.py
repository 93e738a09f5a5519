"""Creates the four role groups of DESIGN §2 with their model permissions.

Groups belong to the schema of the product, so a migration makes them; users
never are. The permissions are spelled out here (not imported from app code)
so that this migration means the same thing forever; a later change of a
role's rights is a new migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = ["view"]
EDIT = ["view", "add", "change"]
FULL = ["view", "add", "change", "delete"]

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
YEAR_MODELS = ["followup", "activity", "goalassessment", "areasummary", "guidelinefollowup"]


def _model_perms(app_label, models, actions):
    return [(app_label, f"{action}_{model}") for model in models for action in actions]


# group name -> list of (app_label, codename); "*" means every permission of the app.
ROLES = {
    "Handläggare": [
        *_model_perms("programmes", PLAN_MODELS, VIEW),
        *_model_perms("programmes", ["indicatorvalue"], FULL),
        *_model_perms("followups", ["followup"], ["view", "change"]),
        *_model_perms("followups", ["activity"], FULL),
        *_model_perms("followups", ["goalassessment", "areasummary", "guidelinefollowup"], EDIT),
        ("followups", "submit_followup"),
        ("followups", "preview_report"),
    ],
    "Nämndsekreterare": [
        *_model_perms("programmes", PLAN_MODELS, VIEW),
        *_model_perms("followups", YEAR_MODELS, VIEW),
        ("followups", "return_followup"),
        ("followups", "register_decision"),
        ("followups", "preview_report"),
    ],
    "Administratör": [
        ("programmes", "*"),
        ("followups", "*"),
        *_model_perms("auth", ["user", "group"], FULL),
    ],
    # Readers see approved reports only; the views enforce "approved".
    "Läsare": [
        ("programmes", "view_programme"),
        ("followups", "view_followup"),
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run; create
    # them now so that a fresh database gets complete groups in one migrate.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for app_label, codename in wanted:
            # Only the models of this migration state: a table dropped by a
            # backwards migration leaves its permission rows behind.
            models = [m._meta.model_name for m in apps.get_app_config(app_label).get_models()]
            found = Permission.objects.filter(
                content_type__app_label=app_label, content_type__model__in=models
            )
            if codename != "*":
                found = found.filter(codename=codename)
                if not found.exists():
                    raise LookupError(f"Permission {app_label}.{codename} does not exist.")
            permissions.extend(found)
        group.permissions.set(permissions)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("programmes", "0001_initial"),
        ("followups", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
