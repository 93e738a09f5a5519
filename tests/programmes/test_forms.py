"""The shared form fields: dates as Swedes type them, shown in the browser's
date picker; texts bounded as the browser counts them, refused in Swedish.
And the admin's programme form, which uses both."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programmes.forms import BoundedCharField, SwedishDateField, parse_swedish_date
from programmes.models import Programme
from tests.factories import ProgrammeFactory
from tests.security.fuzz import browser_data, forms_of

pytestmark = pytest.mark.django_db

BAD_DATE = "Ange datumet som 2022-03-07 eller 7 mars 2022."


# Dates


@pytest.mark.parametrize(
    "text",
    [
        "2022-03-07",
        "2022-3-7",
        "7 mars 2022",
        "7 Mars 2022",
        "7 MARS 2022",
        "07 mars 2022",
        "7 mar 2022",
        "7 mar. 2022",
        "7\u00a0mars\u00a02022",
        "  7  mars 2022 ",
    ],
)
def test_iso_and_written_swedish_dates_are_read(text):
    assert parse_swedish_date(text) == date(2022, 3, 7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 januari 2022", date(2022, 1, 1)),
        ("28 feb 2022", date(2022, 2, 28)),
        ("29 februari 2024", date(2024, 2, 29)),
        ("30 april 2022", date(2022, 4, 30)),
        ("1 maj 2022", date(2022, 5, 1)),
        ("18 juni 2018", date(2018, 6, 18)),
        ("31 juli 2022", date(2022, 7, 31)),
        ("15 augusti 2022", date(2022, 8, 15)),
        ("1 sept. 2022", date(2022, 9, 1)),
        ("31 okt 2022", date(2022, 10, 31)),
        ("30 november 2022", date(2022, 11, 30)),
        ("31 december 2022", date(2022, 12, 31)),
    ],
)
def test_every_month_is_read_by_its_swedish_name(text, expected):
    assert parse_swedish_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2022-02-30",
        "31 april 2022",
        "29 februari 2023",
        "2022-13-01",
        "0000-01-01",
        "10000-01-01",
        "7/3/2022",
        "3/7/2022",
        "7.3.2022",
        "20220307",
        "2022-03-07T10:00",
        "7 mars",
        "mars 2022",
        "7 ma 2022",
        "7 marsch 2022",
        "7 march 2022",
        "7. mars 2022",
        "٢٠٢٢-٠٣-٠٧",  # Arabic-Indic digits
        "２０２２-０３-０７",  # full-width digits
        "",
    ],
)
def test_anything_else_is_no_date(text):
    assert parse_swedish_date(text) is None


@pytest.mark.parametrize("text", ["31 april 2022", "7/3/2022", "i går"])
def test_date_field_refuses_in_swedish(text):
    field = SwedishDateField()

    with pytest.raises(ValidationError) as error:
        field.clean(text)

    assert error.value.messages == [BAD_DATE]


def test_date_field_is_a_date_picker_with_an_iso_value():
    html = SwedishDateField().widget.render("day", date(2022, 3, 7))

    assert html == '<input type="date" name="day" value="2022-03-07">'


def test_a_typed_date_is_shown_again_in_iso_for_the_picker():
    field = SwedishDateField()

    assert field.bound_data("7 mars 2022", None) == date(2022, 3, 7)
    assert field.bound_data("31 april 2022", None) == "31 april 2022"


# Bounded texts


def test_bounded_text_says_the_bound_and_the_length_in_swedish():
    field = BoundedCharField(max_length=20_000)

    with pytest.raises(ValidationError) as error:
        field.clean("x" * 20_001)

    assert error.value.messages == ["Texten får vara högst 20\xa0000 tecken lång (nu 20\xa0001)."]


def test_bounded_text_counts_a_line_break_as_one_character_as_the_browser_does():
    field = BoundedCharField(max_length=10)
    # What a browser sends for a textarea of ten characters, three of them line breaks.
    sent = "a\r\nb\r\nc\r\ndefg"

    assert field.clean(sent) == sent
    with pytest.raises(ValidationError) as error:
        field.clean(sent + "h")
    assert error.value.messages == ["Texten får vara högst 10 tecken lång (nu 11)."]


def test_bounded_text_gives_the_browser_its_maxlength():
    html = BoundedCharField(max_length=2_000).widget.render("text", "")

    assert 'maxlength="2000"' in html


# The admin's programme form


def programme_post(admin_client, programme, **changes):
    url = reverse("admin:programmes_programme_change", args=[programme.pk])
    data = {**browser_data(forms_of(admin_client.get(url).context)), **changes}
    return admin_client.post(url, data)


def test_admin_programme_adoption_date_is_a_date_picker(admin_client):
    programme = ProgrammeFactory(adopted_on=date(2018, 6, 18))
    url = reverse("admin:programmes_programme_change", args=[programme.pk])

    html = admin_client.get(url).content.decode()

    assert 'type="date" name="adopted_on" value="2018-06-18"' in html


@pytest.mark.parametrize("typed", ["2018-06-18", "18 juni 2018", "18 Jun 2018"])
def test_admin_programme_adoption_date_typed_in_swedish_is_stored(admin_client, typed):
    programme = ProgrammeFactory()

    response = programme_post(admin_client, programme, adopted_on=typed)

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.adopted_on == date(2018, 6, 18)


@pytest.mark.parametrize("typed", ["31 juni 2018", "6/18/2018", "18 juni"])
def test_admin_programme_adoption_date_that_is_no_date_is_refused(admin_client, typed):
    programme = ProgrammeFactory(adopted_on=date(2018, 6, 18))

    response = programme_post(admin_client, programme, adopted_on=typed)

    assert response.status_code == 200
    assert BAD_DATE in response.content.decode()
    assert Programme.objects.get(pk=programme.pk).adopted_on == date(2018, 6, 18)
