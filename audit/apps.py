from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the login receivers


class LockoutConfig(AxesAppConfig):
    """django-axes under a Swedish name in admin (it ships no translation)."""

    verbose_name = _("Login lockouts")
