from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollaborationConfig(AppConfig):
    """The work with the police and the fire service, and the chain from
    situation picture to result. Depends on ``programmes`` and ``followups``;
    they never import it: what it adds to their pages and to the annual
    report it registers here, through their extension points."""

    name = "collaboration"
    verbose_name = _("Collaboration")

    def ready(self) -> None:
        from . import extensions, signals  # noqa: F401  (registers the hooks and guards)
