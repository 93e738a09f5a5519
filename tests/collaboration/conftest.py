"""The follow-up year of the workspace tests (programme 2018–2022, its 2021
draft with one activity) serves the collaboration's tests too."""

from tests.followups.conftest import year  # noqa: F401
