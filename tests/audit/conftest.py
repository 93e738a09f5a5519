"""The workspace fixtures, for the audit tests too."""

from tests.followups.conftest import year  # noqa: F401
