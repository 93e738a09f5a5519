"""The measuring of ``bench/pages.py``: a page's GETs timed through
Django's test client after warm-ups, with its queries counted."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

WARMUPS = 2
RUNS = 30


@dataclass
class Measurement:
    page: str
    size: int
    url: str
    rows: int | None
    median_ms: float
    p95_ms: float
    queries: int
    size_bytes: int


class PageError(RuntimeError):
    """A page answered something else than 200."""


@dataclass
class Page:
    name: str
    url: str
    rows: int | None  # activity rows the page shows, for the list pages


def get(client: Client, url: str) -> int:
    """Requests the page; returns the response's size in bytes."""
    response = client.get(url)
    if response.status_code != 200:
        raise PageError(f"GET {url} answered {response.status_code}, not 200.")
    return len(response.content)


def measure(client: Client, size: int, todo: list[Page]) -> list[Measurement]:
    """Warms up and counts the queries of every page, then times them in
    rounds (each round requests every page once), so that a burst of load
    from elsewhere on the machine does not fall on one page only."""
    queries: dict[str, int] = {}
    size_bytes: dict[str, int] = {}
    for page in todo:
        for _ in range(WARMUPS):
            get(client, page.url)
        with CaptureQueriesContext(connection) as captured:
            size_bytes[page.name] = get(client, page.url)
        # Read now: the next request's request_started signal empties the log.
        queries[page.name] = len(captured.captured_queries)
    times: dict[str, list[float]] = {page.name: [] for page in todo}
    for _ in range(RUNS):
        for page in todo:
            start = time.perf_counter()
            get(client, page.url)
            times[page.name].append((time.perf_counter() - start) * 1000)
    return [
        Measurement(
            page=page.name,
            size=size,
            url=page.url,
            rows=page.rows,
            median_ms=statistics.median(times[page.name]),
            p95_ms=statistics.quantiles(times[page.name], n=20, method="inclusive")[18],
            queries=queries[page.name],
            size_bytes=size_bytes[page.name],
        )
        for page in todo
    ]
