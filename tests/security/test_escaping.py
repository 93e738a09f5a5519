"""A script stored in any text field is shown as text everywhere: on every
workspace page, in the admin's lists and forms (editable and read-only) and
in the report's browser preview; the PDF prints it as text.

The report's own payloads (files, attachments, style sheets) are tested in
tests/followups/test_report_safety.py; this covers every page and admin."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from followups import decisions
from followups.models import ArchivedReport, Contributor, FollowUp
from followups.report.render import render_report_pdf
from tests.factories import (
    ActivityFactory,
    AreaSummaryFactory,
    DistrictFactory,
    FollowUpFactory,
    GoalAssessmentFactory,
    GoalFactory,
    GuidelineFactory,
    GuidelineFollowUpFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OrganisationalUnitFactory,
    PartnerFactory,
    ProgrammeFactory,
    ResponsibilityAreaFactory,
    StatusChangeFactory,
    UserFactory,
)
from tests.followups import report_pdf
from tests.followups.approval import approve_without_archive

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
# What only markup that escaped the templates could put into a page.
# (The admin has '"><img' of its own: <label for="searchbar"><img ...>.)
RAW = ["<script>alert", "<script>x</script>", "<img src=x"]


def payload(label: str, limit: int = 1000) -> str:
    """A text that runs a script if a page prints it unescaped, as long as
    the field allows."""
    text = f"{label} {SCRIPT} {ATTRIBUTE}"
    return text if len(text) <= limit else "<script>x</script>"[:limit]


@dataclass
class PayloadYear:
    followup: FollowUp
    texts: dict[str, str]  # field → stored text
    objects: dict[str, object]  # admin model label → one object


def payload_year() -> PayloadYear:
    """A 2021 draft and its 2020 predecessor in which every text a user can
    write holds a script."""
    t = {
        "programme.name": payload("Program", 200),
        "programme.municipality": payload("Kommun", 100),
        "programme.adopted_by": payload("Fullmäktige", 100),
        "programme.overall_goal": payload("Övergripande mål"),
        "programme.description": payload("Programbeskrivning"),
        "area.name": payload("Område", 200),
        "area.overarching_goal": payload("Delmål"),
        "goal.code": payload("", 20),
        "goal.title": payload("Mål", 300),
        "goal.description": payload("Målbeskrivning"),
        "indicator.name": payload("Nyckeltal", 300),
        "indicator.source": payload("Källa", 200),
        "indicator.description": payload("Nyckeltalsbeskrivning"),
        "indicator.counted": payload("ärenden", 50),
        "indicatorvalue.comment": payload("Värdekommentar"),
        "guideline.name": payload("Riktlinje", 300),
        "guideline.description": payload("Riktlinjebeskrivning"),
        "unit.name": payload("Enhet", 200),
        "partner.name": payload("Samverkanspart", 200),
        "district.name": payload("Kommundel", 200),
        "activity.title": payload("Aktivitet", 200),
        "activity.description": payload("Aktivitetsbeskrivning"),
        "activity.result": payload("Resultat"),
        "confidential.title": payload("Sekretessaktivitet", 200),
        "confidential.confidentiality_note": payload("Sekretessgrund", 200),
        "user.first_name": payload("Bidragsgivare", 150),
        "assessment.analysis": payload("Analys"),
        "previous_assessment.analysis": payload("Förra årets analys"),
        "areasummary.text": payload("Områdessammanfattning"),
        "guidelinefollowup.text": payload("Riktlinjeuppföljning"),
        "followup.summary": payload("Årets sammanfattning"),
        "followup.registration_number": payload("KS", 50),
        "followup.decided_by": payload("Kommunstyrelsen", 100),
        "followup.decision_paragraph": payload("§", 20),
        "statuschange.comment": payload("Återlämnad därför att"),
    }
    programme = ProgrammeFactory(
        first_year=2018,
        last_year=2022,
        name=t["programme.name"],
        municipality=t["programme.municipality"],
        adopted_by=t["programme.adopted_by"],
        overall_goal=t["programme.overall_goal"],
        description=t["programme.description"],
    )
    area = ResponsibilityAreaFactory(
        programme=programme,
        number=1,
        name=t["area.name"],
        overarching_goal=t["area.overarching_goal"],
    )
    goal = GoalFactory(
        area=area, code=t["goal.code"], title=t["goal.title"], description=t["goal.description"]
    )
    indicator = IndicatorFactory(
        area=area,
        name=t["indicator.name"],
        source=t["indicator.source"],
        description=t["indicator.description"],
        unit="count",
        counted=t["indicator.counted"],
    )
    value = IndicatorValueFactory(
        indicator=indicator, year=2021, value=45, comment=t["indicatorvalue.comment"]
    )
    IndicatorValueFactory(indicator=indicator, year=2020, value=40)
    guideline = GuidelineFactory(
        programme=programme, name=t["guideline.name"], description=t["guideline.description"]
    )
    previous = FollowUpFactory(programme=programme, year=2020, scale="2020")
    GoalAssessmentFactory(
        followup=previous, goal=goal, rating="good", analysis=t["previous_assessment.analysis"]
    )
    followup = FollowUpFactory(
        programme=programme,
        year=2021,
        summary=t["followup.summary"],
        registration_number=t["followup.registration_number"],
        decided_by=t["followup.decided_by"],
        decision_paragraph=t["followup.decision_paragraph"],
    )
    activity = ActivityFactory(
        followup=followup,
        area=area,
        goals=[goal],
        title=t["activity.title"],
        description=t["activity.description"],
        result=t["activity.result"],
        responsible_unit=OrganisationalUnitFactory(name=t["unit.name"]),
        partners=[PartnerFactory(name=t["partner.name"])],
        districts=[DistrictFactory(name=t["district.name"])],
    )
    confidential = ActivityFactory(
        followup=followup,
        area=area,
        title=t["confidential.title"],
        is_confidential=True,
        confidentiality_ground="other",
        confidentiality_note=t["confidential.confidentiality_note"],
    )
    contributor = UserFactory(first_name=t["user.first_name"])
    Contributor.objects.create(user=contributor).units.set([activity.responsible_unit])
    assessment = GoalAssessmentFactory(
        followup=followup, goal=goal, rating="high", analysis=t["assessment.analysis"]
    )
    summary = AreaSummaryFactory(followup=followup, area=area, text=t["areasummary.text"])
    text = GuidelineFollowUpFactory(
        followup=followup, guideline=guideline, text=t["guidelinefollowup.text"]
    )
    change = StatusChangeFactory(followup=followup, comment=t["statuschange.comment"])
    objects = {
        "programmes.programme": programme,
        "programmes.responsibilityarea": area,
        "programmes.goal": goal,
        "programmes.indicator": indicator,
        "programmes.indicatorvalue": value,
        "programmes.guideline": guideline,
        "programmes.organisationalunit": activity.responsible_unit,
        "programmes.partner": activity.partners.get(),
        "programmes.district": activity.districts.get(),
        "followups.followup": followup,
        "followups.activity": activity,
        "auth.user": contributor,
        "followups.goalassessment": assessment,
        "followups.areasummary": summary,
        "followups.guidelinefollowup": text,
        "followups.statuschange": change,
    }
    year = PayloadYear(followup, t, objects)
    year.confidential = confidential
    return year


def workspace_urls(year: PayloadYear) -> list[str]:
    followup = year.followup
    activity = year.objects["followups.activity"]

    def url(name, *args):
        return reverse(name, args=[followup.programme_id, followup.year, *args])

    urls = [reverse("start"), reverse("programme-trends", args=[followup.programme_id])]
    urls += [
        url(name)
        for name in [
            "followup",
            "followup-summary",
            "activity-list",
            "activity-create",
            "assessment-overview",
            "indicator-values",
            "guideline-texts",
            "followup-submit",
            "report-preview",
        ]
    ]
    urls += [url("area-assessment", 1)]
    urls += [
        url(name, activity.pk)
        for name in ["activity-detail", "activity-update", "activity-delete", "activity-continue"]
    ]
    urls += [url("activity-list") + "?q=" + "<script>"]  # the search echoed in the form
    urls += [
        url("activity-detail", year.confidential.pk),
        url("activity-update", year.confidential.pk),
    ]
    urls += [url("activity-import")]
    return urls


def admin_urls(year: PayloadYear) -> list[str]:
    urls = []
    for label, obj in year.objects.items():
        info = (obj._meta.app_label, obj._meta.model_name)
        assert type(obj) in admin.site._registry, label
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        urls.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
    return urls


def get_pages(client, urls: list[str]) -> dict[str, str]:
    pages = {}
    for url in urls:
        response = client.get(url, follow=True)  # the start page redirects to the year
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def raw_markup(pages: dict[str, str]) -> dict[str, list[str]]:
    return {url: found for url, html in pages.items() if (found := [r for r in RAW if r in html])}


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_every_page_of_a_draft_year_shows_stored_scripts_as_text(superuser_client):
    year = payload_year()

    pages = get_pages(superuser_client, workspace_urls(year) + admin_urls(year))

    assert raw_markup(pages) == {}
    everything = "".join(pages.values())
    assert [field for field, text in year.texts.items() if escape(text) not in everything] == []


def test_pages_of_a_submitted_year_show_stored_scripts_as_text(superuser_client):
    year = payload_year()
    FollowUp._base_manager.filter(pk=year.followup.pk).update(status=FollowUp.Status.SUBMITTED)
    followup = year.followup

    payload = year.texts["followup.registration_number"]
    rendering = decisions.prepare_decision(
        followup,
        None,
        enqueue=False,
        decided_by=payload,
        decision_date=date(2022, 3, 7),
        decision_paragraph="§ 11",
        registration_number=payload[:50],
    )
    args = [followup.programme_id, followup.year]
    pages = get_pages(
        superuser_client,
        [reverse(name, args=args) for name in ["followup", "followup-return", "followup-decision"]]
        + [
            reverse(name, args=[*args, rendering.pk])
            for name in ["followup-decision-confirm", "report-rendering"]
        ],
    )

    assert raw_markup(pages) == {}
    everything = "".join(pages.values())
    for field in ["statuschange.comment", "followup.registration_number"]:
        assert escape(year.texts[field]) in everything, field
    assert (
        escape(payload) in pages[reverse("followup-decision-confirm", args=[*args, rendering.pk])]
    )


def test_read_only_pages_of_an_approved_year_show_stored_scripts_as_text(superuser_client):
    """An approved year's admin shows its objects read-only, through another
    code path than the editable form."""
    year = payload_year()
    approve_without_archive(year.followup)
    followup = year.followup
    workspace = [
        reverse(name, args=[followup.programme_id, followup.year])
        for name in ["followup", "followup-reopen", "report-preview"]
    ]
    workspace.append(reverse("area-assessment", args=[followup.programme_id, followup.year, 1]))

    pages = get_pages(superuser_client, workspace + admin_urls(year))

    assert raw_markup(pages) == {}
    readonly = [url for url in pages if "/change/" in url and "/followups/" in url]
    assert readonly
    assert [url for url in readonly if "&lt;script&gt;" not in pages[url]] == []
    everything = "".join(pages.values())
    assert escape(year.texts["activity.result"]) in everything
    assert escape(year.texts["assessment.analysis"]) in everything


def test_pdf_prints_stored_scripts_as_text():
    year = payload_year()

    rendered = render_report_pdf(year.followup)

    text = "".join("".join(report_pdf.page_texts(rendered.pdf)).split())
    for field in ["activity.result", "assessment.analysis", "followup.summary", "goal.title"]:
        assert "".join(year.texts[field].split()) in text, field


def test_a_reopened_years_notice_and_archive_table_show_stored_scripts_as_text(
    client, user_in_group
):
    year = payload_year()
    approve_without_archive(year.followup)
    followup = year.followup
    text = year.texts["followup.registration_number"]
    ArchivedReport.objects.create(
        followup=followup,
        number=1,
        file="reports/2021/escaping-v1.pdf",
        sha256="ab" * 32,
        size=10,
        approved_by=UserFactory(first_name=SCRIPT[:30]),
        approved_at=timezone.now(),
        decided_by=text[:100],
        decision_date=date(2022, 3, 7),
        decision_paragraph=SCRIPT[:20],
        registration_number=text[:50],
    )
    FollowUp._base_manager.filter(pk=followup.pk).update(status=FollowUp.Status.DRAFT)
    client.force_login(user_in_group("Läsare"))

    pages = get_pages(client, [reverse("followup", args=[followup.programme_id, followup.year])])

    assert raw_markup(pages) == {}
    html = next(iter(pages.values()))
    assert "Året har öppnats igen" in html
    assert escape(text[:100]) in html


def test_a_refused_delete_shows_the_stored_title_as_text(superuser_client):
    year = payload_year()
    activity = year.objects["followups.activity"]
    url = reverse("activity-delete", args=[year.followup.programme_id, 2021, activity.pk])

    response = superuser_client.post(url, {"version": "0"})

    assert response.status_code == 409
    html = response.content.decode()
    assert raw_markup({url: html}) == {}
    assert escape(activity.title) in html


# The collaboration (issue 13)


def collaboration_payloads(year: PayloadYear) -> tuple[dict[str, str], list[str]]:
    """Every text of the collaboration's models holding a script, and the
    pages and admin pages that show them."""
    from tests.collaboration.factories import (
        ActionPlanFactory,
        AgreementFactory,
        CitizenPromiseFactory,
        MeasureFactory,
        PriorityAreaFactory,
        PriorityAreaStatusFactory,
        ProblemFactory,
        PromiseRatingFactory,
        SituationPictureFactory,
        TertialFollowUpFactory,
    )

    t = {
        "agreement.title": payload("Överenskommelse", 300),
        "agreement.municipality": payload("Kommun", 100),
        "agreement.registration_number": payload("KS", 50),
        "agreement.decided_by": payload("Kommunstyrelsen", 100),
        "agreement.governance": payload("Styrgrupp"),
        "area.name": payload("Prioriterat", 200),
        "area.description": payload("Områdesbeskrivning"),
        "promise.category": payload("Kategori", 100),
        "promise.text": payload("Löfte"),
        "tertial.summary": payload("Tertialsammanfattning"),
        "status.text": payload("Status"),
        "rating.comment": payload("Kommentar"),
        "picture.title": payload("Lägesbild", 300),
        "picture.analysis": payload("Analys"),
        "problem.name": payload("Problem", 200),
        "problem.mapping": payload("Kartläggning"),
        "problem.extent": payload("Omfattning"),
        "problem.consequences": payload("Konsekvenser"),
        "problem.sources": payload("Källor"),
        "plan.title": payload("Åtgärdsplan", 300),
        "plan.decided_by": payload("Fullmäktige", 100),
        "plan.registration_number": payload("Dnr", 50),
        "measure.title": payload("Åtgärd", 300),
        "measure.description": payload("Åtgärdsbeskrivning"),
    }
    activity = year.objects["followups.activity"]
    agreement = AgreementFactory(
        title=t["agreement.title"],
        municipality=t["agreement.municipality"],
        registration_number=t["agreement.registration_number"],
        decided_by=t["agreement.decided_by"],
        governance=t["agreement.governance"],
    )
    area = PriorityAreaFactory(
        agreement=agreement,
        name=t["area.name"],
        description=t["area.description"],
        activities=[activity],
    )
    promise = CitizenPromiseFactory(
        agreement=agreement,
        priority_area=area,
        category=t["promise.category"],
        text=t["promise.text"],
        activities=[activity],
    )
    tertial = TertialFollowUpFactory(agreement=agreement, summary=t["tertial.summary"])
    PriorityAreaStatusFactory(tertial=tertial, priority_area=area, text=t["status.text"])
    PromiseRatingFactory(tertial=tertial, promise=promise, comment=t["rating.comment"])
    picture = SituationPictureFactory(title=t["picture.title"], analysis=t["picture.analysis"])
    problem = ProblemFactory(
        picture=picture,
        name=t["problem.name"],
        mapping=t["problem.mapping"],
        extent=t["problem.extent"],
        consequences=t["problem.consequences"],
        sources=t["problem.sources"],
    )
    plan = ActionPlanFactory(
        picture=picture,
        title=t["plan.title"],
        decided_by=t["plan.decided_by"],
        registration_number=t["plan.registration_number"],
    )
    measure = MeasureFactory(
        plan=plan,
        title=t["measure.title"],
        description=t["measure.description"],
        problems=[problem],
        activities=[activity],
    )
    followup = year.followup
    urls = [
        reverse("collaboration"),
        reverse("agreement", args=[agreement.pk]),
        reverse("promise-update", args=[agreement.pk, promise.pk]),
        reverse("promise-create", args=[agreement.pk]),
        reverse("priority-area-activities", args=[agreement.pk, area.pk]),
        reverse("tertial", args=[agreement.pk, tertial.year, tertial.tertial]),
        reverse("situation", args=[picture.pk]),
        reverse("situation-update", args=[picture.pk]),
        reverse("problem-update", args=[picture.pk, problem.pk]),
        reverse("action-plan", args=[plan.pk]),
        reverse("measure-update", args=[plan.pk, measure.pk]),
        reverse("activity-detail", args=[followup.programme_id, followup.year, activity.pk]),
        reverse("activity-list", args=[followup.programme_id, followup.year]),
    ]
    for obj in (agreement, area, promise, tertial, picture, problem, plan, measure):
        info = (obj._meta.app_label, obj._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
    year.collaboration = {"tertial": tertial, "plan": plan}
    return t, urls


def test_collaboration_pages_show_stored_scripts_as_text(superuser_client):
    year = payload_year()
    texts, urls = collaboration_payloads(year)

    pages = get_pages(superuser_client, urls)

    assert raw_markup(pages) == {}
    everything = "".join(pages.values())
    assert [field for field, text in texts.items() if escape(text) not in everything] == []


def test_the_trace_report_prints_stored_scripts_as_text(superuser_client):
    year = payload_year()
    texts, _urls = collaboration_payloads(year)

    response = superuser_client.get(
        reverse("action-plan-report", args=[year.collaboration["plan"].pk])
    )

    text = "".join("".join(report_pdf.page_texts(response.content)).split())
    for field in ["problem.name", "problem.extent", "measure.title", "plan.title"]:
        assert "".join(texts[field].split()) in text, field
