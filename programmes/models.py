"""The plan: a programme for a period of years, its responsibility areas and
goals, the indicators that measure it, the guidelines followed up with it,
and the reference lists (units, partners, districts) activities point to."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

# The models' building blocks live in .fields; code imports them from here.
from .fields import (  # noqa: F401
    ANALYSIS_TEXT,
    COMMENT_TEXT,
    LONG_TEXT,
    MEDIUM_TEXT,
    SHORT_TEXT,
    YEAR_VALIDATORS,
    BoundedTextField,
    TextLengthValidator,
    Versioned,
    locked_in_transaction,
)


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
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("continues programme"),
        help_text=_("The programme of the period before, this one was made from."),
    )

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
        predecessor = self.predecessor if self.predecessor_id else None
        if predecessor is not None and (
            predecessor.pk == self.pk
            or (self.first_year is not None and predecessor.last_year >= self.first_year)
        ):
            raise ValidationError(
                {"predecessor": _("The programme before must end before this one begins.")}
            )

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year

    @property
    def is_adopted(self) -> bool:
        """Adopted once the adopting body and the date are entered; a period
        copied from the previous one is a draft programme until then."""
        return bool(self.adopted_by and self.adopted_on)

    def has_successor(self) -> bool:
        """Whether a later programme takes over: one made from this one, or
        one that starts the year after this one ends (one query)."""
        return Programme.objects.filter(
            Q(predecessor=self) | Q(first_year=self.last_year + 1)
        ).exists()

    def expired_without_successor(self, year: int) -> bool:
        """Whether the programme has ended before ``year`` with nothing to
        take over (the auditors' finding; a query only when it has ended)."""
        return self.last_year < year and not self.has_successor()


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


# Kolada's ids: a KPI is a capital letter and five digits (N07402), a
# municipality four digits (Huddinge 0126). ASCII digits only, and nothing
# after them: ``\d`` would take any script's digits and ``$`` a line break.
KOLADA_KPI_VALIDATOR = RegexValidator(
    r"\A[A-Z][0-9]{5}\Z",
    message=_("A Kolada KPI id is a capital letter and five digits, e.g. N07402."),
)
KOLADA_MUNICIPALITY_VALIDATOR = RegexValidator(
    r"\A[0-9]{4}\Z",
    message=_("A municipality's Kolada id is four digits, e.g. 0126 for Huddinge."),
)


class Indicator(models.Model):
    class Unit(models.TextChoices):
        PERCENT = "percent", _("%")
        COUNT = "count", pgettext_lazy("indicator unit", "count")
        SEK = "sek", _("SEK")

    class KoladaGender(models.TextChoices):
        """Kolada's values per KPI and year: the total, women's, men's."""

        TOTAL = "T", _("total")
        WOMEN = "K", _("women")
        MEN = "M", _("men")

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
    counted = models.CharField(
        _("what is counted"),
        max_length=50,
        blank=True,
        help_text=_(
            "For a count: what is counted, in the plural, e.g. ärenden. Changes are then "
            "said as “minskning med 59 ärenden”."
        ),
    )
    description = BoundedTextField(_("description"), blank=True, max_length=MEDIUM_TEXT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    continues = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="continuations",
        verbose_name=_("continues indicator"),
        help_text=_(
            "The same key figure in the programme before: its values continue this "
            "indicator's series."
        ),
    )
    kolada_kpi = models.CharField(
        _("Kolada KPI"),
        max_length=20,
        blank=True,
        validators=[KOLADA_KPI_VALIDATOR],
        help_text=_(
            "The key figure's id in Kolada, e.g. N07402: its values can then be fetched "
            "from Kolada."
        ),
    )
    kolada_municipality = models.CharField(
        _("Kolada municipality id"),
        max_length=4,
        blank=True,
        default="",
        validators=[KOLADA_MUNICIPALITY_VALIDATOR],
        help_text=_("The municipality's id in Kolada (Huddinge: 0126)."),
    )
    kolada_gender = models.CharField(
        _("Kolada values for"),
        max_length=1,
        choices=KoladaGender.choices,
        default=KoladaGender.TOTAL,
        help_text=_("Which of Kolada's values to fetch: the total, or women's or men's."),
    )

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
            models.CheckConstraint(
                condition=Q(kolada_gender__in=["T", "K", "M"]),
                name="programmes_indicator_kolada_gender_valid",
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
        if self.continues_id is not None and (
            self.continues_id == self.pk
            or self.area_id is None
            or self.continues.area.programme_id == self.area.programme_id
        ):
            raise ValidationError(
                {"continues": _("An indicator continues one of an earlier programme.")}
            )
        if self.kolada_kpi and not self.kolada_municipality:
            raise ValidationError(
                {
                    "kolada_municipality": _(
                        "Enter the municipality's Kolada id when a Kolada KPI is named."
                    )
                }
            )


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
