"""Hostile input for any Django form, and what a refused form must look like.

The forms of a page are read from the page's own context (``forms_of``), so
the tests post exactly the fields a browser would, with the values a browser
would send (``browser_data``); a strategy per field type (``form_data``)
then replaces any of them with hostile input.
"""

import re
from html import unescape
from pathlib import Path

from django import forms
from django.apps import apps
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.forms.formsets import ManagementForm
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.translation import override
from hypothesis import strategies as st

from programmes.models import ANALYSIS_TEXT, COMMENT_TEXT, LONG_TEXT, MEDIUM_TEXT, SHORT_TEXT

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "{{ 7|add:7 }}{% debug %}",
    "%(value)s %s {0} %n",
    "' OR '1'='1'; DROP TABLE followups_activity; --",
    "\u202eevil\u202c",  # right-to-left override
    "Åäö Ωμέγα Кириллица 中文 العربية עברית 👩‍👩‍👧 \U0001d518",
    "\x00",
    "a\x00b",
    "\r\n\t\x0b\x0c\x1b[31m\x7f",
    "   ",
    "\u00a0\u2028\u2029\ufeff",
]
# Letters, digits and marks from anywhere; control and format characters.
CONTROL = st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), min_size=1)
# Every text's bound and one character more (programmes.models), and far
# beyond, of one payload repeated.
BOUNDS = (COMMENT_TEXT, SHORT_TEXT, MEDIUM_TEXT, ANALYSIS_TEXT, LONG_TEXT)
LENGTHS = [length for bound in BOUNDS for length in (bound, bound + 1)] + [40_000]
LONG = st.tuples(st.sampled_from([*PAYLOADS, "å", "x"]), st.sampled_from(LENGTHS)).map(
    lambda pair: (pair[0] * pair[1])[: pair[1]]
)
TEXT = st.one_of(
    st.just(""),
    st.sampled_from(PAYLOADS),
    st.text(),
    CONTROL,
    LONG,
    st.lists(st.sampled_from(PAYLOADS), min_size=2, max_size=4).map(" ".join),
)
NUMBER = st.one_of(
    st.sampled_from(
        [
            "",
            "-1",
            "0",
            "-0",
            "101",
            "100.001",
            "-0.01",
            "1000000000000",
            "99999999999999999999999999",
            "0.000000000000000000001",
            "1e309",
            "-1e309",
            "1E+50",
            "NaN",
            "sNaN",
            "Infinity",
            "-Infinity",
            "150 000",
            "74,5",
            "1,2,3",
            "1.2.3",
            "١٢٣",  # Arabic-Indic digits
            "１２３",  # full-width digits
            "0x10",
            "1_000",
            " 7 ",
            # What a cost (whole kronor) refuses or takes.
            "1E5",
            "+5",
            "--5",
            "5,5",
            "\u22125",  # minus sign
            "15 0000",
            "150\u00a0000",
            "150\u202f000",
            "150\u2009000",
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    TEXT,
)
DATE = st.one_of(
    st.sampled_from(
        [
            "",
            "0000-00-00",
            "2022-02-30",
            "2022-13-01",
            "-1-01-01",
            "0001-01-01",
            "9999-12-31",
            "10000-01-01",
            "2100-01-01",
            "7/3/2022",
            "3/7/2022",
            "7 mars 2022",
            "07 Mars 2022",
            "7 mar. 2022",
            "31 april 2022",
            "29 februari 2023",
            "7 mars",
            "7 marsch 2022",
            "٢٠٢٢-٠٣-٠٧",  # Arabic-Indic digits
            "2022-03-07T10:00:00",
            "1000000000000",
        ]
    ),
    st.dates().map(str),
    TEXT,
)
WRONG_KEYS = st.one_of(
    st.sampled_from(["", "0", "-1", "1.5", "abc", "None", "[]", "{}", "1; DROP", "\x00"]),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    TEXT,
)
URLS = st.one_of(
    st.sampled_from(
        [
            "",
            "/",
            "//evil.example/",
            "https://evil.example/",
            "http:///evil.example",
            "javascript:alert(1)",
            "/\\evil.example",
            "\\\\evil.example",
            "/admin/",
        ]
    ),
    TEXT,
)
MANAGEMENT = ["", "-1", "1.5", "abc", "\x00", "1e3", "١"]
# A field left out of the POST altogether.
ABSENT = object()


def _widget(field: forms.Field) -> forms.Widget:
    widget = field.widget
    return widget.widget if isinstance(widget, RelatedFieldWidgetWrapper) else widget


def _choice_values(field: forms.Field) -> list[str]:
    values = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # an optgroup
            values.extend(str(v) for v, _label in label)
        else:
            values.append(str(value))
    return [v for v in values if v != ""]


def hostile_strategy(field: forms.Field, management: bool = False) -> st.SearchStrategy:
    """Hostile input of the field's kind (and text of any kind), or nothing."""
    multiple = getattr(_widget(field), "allow_multiple_selected", False)
    if management:
        # A formset's counts: wrong, but not thousands of forms to render.
        hostile = st.one_of(st.sampled_from(MANAGEMENT), st.integers(-3, 5).map(str))
    elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        valid = _choice_values(field)
        one = st.one_of(*([st.sampled_from(valid)] if valid else []), WRONG_KEYS)
        hostile = st.lists(one, max_size=4) if multiple else one
    elif isinstance(field, forms.BooleanField):
        hostile = st.one_of(st.sampled_from(["on", "true", "false", "0", ""]), TEXT)
    elif isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        hostile = NUMBER
    elif isinstance(field, forms.DateField | forms.DateTimeField):
        hostile = DATE
    else:
        hostile = TEXT
    return st.one_of(hostile, st.just(ABSENT))


def forms_of(context) -> list:
    """The forms and formsets a rendered page shows, from its context."""
    if context is None:
        return []
    if context.get("adminform") is not None:
        found = [context["adminform"].form]
        found += [inline.formset for inline in context.get("inline_admin_formsets") or []]
        return found
    if context.get("forms") is not None:
        return list(context["forms"])
    if context.get("filter") is not None:
        return [context["filter"].form]
    if context.get("form") is not None:
        return [context["form"]]
    return []


def _all_forms(found: list) -> list[forms.BaseForm]:
    result = []
    for item in found:
        if isinstance(item, forms.BaseFormSet):
            result.append(item.management_form)
            result.extend(item.forms)
        else:
            result.append(item)
    return result


def _browser_value(bound: forms.BoundField):
    """What a browser submits for an unchanged field."""
    widget = _widget(bound.field)
    value = bound.value()
    if isinstance(widget, forms.CheckboxInput):
        return "on" if value else ABSENT
    if getattr(widget, "allow_multiple_selected", False):
        return [str(v) for v in value or []]
    if value is None:
        return ""
    formatted = widget.format_value(value)
    if isinstance(formatted, list):
        return formatted[0] if formatted else ""
    return "" if formatted is None else str(formatted)


def browser_data(found: list) -> dict:
    """The POST data of the page's forms as a browser would send them."""
    data = {}
    for form in _all_forms(found):
        for bound in form:
            data[bound.html_name] = _browser_value(bound)
    return {name: value for name, value in data.items() if value is not ABSENT}


def form_data(found: list, known: dict | None = None) -> st.SearchStrategy[dict]:
    """Hypothesis strategy: the page's POST data with a few of its fields
    (any of them, hidden ones such as versions and formset counts too)
    hostile or left out. ``known`` maps a field name to values that are
    valid for it, offered beside the page's own value."""
    known = known or {}
    base = browser_data(found)
    keep, hostile = {}, {}
    for form in _all_forms(found):
        for bound in form:
            name = bound.html_name
            values = [st.just(base.get(name, ABSENT))]
            if known.get(name):
                values.append(st.sampled_from(known[name]))
            keep[name] = st.one_of(*values)
            hostile[name] = hostile_strategy(
                bound.field, management=isinstance(form, ManagementForm)
            )
    names = sorted(keep)

    @st.composite
    def data(draw) -> dict:
        chosen = draw(st.sets(st.sampled_from(names), max_size=4))
        drawn = {name: draw(hostile[name] if name in chosen else keep[name]) for name in names}
        return {name: value for name, value in drawn.items() if value is not ABSENT}

    return data()


# What a refused form says


def _errors(found: list) -> list[ValidationError]:
    errors = []
    for item in found:
        if isinstance(item, forms.BaseFormSet):
            errors += item.non_form_errors().as_data()
            for form in [item.management_form, *item.forms]:
                errors += [e for field in form.errors.as_data().values() for e in field]
        else:
            errors += [e for field in item.errors.as_data().values() for e in field]
    return errors


def _text(error: ValidationError) -> str:
    return next(iter(error))


def _messages(found: list) -> list[str]:
    return [_text(error) for error in _errors(found)]


def error_messages(response) -> list[str]:
    """The error messages a page shows: its forms' errors and the error
    messages of the messages framework."""
    found = forms_of(response.context)
    with override("sv"):
        texts = _messages(found)
    stored = response.context.get("messages") if response.context else None
    texts += [str(m) for m in stored or [] if m.level_tag == "error"]
    # The admin's note above a refused form (errors of hidden inline fields,
    # such as a tampered id, are shown by this note only).
    texts += [
        unescape(note.strip())
        for note in re.findall(r'<p class="errornote">(.*?)</p>', response.content.decode(), re.S)
    ]
    return texts


def english_messages(response) -> set[str]:
    """The same forms' errors in English: the stored errors rendered in
    English (lazy translations follow the language), and the forms validated
    again in English (errors built at validation time)."""
    found = forms_of(response.context)
    with override("en"):
        # Only a lazy translation renders differently now; a text made at
        # validation time is whatever language it was made in.
        texts = {_text(e) for e in _errors(found) if isinstance(e.message, Promise)}
        for item in found:
            if isinstance(item, forms.BaseFormSet):
                for form in [item.management_form, *item.forms]:
                    form.full_clean()
                item.full_clean()
            else:
                item.full_clean()
        texts |= set(_messages(found))
        texts |= {ADMIN_NOTE[0], ADMIN_NOTE[1]}
    return texts


# The admin's error note in English (django/contrib/admin/templates/admin/change_form.html).
ADMIN_NOTE = ("Please correct the error below.", "Please correct the errors below.")


def _catalogue_msgids() -> set[str]:
    import gettext

    from django.conf import settings

    mo = Path(settings.BASE_DIR) / "locale/sv/LC_MESSAGES/django.mo"
    with mo.open("rb") as file:
        catalogue = gettext.GNUTranslations(file)
    return {key for key in catalogue._catalog if isinstance(key, str) and key}


ENGLISH_MSGIDS = None


def untranslated(messages: list[str], english: set[str]) -> list[str]:
    """The messages that are English: the same text as in English, or one
    of our catalogue's English originals. Text without letters (a bare
    number) is the same in every language."""
    global ENGLISH_MSGIDS
    if ENGLISH_MSGIDS is None:
        ENGLISH_MSGIDS = _catalogue_msgids()
    return [
        message
        for message in messages
        if re.search(r"[^\W\d_]", message) and (message in english or message in ENGLISH_MSGIDS)
    ]


def shown(messages: list[str], html: str) -> list[str]:
    return [message for message in messages if escape(message) in html]


# What a form could touch

STATE_APPS = ("programmes", "followups", "collaboration", "admin")


def database_state() -> dict:
    """Every row of the domain (plans, years, their history and links), the
    admin log and the user accounts: what any of the forms could change."""
    models = [
        model
        for label in STATE_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    models.append(apps.get_model("auth", "User"))
    models.append(apps.get_model("auth", "User").groups.through)
    return {
        model._meta.label: sorted(
            (tuple(sorted(row.items())) for row in model._base_manager.order_by().values()),
            key=repr,
        )
        for model in models
    }
