"""Key figures from Kolada: the client against recorded answers served by a
local HTTP server (tests/followups/kolada/), the import's rules (all or
none, closed years skipped, history, version, example flag), the command
and the admin action."""

import socket
import threading
from dataclasses import dataclass
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from followups.kolada import KoladaError, import_kolada
from followups.models import FollowUp
from programmes.models import Indicator, IndicatorValue
from tests.conftest import ADMINISTRATOR, SECRETARY
from tests.factories import IndicatorFactory
from tests.followups.approval import approve_without_archive, set_status

pytestmark = pytest.mark.django_db

RECORDED = Path(__file__).parent / "kolada"
KOLADA = "https://api.kolada.se/v3"
# The year fixture's programme runs from 2018 to 2022.
DATA = "/v3/data/kpi/N07402/municipality/0126/year/2018,2019,2020,2021,2022?per_page=5000"
PAGE_2 = "/v3/data/kpi/N07402/municipality/0126/year/2018,2019,2020,2021,2022?page=2&per_page=5000"
KPI = "/v3/kpi/N07402"
NOT_SAVED = "Inga värden har sparats."


@dataclass
class Route:
    file: str
    status: int = 200
    hang: bool = False  # answer only when the test is over


class FakeKolada:
    """Kolada on 127.0.0.1: answers the routes' recorded files, 404 with an
    empty body otherwise, and records the paths asked for."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self.released = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.requests.append(self.path)
                route = fake.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.hang:
                    fake.released.wait(10)
                body = (RECORDED / route.file).read_bytes().replace(KOLADA.encode(), fake.url)
                self.send_response(route.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args) -> None:
                pass  # quiet test output

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/v3".encode()

    def start(self) -> None:
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def stop(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def kolada(settings):
    fake = FakeKolada()
    fake.start()
    settings.KOLADA_BASE_URL = fake.url.decode()
    settings.KOLADA_TIMEOUT = 5
    yield fake
    fake.stop()


@pytest.fixture
def indicator(year) -> Indicator:
    """The year's percentage (2020: 64) with Kolada's KPI N07402 for Huddinge."""
    Indicator.objects.filter(pk=year.indicator.pk).update(
        kolada_kpi="N07402", kolada_municipality="0126"
    )
    year.indicator.refresh_from_db()
    return year.indicator


def stored(indicator) -> dict[int, Decimal]:
    return dict(indicator.values.order_by("year").values_list("year", "value"))


def kolada_error(**kwargs) -> str:
    with pytest.raises(KoladaError) as raised:
        import_kolada(**kwargs)
    return raised.value.message


# The model


@pytest.mark.parametrize("kpi", ["n07402", "N0740", "N074021", "N0740٢", "N07402\n", "07402"])
def test_kolada_kpi_must_be_a_capital_letter_and_five_digits(year, kpi):
    indicator = IndicatorFactory.build(area=year.area1, kolada_kpi=kpi, kolada_municipality="0126")

    with pytest.raises(ValidationError) as raised:
        indicator.full_clean()

    assert raised.value.message_dict == {
        "kolada_kpi": ["Ett Kolada-id är en versal och fem siffror, t.ex. N07402."]
    }


@pytest.mark.parametrize("municipality", ["126", "01260", "O126", "０１２６"])
def test_kolada_municipality_must_be_four_digits(year, municipality):
    indicator = IndicatorFactory.build(area=year.area1, kolada_municipality=municipality)

    with pytest.raises(ValidationError) as raised:
        indicator.full_clean()

    assert list(raised.value.message_dict) == ["kolada_municipality"]


def test_a_kolada_kpi_needs_the_municipality(year):
    indicator = IndicatorFactory.build(area=year.area1, kolada_kpi="N07402")

    with pytest.raises(ValidationError) as raised:
        indicator.full_clean()

    assert raised.value.message_dict == {
        "kolada_municipality": ["Fyll i kommunens Kolada-id när ett Kolada-nyckeltal anges."]
    }


def test_kolada_gender_is_total_by_default_and_checked_by_the_database(year):
    indicator = IndicatorFactory(area=year.area1)
    assert indicator.kolada_gender == Indicator.KoladaGender.TOTAL

    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.filter(pk=indicator.pk).update(kolada_gender="X")


# Fetching and saving


def test_values_are_created_with_kolada_totals(kolada, indicator):
    kolada.routes[DATA] = Route("normal.json")

    result = import_kolada([indicator])

    # 2020 was 64 already; 2022 has no value in Kolada.
    assert stored(indicator) == {2019: Decimal("61.50"), 2020: 64, 2021: Decimal("58.30")}
    assert (result.created, result.updated, result.unchanged, result.skipped) == (2, 0, 1, [])
    assert kolada.requests == [DATA]


def test_the_indicator_can_ask_for_womens_values(kolada, indicator):
    indicator.kolada_gender = Indicator.KoladaGender.WOMEN
    indicator.save()
    kolada.routes[DATA] = Route("normal.json")

    result = import_kolada([indicator])

    assert stored(indicator) == {
        2019: Decimal("66.10"),
        2020: Decimal("68.20"),
        2021: Decimal("62.00"),
    }
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)


def test_every_page_is_fetched(kolada, indicator):
    kolada.routes[DATA] = Route("paged_page1.json")
    kolada.routes[PAGE_2] = Route("paged_page2.json")

    result = import_kolada([indicator])

    assert kolada.requests == [DATA, PAGE_2]
    assert stored(indicator) == {
        2018: Decimal("61.30"),
        2019: Decimal("61.50"),
        2020: Decimal("64.10"),
        2021: Decimal("58.30"),
    }
    assert (result.created, result.updated, result.unchanged) == (3, 1, 0)


def test_since_asks_for_the_years_from_it(kolada, indicator):
    kolada.routes["/v3/data/kpi/N07402/municipality/0126/year/2021,2022?per_page=5000"] = Route(
        "normal.json"
    )

    result = import_kolada([indicator], since=2021)

    # Kolada's answer held other years too; only those asked for are saved.
    assert stored(indicator) == {2020: 64, 2021: Decimal("58.30")}
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)


def test_without_indicators_every_indicator_with_a_kpi_is_imported(kolada, indicator, year):
    IndicatorFactory(area=year.area2, name="Utan Kolada")
    kolada.routes[DATA] = Route("normal.json")

    result = import_kolada()

    assert (result.created, result.unchanged) == (2, 1)
    assert not IndicatorValue.objects.filter(indicator__name="Utan Kolada").exists()


def test_an_updated_value_is_recorded_with_reason_kolada_a_new_version_and_no_example_flag(
    kolada, indicator, user_in_group
):
    value = indicator.values.get(year=2020)
    value.is_example = True
    value.save()
    user = user_in_group(ADMINISTRATOR)
    kolada.routes[DATA] = Route("normal.json")

    result = import_kolada([indicator], user=user)

    value.refresh_from_db()
    # The same number, but no longer example data: a change.
    assert (value.value, value.is_example, value.version) == (64, False, 2)
    assert result.updated == 1
    latest = value.history.first()
    assert (latest.history_change_reason, latest.history_user, latest.version) == (
        "Kolada",
        user,
        2,
    )
    created = indicator.values.get(year=2019).history.get()
    assert (created.history_type, created.history_change_reason) == ("+", "Kolada")


def test_an_unchanged_value_is_not_written(kolada, indicator):
    kolada.routes[DATA] = Route("normal.json")
    value = indicator.values.get(year=2020)

    import_kolada([indicator])

    assert value.history.count() == 1
    assert indicator.values.get(year=2020).version == 1


def test_a_percentage_over_100_saves_nothing(kolada, indicator):
    kolada.routes[DATA] = Route("out_of_range.json")

    message = kolada_error(indicators=[indicator])

    assert message == (
        "Kolada-värdet 104,20 för Upplevd trygghet 2021 kan inte sparas: "
        f"En andel i procent måste ligga mellan 0 och 100. {NOT_SAVED}"
    )
    # 2019 came first and was valid; it is rolled back with the rest.
    assert stored(indicator) == {2020: 64}


def test_a_value_of_an_approved_year_is_skipped_and_kept(kolada, indicator, year):
    approve_without_archive(year.previous)
    indicator.kolada_gender = Indicator.KoladaGender.WOMEN
    indicator.save()
    kolada.routes[DATA] = Route("normal.json")

    result = import_kolada([indicator])

    assert stored(indicator) == {2019: Decimal("66.10"), 2020: 64, 2021: Decimal("62.00")}
    assert [(s.kpi, s.year, s.reason) for s in result.skipped] == [
        ("N07402", 2020, "året är godkänt")
    ]
    assert result.summary() == (
        "Kolada: 2 nya värden, 0 ändrade, 0 oförändrade. "
        "Hoppade över: N07402 2020 (året är godkänt)."
    )


def test_a_value_of_a_submitted_year_is_skipped(kolada, indicator, year):
    set_status(year.followup, FollowUp.Status.SUBMITTED)
    kolada.routes[DATA] = Route("normal.json")

    result = import_kolada([indicator])

    assert stored(indicator) == {2019: Decimal("61.50"), 2020: 64}
    assert [str(skipped) for skipped in result.skipped] == [
        "N07402 2021 (året är inlämnat för beslut)"
    ]


# Failures: a message in Swedish, nothing saved


def test_kolada_not_answering_saves_nothing(settings, indicator):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.KOLADA_BASE_URL = f"http://127.0.0.1:{port}/v3"

    message = kolada_error(indicators=[indicator])

    assert message == f"Kunde inte nå Kolada (127.0.0.1 vägrade anslutningen). {NOT_SAVED}"
    assert stored(indicator) == {2020: 64}


def test_a_failure_half_way_saves_nothing_of_the_indicators_fetched_before(kolada, indicator, year):
    second = IndicatorFactory(area=year.area2, kolada_kpi="N07403", kolada_municipality="0126")
    kolada.routes[DATA] = Route("normal.json")
    # The second indicator's address is not served: the run fails half-way.

    message = kolada_error(indicators=[indicator, second])

    assert message == f"Kolada känner inte till nyckeltalet N07403. {NOT_SAVED}"
    assert stored(indicator) == {2020: 64}


def test_kolada_answering_too_slowly_saves_nothing(kolada, settings, indicator):
    settings.KOLADA_TIMEOUT = 0.2
    kolada.routes[DATA] = Route("normal.json", hang=True)

    message = kolada_error(indicators=[indicator])

    assert message == f"Kunde inte nå Kolada (inget svar inom 0,2 sekunder). {NOT_SAVED}"
    assert stored(indicator) == {2020: 64}


def test_a_server_error_saves_nothing(kolada, indicator):
    kolada.routes[DATA] = Route("error.json", status=500)

    message = kolada_error(indicators=[indicator])

    assert message == f"Kolada svarade med ett fel (HTTP 500). {NOT_SAVED}"
    assert stored(indicator) == {2020: 64}


@pytest.mark.parametrize("answer", ["not found", "no values and no such KPI"])
def test_an_unknown_kpi_is_named(kolada, indicator, answer):
    if answer != "not found":
        kolada.routes[DATA] = Route("empty.json")

    message = kolada_error(indicators=[indicator])

    assert message == f"Kolada känner inte till nyckeltalet N07402. {NOT_SAVED}"


def test_a_known_kpi_without_values_saves_nothing_and_is_no_error(kolada, indicator):
    kolada.routes[DATA] = Route("empty.json")
    kolada.routes[KPI] = Route("kpi.json")

    result = import_kolada([indicator])

    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert kolada.requests == [DATA, KPI]


def test_malformed_json_saves_nothing(kolada, indicator):
    kolada.routes[DATA] = Route("malformed.json")

    message = kolada_error(indicators=[indicator])

    assert message == (f"Kolada svarade med data som inte gick att läsa (inte JSON). {NOT_SAVED}")
    assert stored(indicator) == {2020: 64}


def test_a_next_page_outside_kolada_is_not_followed(kolada, indicator, monkeypatch):
    kolada.routes[DATA] = Route("paged_page1.json")
    # The recorded first page, its next page moved to another host.
    monkeypatch.setattr(kolada, "url", b"http://elsewhere.example/v3")

    message = kolada_error(indicators=[indicator])

    assert message == (
        "Kolada svarade med data som inte gick att läsa (en nästa sida utanför Kolada). "
        f"{NOT_SAVED}"
    )
    assert kolada.requests == [DATA]


def test_an_indicator_without_a_kpi_is_an_error(kolada, year):
    message = kolada_error(indicators=[year.indicator])

    assert message == f"Upplevd trygghet saknar Kolada-nyckeltal. {NOT_SAVED}"
    assert kolada.requests == []


# The command


def test_command_prints_the_summary(kolada, indicator):
    kolada.routes[DATA] = Route("normal.json")
    out = StringIO()

    call_command("import_kolada", "--indicator", str(indicator.pk), stdout=out)

    assert out.getvalue() == "Kolada: 2 nya värden, 0 ändrade, 1 oförändrat.\n"


def test_command_without_indicators_imports_all_with_a_kpi(kolada, indicator):
    kolada.routes["/v3/data/kpi/N07402/municipality/0126/year/2020,2021,2022?per_page=5000"] = (
        Route("normal.json")
    )
    out = StringIO()

    call_command("import_kolada", "--since", "2020", stdout=out)

    assert out.getvalue() == "Kolada: 1 nytt värde, 0 ändrade, 1 oförändrat.\n"


def test_command_error_is_a_command_error_and_saves_nothing(kolada, indicator):
    kolada.routes[DATA] = Route("out_of_range.json")

    with pytest.raises(CommandError) as raised:
        call_command("import_kolada", stdout=StringIO())

    assert str(raised.value).startswith("Kolada-värdet 104,20 för Upplevd trygghet 2021")
    assert stored(indicator) == {2020: 64}


def test_command_refuses_an_indicator_without_a_kpi(kolada, year):
    with pytest.raises(CommandError) as raised:
        call_command("import_kolada", "--indicator", str(year.indicator.pk), stdout=StringIO())

    assert str(raised.value) == f"Upplevd trygghet saknar Kolada-nyckeltal. {NOT_SAVED}"


def test_command_refuses_an_unknown_indicator_and_a_year_out_of_range(kolada, indicator):
    with pytest.raises(CommandError) as raised:
        call_command("import_kolada", "--indicator", "999999", stdout=StringIO())
    assert str(raised.value) == "Det finns inget nyckeltal med id 999999."

    with pytest.raises(CommandError) as raised:
        call_command("import_kolada", "--since", "1850", stdout=StringIO())
    assert str(raised.value) == "--since tar ett år från 1990 till 2100."
    assert kolada.requests == []


# The admin action


def run_action(client, indicator):
    return client.post(
        reverse("admin:programmes_indicator_changelist"),
        {"action": "fetch_from_kolada", "_selected_action": [str(indicator.pk)]},
    )


def shown_messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def test_admin_action_imports_the_selected_indicators(client, kolada, indicator, user_in_group):
    user = user_in_group(ADMINISTRATOR, is_staff=True)
    client.force_login(user)
    kolada.routes[DATA] = Route("normal.json")

    changelist = client.get(reverse("admin:programmes_indicator_changelist"))
    assert 'value="fetch_from_kolada"' in changelist.content.decode()

    response = run_action(client, indicator)

    assert response.status_code == 302
    assert shown_messages(response) == [
        ("success", "Kolada: 2 nya värden, 0 ändrade, 1 oförändrat.")
    ]
    assert stored(indicator) == {2019: Decimal("61.50"), 2020: 64, 2021: Decimal("58.30")}
    assert indicator.values.get(year=2019).history.get().history_user == user


def test_admin_action_warns_of_skipped_years(client, kolada, indicator, year, user_in_group):
    approve_without_archive(year.followup)
    client.force_login(user_in_group(ADMINISTRATOR, is_staff=True))
    kolada.routes[DATA] = Route("normal.json")

    response = run_action(client, indicator)

    assert shown_messages(response) == [
        (
            "warning",
            "Kolada: 1 nytt värde, 0 ändrade, 1 oförändrat. "
            "Hoppade över: N07402 2021 (året är godkänt).",
        )
    ]


def test_admin_action_shows_kolada_errors(client, kolada, indicator, user_in_group):
    client.force_login(user_in_group(ADMINISTRATOR, is_staff=True))
    kolada.routes[DATA] = Route("error.json", status=500)

    response = run_action(client, indicator)

    assert shown_messages(response) == [
        ("error", f"Kolada svarade med ett fel (HTTP 500). {NOT_SAVED}")
    ]
    assert stored(indicator) == {2020: 64}


def test_user_who_may_not_change_values_cannot_run_the_action(
    client, kolada, indicator, user_in_group
):
    client.force_login(user_in_group(SECRETARY, is_staff=True))
    kolada.routes[DATA] = Route("normal.json")
    changelist = client.get(reverse("admin:programmes_indicator_changelist"))
    assert changelist.status_code == 200
    assert 'value="fetch_from_kolada"' not in changelist.content.decode()

    run_action(client, indicator)

    assert kolada.requests == []
    assert stored(indicator) == {2020: 64}
