"""Every free text of the year has an upper bound: model validation refuses
one character more, and every page that writes one says so in Swedish,
keeps what was typed on the page and saves nothing of it."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from followups import services
from followups.models import (
    Activity,
    AreaSummary,
    FollowUp,
    GoalAssessment,
    GuidelineFollowUp,
    StatusChange,
)
from programmes.models import IndicatorValue
from tests.factories import (
    ActivityFactory,
    AreaSummaryFactory,
    FollowUpFactory,
    GoalAssessmentFactory,
    GuidelineFollowUpFactory,
)
from tests.followups.approval import approve_without_archive
from tests.security.fuzz import browser_data, forms_of

pytestmark = pytest.mark.django_db


def too_long(bound: int, length: int | None = None) -> str:
    def spaced(number: int) -> str:
        return f"{number:,}".replace(",", "\xa0")

    length = bound + 1 if length is None else length
    return f"Texten får vara högst {spaced(bound)} tecken lång (nu {spaced(length)})."


# The models

BOUNDS = [
    (FollowUpFactory, "summary", 20_000),
    (ActivityFactory, "description", 5_000),
    (ActivityFactory, "result", 5_000),
    (GoalAssessmentFactory, "analysis", 10_000),
    (AreaSummaryFactory, "text", 20_000),
    (GuidelineFollowUpFactory, "text", 20_000),
]


@pytest.mark.parametrize(
    ("factory", "name", "bound"),
    BOUNDS,
    ids=[f"{f._meta.model.__name__}.{n}" for f, n, _b in BOUNDS],
)
def test_text_at_its_bound_is_valid_and_one_character_more_is_refused(factory, name, bound):
    row = factory()
    setattr(row, name, "å" * bound)
    row.full_clean()

    setattr(row, name, "å" * (bound + 1))
    with pytest.raises(ValidationError) as error:
        row.full_clean()

    assert error.value.message_dict == {name: [too_long(bound)]}


# The workspace's pages


@dataclass
class Text:
    """One text on one page: where it is posted, its field's name in the
    form, its bound, what the page's other fields must say, and how to read
    the text back."""

    url: Callable
    html_name: Callable
    bound: int
    stored: Callable
    others: Callable = field(default=lambda year: {})


TEXTS = {
    "activity description": Text(
        lambda y: y.url("activity-update", y.activity.pk),
        lambda y: "description",
        5_000,
        lambda y: Activity.objects.get(pk=y.activity.pk).description,
    ),
    "activity result": Text(
        lambda y: y.url("activity-update", y.activity.pk),
        lambda y: "result",
        5_000,
        lambda y: Activity.objects.get(pk=y.activity.pk).result,
    ),
    "goal analysis": Text(
        lambda y: y.url("area-assessment", 1),
        lambda y: f"goal-{y.goal11.pk}-analysis",
        10_000,
        lambda y: (
            GoalAssessment.objects.filter(followup=y.followup, goal=y.goal11)
            .values_list("analysis", flat=True)
            .first()
        ),
    ),
    "area summary": Text(
        lambda y: y.url("area-assessment", 1),
        lambda y: "summary-text",
        20_000,
        lambda y: (
            AreaSummary.objects.filter(followup=y.followup, area=y.area1)
            .values_list("text", flat=True)
            .first()
        ),
    ),
    "guideline text": Text(
        lambda y: y.url("guideline-texts"),
        lambda y: f"guideline-{y.guideline.pk}-text",
        20_000,
        lambda y: (
            GuidelineFollowUp.objects.filter(followup=y.followup, guideline=y.guideline)
            .values_list("text", flat=True)
            .first()
        ),
    ),
    "follow-up summary": Text(
        lambda y: y.url("followup-summary"),
        lambda y: "followup-summary",
        20_000,
        lambda y: FollowUp.objects.get(pk=y.followup.pk).summary,
    ),
    "indicator comment": Text(
        lambda y: y.url("indicator-values"),
        lambda y: f"indicator-{y.indicator.pk}-comment",
        1_000,
        lambda y: (
            IndicatorValue.objects.filter(indicator=y.indicator, year=2021)
            .values_list("comment", flat=True)
            .first()
        ),
        others=lambda y: {f"indicator-{y.indicator.pk}-value": "74,5"},
    ),
}


def post_text(client, year, text: Text, value: str):
    url = text.url(year)
    page = client.get(url)
    assert f'maxlength="{text.bound}"' in page.content.decode()
    data = {**browser_data(forms_of(page.context)), **text.others(year)}
    return client.post(url, {**data, text.html_name(year): value})


@pytest.mark.parametrize("name", TEXTS)
def test_one_character_more_is_refused_in_swedish_and_nothing_is_saved(
    client, caseworker, year, name
):
    text = TEXTS[name]
    client.force_login(caseworker)
    before = text.stored(year)
    typed = "å" * (text.bound + 1)

    response = post_text(client, year, text, typed)

    html = response.content.decode()
    assert response.status_code == 200
    assert too_long(text.bound) in html
    assert typed in html  # nothing typed is lost
    assert text.stored(year) == before


@pytest.mark.parametrize("name", TEXTS)
def test_a_text_of_exactly_its_bound_is_saved_whole(client, caseworker, year, name):
    text = TEXTS[name]
    client.force_login(caseworker)

    response = post_text(client, year, text, "å" * text.bound)

    assert response.status_code == 302
    assert text.stored(year) == "å" * text.bound


def test_line_breaks_count_as_the_browser_counts_them(client, caseworker, year):
    # 20,000 characters in the textarea, 2,000 of them line breaks: the
    # browser sends 22,000 (CR LF), and all of it is kept.
    client.force_login(caseworker)
    sent = "Nio tecke\r\n" * 2_000

    response = post_text(client, year, TEXTS["area summary"], sent)

    assert response.status_code == 302
    assert AreaSummary.objects.get(followup=year.followup, area=year.area1).text == sent.strip()


def test_admin_refuses_an_overlong_analysis_in_swedish(admin_client, year):
    assessment = GoalAssessment.objects.get(followup=year.previous)
    url = reverse("admin:followups_goalassessment_change", args=[assessment.pk])
    data = browser_data(forms_of(admin_client.get(url).context))

    response = admin_client.post(url, {**data, "analysis": "å" * 10_001})

    assert response.status_code == 200
    assert too_long(10_000) in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.analysis == "Förra årets analys."


# Returning and reopening: comments kept in the status history


def test_return_comment_over_its_bound_is_refused_and_the_year_stays_submitted(
    client, caseworker, secretary, year
):
    services.submit(year.followup, caseworker)
    client.force_login(secretary)

    response = client.post(year.url("followup-return"), {"comment": "å" * 2_001})

    assert response.status_code == 200
    assert too_long(2_000) in response.content.decode()
    year.followup.refresh_from_db()
    assert year.followup.status == FollowUp.Status.SUBMITTED
    assert not StatusChange.objects.filter(to_status=FollowUp.Status.DRAFT).exists()


def test_return_comment_of_exactly_its_bound_is_kept(client, caseworker, secretary, year):
    services.submit(year.followup, caseworker)
    client.force_login(secretary)

    response = client.post(year.url("followup-return"), {"comment": "å" * 2_000})

    assert response.status_code == 302
    change = StatusChange.objects.get(to_status=FollowUp.Status.DRAFT)
    assert change.comment == "å" * 2_000


def test_reopen_reason_over_its_bound_is_refused_and_the_year_stays_approved(
    client, administrator, year
):
    approve_without_archive(year.followup)
    client.force_login(administrator)

    response = client.post(year.url("followup-reopen"), {"reason": "å" * 2_001})

    assert response.status_code == 200
    assert too_long(2_000) in response.content.decode()
    year.followup.refresh_from_db()
    assert year.followup.status == FollowUp.Status.APPROVED
    assert not StatusChange.objects.exists()


def test_reopen_reason_of_exactly_its_bound_is_kept(client, administrator, year):
    approve_without_archive(year.followup)
    client.force_login(administrator)

    response = client.post(year.url("followup-reopen"), {"reason": "å" * 2_000})

    assert response.status_code == 302
    assert StatusChange.objects.get().comment == "å" * 2_000
