"""A system check for the auditors' finding: a programme whose period has
ended with no successor (``manage.py check`` shows it as a warning)."""

from django.core import checks
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext as _


def expired_programmes(year: int) -> list:
    """The programmes that ended before ``year`` with no programme after
    them (one query per ended programme)."""
    from .models import Programme

    return [
        p for p in Programme.objects.filter(last_year__lt=year) if p.expired_without_successor(year)
    ]


@checks.register()
def check_programmes_in_force(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Reads the database when its tables exist (a fresh database, before
    migrate, has none: nothing to say then)."""
    from .models import Programme

    try:
        if Programme._meta.db_table not in connection.introspection.table_names():
            return []
        expired = expired_programmes(timezone.localdate().year)
    except DatabaseError:
        return []
    return [
        checks.Warning(
            _("The programme %(programme)s ended in %(year)s and has no successor.")
            % {"programme": programme, "year": programme.last_year},
            hint=_(
                "Make the next period from it (manage.py copy_programme, or the action in "
                "admin) and have it adopted."
            ),
            obj=programme,
            id="programmes.W001",
        )
        for programme in expired
    ]
