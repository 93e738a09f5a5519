"""The plan: a programme for a period of years, its responsibility areas and
goals, the indicators that measure it, the guidelines followed up with it,
and the reference lists (units, partners, districts) activities point to."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

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


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200)
    municipality = models.CharField(_("municipality"), max_length=100, default="Huddinge kommun")
    first_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR_VALIDATORS)
    last_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR_VALIDATORS)
    adopted_by = models.CharField(
        _("adopted by"), max_length=100, blank=True, help_text=_("For example Kommunfullmäktige.")
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    overall_goal = BoundedTextField(_("overall goal"), max_length=SHORT_TEXT)
    description = BoundedTextField(_("description"), blank=True, max_length=LONG_TEXT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-first_year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "first_year"], name="programmes_programme_unique_name_period"
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")),
                name="programmes_programme_last_year_not_before_first",
                violation_error_message=_("The last year cannot be before the first year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.first_year}–{self.last_year}"

    def clean(self) -> None:
        super().clean()
        if (
            self.first_year is not None
            and self.last_year is not None
            and self.last_year < self.first_year
        ):
            raise ValidationError(
                {"last_year": _("The last year cannot be before the first year.")}
            )

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


class ResponsibilityArea(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="areas", verbose_name=_("programme")
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=200)
    overarching_goal = BoundedTextField(
        _("overarching sub-goal"), blank=True, max_length=SHORT_TEXT
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsibility area")
        verbose_name_plural = _("responsibility areas")
        ordering = ["programme_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="programmes_area_unique_number",
                violation_error_message=_(
                    "The programme already has a responsibility area with this number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="programmes_area_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Goal(models.Model):
    area = models.ForeignKey(
        ResponsibilityArea,
        on_delete=models.CASCADE,
        related_name="goals",
        verbose_name=_("responsibility area"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent goal"),
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("For example 1.2."))
    title = models.CharField(_("title"), max_length=300)
    description = BoundedTextField(_("description"), blank=True, max_length=MEDIUM_TEXT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["area__programme_id", "area__number", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "code"],
                name="programmes_goal_unique_code",
                violation_error_message=_("The area already has a goal with this code."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="programmes_goal_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        """Keeps the goal tree inside one area and free of cycles.

        Runs one query per ancestor of the parent goal.
        """
        super().clean()
        if self.parent_id is None or self.area_id is None:
            return
        if self.parent.area_id != self.area_id:
            raise ValidationError(
                {"parent": _("The parent goal must belong to the same responsibility area.")}
            )
        ancestor = self.parent
        seen = set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("A goal cannot be placed under itself or one of its sub-goals.")}
                )
            seen.add(ancestor.pk)  # stops on a cycle already in the data
            ancestor = ancestor.parent


class Indicator(models.Model):
    class Unit(models.TextChoices):
        PERCENT = "percent", _("%")
        COUNT = "count", pgettext_lazy("indicator unit", "count")
        SEK = "sek", _("SEK")

    area = models.ForeignKey(
        ResponsibilityArea,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("responsibility area"),
    )
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    higher_is_better = models.BooleanField(
        _("higher is better"),
        default=True,
        help_text=_("Untick when a lower value is the better result, e.g. the number of cases."),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("For example SCB:s medborgarundersökning or a Kolada KPI id."),
    )
    target = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    description = BoundedTextField(_("description"), blank=True, max_length=MEDIUM_TEXT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["area__programme_id", "area__number", "order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__in=["percent", "count", "sek"]),
                name="programmes_indicator_unit_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if (
            self.unit == self.Unit.PERCENT
            and self.target is not None
            and not Decimal(0) <= self.target <= Decimal(100)
        ):
            raise ValidationError({"target": _("A percentage must be between 0 and 100.")})


class IndicatorValue(Versioned):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    is_example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("Ticked for invented values in demo data; the report marks them."),
    )
    comment = BoundedTextField(_("comment"), blank=True, max_length=COMMENT_TEXT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator_id", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="programmes_indicatorvalue_unique_year",
                violation_error_message=_("The indicator already has a value for this year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"

    def clean(self) -> None:
        """A percentage lies between 0 and 100 (reads the indicator's unit)."""
        super().clean()
        if self.indicator_id is None or self.value is None:
            return
        if self.indicator.unit == Indicator.Unit.PERCENT and not (
            Decimal(0) <= self.value <= Decimal(100)
        ):
            raise ValidationError({"value": _("A percentage must be between 0 and 100.")})


class Guideline(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="guidelines", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=300)
    description = BoundedTextField(_("description"), blank=True, max_length=MEDIUM_TEXT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("guideline")
        verbose_name_plural = _("guidelines")
        ordering = ["programme_id", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="programmes_guideline_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReferenceItem(models.Model):
    """A named entry in a reference list; retired entries stay for old years."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive entries are no longer offered.")
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationalUnit(ReferenceItem):
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")


class Partner(ReferenceItem):
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name = _("partner")
        verbose_name_plural = _("partners")


class District(ReferenceItem):
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")
