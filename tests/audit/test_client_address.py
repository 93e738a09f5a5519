"""Which address a request is taken to come from: the lockout by address
and the audit log depend on it, so a client must not be able to choose it."""

from django.test import RequestFactory

from audit.client import client_ip


def request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/login/", **extra)


def test_without_proxies_a_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request("203.0.113.7", forwarded="198.51.100.1")) == "203.0.113.7"


def test_behind_one_proxy_the_address_it_appended_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    # The client wrote 198.51.100.1 itself; the proxy appended 203.0.113.7.
    address = client_ip(request("10.0.0.2", forwarded="198.51.100.1, 203.0.113.7"))

    assert address == "203.0.113.7"


def test_behind_two_proxies_the_outer_ones_entry_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    address = client_ip(request("10.0.0.3", forwarded="198.51.100.1, 203.0.113.7, 10.0.0.2"))

    assert address == "203.0.113.7"


def test_too_short_a_forwarded_header_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip(request("10.0.0.3", forwarded="203.0.113.7")) == "10.0.0.3"
