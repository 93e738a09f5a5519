"""Views of the installation itself rather than of a domain."""

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def _archive_detail() -> tuple[bool, str]:
    """Every approved year's archived file present, of its size and checksum
    (a checksum is computed once per file and process, see followups.archive)."""
    from followups.archive import archive_problems
    from followups.models import ArchivedReport, FollowUp

    current = ArchivedReport.objects.filter(
        followup__status=FollowUp.Status.APPROVED
    ).select_related("followup")
    archives = [a for a in current if a.file.name == a.followup.report_file]
    approved = FollowUp.objects.filter(status=FollowUp.Status.APPROVED).count()
    problems = [problem.message for problem in archive_problems(archives)]
    if len(archives) < approved:
        problems.append(f"{approved - len(archives)} approved years without an archived report")
    if problems:
        return False, "archived reports: FAILED: " + "; ".join(problems)
    return True, f"archived reports: ok ({len(archives)})"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when every check passes, 503 when one fails, one line per check.

    Checks: the database answers a query; every approved year's archived
    report is there with its size and checksum. For load balancers that
    should only ask whether the node can serve, ``?check=database`` runs the
    first check alone. No login, no session, no template; plain text for
    people reading logs.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    lines = ["ok", "database: ok"]
    healthy = True
    if request.GET.get("check") != "database":
        healthy, detail = _archive_detail()
        lines.append(detail)
    if not healthy:
        lines[0] = "failing"
    return HttpResponse(
        "\n".join(lines) + "\n", status=200 if healthy else 503, content_type="text/plain"
    )
