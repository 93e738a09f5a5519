"""The building blocks of the domain's models: year and text bounds, the
bounded text field, and rows with a version for optimistic locking."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

# Years outside this range are typing mistakes, not plans.
YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]

# Upper bounds of the free texts, in characters. A page of the printed
# report holds about 3,000, so the longest text, a summary, fills about seven
# pages: room for any real text, none for a pasted document or a script
# that fills the report with megabytes. docs/decisions.md lists every field.
COMMENT_TEXT = 1_000  # a note beside a figure
SHORT_TEXT = 2_000  # a goal in a sentence or two; a comment on a step of the cycle
MEDIUM_TEXT = 5_000  # a description or an activity's result: under two pages
ANALYSIS_TEXT = 10_000  # one goal's analysis
LONG_TEXT = 20_000  # a summary, a guideline's follow-up, the programme's description


class TextLengthValidator(MaxLengthValidator):
    """Refuses a text longer than its bound, saying both numbers in words
    people read ("högst 20 000 tecken").

    A line break counts as one character, as the browser counts it for a
    textarea's ``maxlength``: the browser sends it as CR LF, so counting
    characters as sent would refuse a text the browser let the user type.
    """

    message = _("The text may be at most %(limit)s characters long (it has %(length)s).")

    def clean(self, x: str) -> int:
        return len(x) - x.count("\r\n")

    def __call__(self, value: str) -> None:
        length = self.clean(value)
        if length > self.limit_value:
            raise ValidationError(
                self.message,
                code=self.code,
                params={
                    "limit": number_format(self.limit_value, force_grouping=True),
                    "length": number_format(length, force_grouping=True),
                    "limit_value": self.limit_value,
                    "show_value": length,
                    "value": value,
                },
            )


class BoundedTextField(models.TextField):
    """A text column with an upper bound (``max_length``, required) that
    model validation checks (``full_clean``) and that model forms get: a
    field refusing longer text with the message above, and a textarea with
    ``maxlength``.

    The bound is no database constraint: a row stored before the bound
    existed keeps its text, and only a new save of it has to fit.
    """

    def __init__(self, *args, max_length: int, **kwargs) -> None:
        super().__init__(*args, max_length=max_length, **kwargs)

    @cached_property
    def validators(self) -> list:
        # As CharField does: the bound's validator follows max_length and
        # stays out of the field's deconstruction (and so its migrations).
        return [*super().validators, TextLengthValidator(self.max_length)]

    def formfield(self, **kwargs):
        from .forms import BoundedCharField  # programmes.forms imports this module

        return super().formfield(**{"form_class": BoundedCharField, **kwargs})


def locked_in_transaction(queryset, **options):
    """The queryset with its rows locked (``SELECT … FOR UPDATE``) when it
    runs inside a transaction, so a check made with it holds until the
    transaction's write commits; outside one there is nothing to hold a
    lock for, and PostgreSQL would refuse it."""
    if transaction.get_connection(queryset.db).in_atomic_block:
        return queryset.select_for_update(**options)
    return queryset


class Versioned(models.Model):
    """A row that several people may edit in the browser at once.

    Its version number lets a save notice that someone else saved in between
    (optimistic locking), so the later save is refused instead of silently
    overwriting the earlier one.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save_if_unchanged(self, expected_version: int) -> bool:
        """Saves the row unless it changed since ``expected_version`` was read.

        ``expected_version`` 0 means the editor saw no row yet. Runs two
        queries; call it inside ``transaction.atomic`` so the version bump and
        the save commit together. Returns False, having saved nothing, on a
        conflict (including a row someone else created meanwhile).
        """
        if self.pk is None:
            if expected_version != 0:
                return False
            self.version = 1
            try:
                with transaction.atomic():
                    self.save()
            except IntegrityError:
                # Someone created the same row (e.g. the same goal's assessment) first.
                self.pk = None
                return False
            return True
        if not self._bump_version(expected_version):
            return False
        self.save()
        return True

    def delete_if_unchanged(self, expected_version: int) -> bool:
        """Deletes the row unless it changed since ``expected_version`` was
        read. The version bump locks the row until the transaction ends, so
        nobody saves it between the check and the delete; call it inside
        ``transaction.atomic``. Returns False, having deleted nothing, when
        the row is newer or already gone."""
        if not self._bump_version(expected_version):
            return False
        self.delete()
        return True

    def _bump_version(self, expected_version: int) -> bool:
        """Moves the stored row from ``expected_version`` to the next one (a
        conditional UPDATE that locks the row until the transaction ends);
        False when the stored row is at another version or gone."""
        bumped = (
            type(self)
            ._base_manager.filter(pk=self.pk, version=expected_version)
            .update(version=expected_version + 1)
        )
        if bumped:
            self.version = expected_version + 1
        return bool(bumped)
