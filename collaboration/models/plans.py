"""The chain the law asks for (Lag 2023:196): a situation picture of crime
and insecurity (§ 4: mapping, extent, consequences, analysis), an action
plan decided on it, and the plan's measures, each addressing problems of the
picture and carried out by the programme's activities."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from followups.models import Activity
from programmes.models import (
    ANALYSIS_TEXT,
    MEDIUM_TEXT,
    SHORT_TEXT,
    YEAR_VALIDATORS,
    BoundedTextField,
    District,
    OrganisationalUnit,
    Partner,
)

from .agreements import LAST_BEFORE_FIRST, check_period

PERIOD_ENDS_BEFORE = _("The period cannot end before it begins.")


class SituationPicture(models.Model):
    """A lägesbild: the mapping of crime and insecurity and its analysis."""

    title = models.CharField(_("title"), max_length=300)
    made_on = models.DateField(_("date"))
    first_year = models.PositiveSmallIntegerField(
        _("period covered, from"), validators=YEAR_VALIDATORS
    )
    last_year = models.PositiveSmallIntegerField(
        _("period covered, to"), validators=YEAR_VALIDATORS
    )
    municipality_made = models.BooleanField(_("made by the municipality"), default=True)
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="situation_pictures", verbose_name=_("made with")
    )
    analysis = BoundedTextField(_("analysis"), blank=True, max_length=ANALYSIS_TEXT)
    is_example = models.BooleanField(_("example data"), default=False)

    history = HistoricalRecords(m2m_fields=[partners])

    class Meta:
        verbose_name = _("situation picture")
        verbose_name_plural = _("situation pictures")
        ordering = ["-made_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")),
                name="collaboration_situation_period",
                violation_error_message=PERIOD_ENDS_BEFORE,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        check_period(self.first_year, self.last_year, PERIOD_ENDS_BEFORE)


class Problem(models.Model):
    """One problem of a situation picture, e.g. Otrygghet i offentlig miljö."""

    picture = models.ForeignKey(
        SituationPicture,
        on_delete=models.CASCADE,
        related_name="problems",
        verbose_name=_("situation picture"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("problem"), max_length=200)
    mapping = BoundedTextField(
        _("mapping"), blank=True, max_length=MEDIUM_TEXT, help_text=_("What the mapping shows.")
    )
    extent = BoundedTextField(_("extent"), blank=True, max_length=SHORT_TEXT)
    consequences = BoundedTextField(_("consequences"), blank=True, max_length=SHORT_TEXT)
    districts = models.ManyToManyField(
        District, blank=True, related_name="problems", verbose_name=_("districts")
    )
    sources = BoundedTextField(_("sources"), blank=True, max_length=SHORT_TEXT)

    history = HistoricalRecords(m2m_fields=[districts])

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["picture_id", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["picture", "name"],
                name="collaboration_problem_unique_name",
                violation_error_message=_("The situation picture already names this problem."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ActionPlan(models.Model):
    """An åtgärdsplan, decided by a body on the basis of one situation picture."""

    title = models.CharField(_("title"), max_length=300)
    picture = models.ForeignKey(
        SituationPicture,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("based on the situation picture"),
    )
    first_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR_VALIDATORS)
    last_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR_VALIDATORS)
    decided_by = models.CharField(
        _("decided by"), max_length=100, blank=True, help_text=_("E.g. Kommunfullmäktige.")
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=50, blank=True)
    is_example = models.BooleanField(_("example data"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-first_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")),
                name="collaboration_plan_period",
                violation_error_message=LAST_BEFORE_FIRST,
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | ~Q(decided_by=""),
                name="collaboration_plan_decided_by_body",
                violation_error_message=_("A decided plan names the body that decided it."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.first_year}–{self.last_year}"

    def clean(self) -> None:
        super().clean()
        check_period(self.first_year, self.last_year)
        if self.decided_on and not self.decided_by:
            raise ValidationError(
                {"decided_by": _("A decided plan names the body that decided it.")}
            )

    @property
    def is_decided(self) -> bool:
        return self.decided_on is not None

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


class Measure(models.Model):
    """An åtgärd of the plan: the problems it addresses, who is responsible
    and the activities that carry it out."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="measures", verbose_name=_("action plan")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("measure"), max_length=300)
    description = BoundedTextField(_("description"), blank=True, max_length=MEDIUM_TEXT)
    problems = models.ManyToManyField(
        Problem, related_name="measures", verbose_name=_("problems addressed")
    )
    responsible_unit = models.ForeignKey(
        OrganisationalUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("responsible unit"),
    )
    activities = models.ManyToManyField(
        Activity, blank=True, related_name="measures", verbose_name=_("activities carrying it out")
    )

    history = HistoricalRecords(m2m_fields=[problems, activities])

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["plan_id", "order", "title"]

    def __str__(self) -> str:
        return self.title
