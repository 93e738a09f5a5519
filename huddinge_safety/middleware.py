"""Middleware of the installation itself rather than of a domain."""

import codecs
import re
from collections.abc import Callable
from io import BytesIO
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParser
from django.shortcuts import render

FORM_METHODS = {"POST", "PUT", "PATCH"}
URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
# A percent-escape of a byte outside ASCII: only such an escape (or a raw
# byte outside ASCII) can carry something that is not UTF-8.
HIGH_ESCAPE = re.compile(rb"%[89a-fA-F][0-9a-fA-F]")

# An encoding name for Django's multipart parser: UTF-8 that raises on bytes
# that are not UTF-8, whatever error handling the caller asks for. Django
# decodes every field with errors="replace", which no setting changes.
STRICT_UTF8 = "utf_8_strict_forms"


def _strict_utf8(name: str) -> codecs.CodecInfo | None:
    if name != STRICT_UTF8:
        return None
    utf8 = codecs.lookup("utf-8")

    def decode(data, errors="strict"):
        return utf8.decode(data, "strict")

    return codecs.CodecInfo(utf8.encode, decode, name=STRICT_UTF8)


codecs.register(_strict_utf8)


def _urlencoded_is_utf8(body: bytes) -> bool:
    """Every name and value of a urlencoded body, percent-decoded, is UTF-8.

    Django decodes a body that is not UTF-8 as Latin-1, and percent-escapes
    that are not UTF-8 into U+FFFD: both alter what was typed. The body is
    read once already (Django keeps it for the form); most bodies need only
    the first check, one with letters outside ASCII a second parse."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if not HIGH_ESCAPE.search(body):
        return True
    try:
        parse_qsl(
            text,
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        )
    except UnicodeDecodeError:
        return False
    except ValueError:
        pass  # too many fields: Django refuses the request itself
    return True


def _multipart_is_utf8(request: HttpRequest) -> bool:
    """Every field value of a multipart body is UTF-8.

    Django's own parser reads the form, streaming as always, with the strict
    encoding (``request.encoding`` is the documented way to set it), so
    nothing is read twice. Field and file names sit in the parts' headers,
    which Django decodes strictly itself: a part whose headers are not UTF-8
    it drops, so no name ever arrives altered. File contents are never
    decoded."""
    request.encoding = STRICT_UTF8
    try:
        if request.method == "POST":
            request.POST  # noqa: B018  (parses the form the view will read)
        else:
            # Django parses no PUT or PATCH body, and no view of ours takes
            # one: parse the body's copy, dropping file data (no handler).
            MultiPartParser(request.META, BytesIO(request.body), [], STRICT_UTF8).parse()
        request.GET  # noqa: B018  (decoded with the request's encoding too)
    except UnicodeDecodeError:
        return False
    return True


class RefuseInvalidUtf8Middleware:
    """Answers 400, with a page saying so in Swedish, to a form whose names
    or values are not valid UTF-8, before any view sees it: nothing is
    saved, and nothing typed is silently changed into replacement
    characters (U+FFFD) or Latin-1. A real U+FFFD, sent as valid UTF-8
    (EF BF BD), is text like any other.

    It must come before anything that reads ``request.POST`` (the CSRF
    check does so in its view step, after every middleware's request step).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in FORM_METHODS and not self.is_utf8(request):
            return render(request, "400_encoding.html", status=400)
        return self.get_response(request)

    def is_utf8(self, request: HttpRequest) -> bool:
        if request.content_type == URLENCODED:
            return _urlencoded_is_utf8(request.body)
        if request.content_type == MULTIPART:
            return _multipart_is_utf8(request)
        return True
