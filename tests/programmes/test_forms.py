"""The shared form fields: texts bounded as the browser counts them,
refused in Swedish."""

import pytest
from django.core.exceptions import ValidationError

from programmes.forms import BoundedCharField

pytestmark = pytest.mark.django_db


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
