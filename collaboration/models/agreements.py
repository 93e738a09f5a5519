"""Agreements between the municipality, the police and the fire service:
their priority areas and focus districts, the yearly citizen promises
(medborgarlöften) and the steering group's follow-up per tertial."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from followups.models import Activity, FollowUp
from programmes.models import (
    COMMENT_TEXT,
    LONG_TEXT,
    MEDIUM_TEXT,
    SHORT_TEXT,
    YEAR_VALIDATORS,
    BoundedTextField,
    District,
    Partner,
    Versioned,
)

FROZEN_MESSAGE = _(
    "The annual follow-up of %(year)s is approved; the year's tertials can no longer be changed."
)


LAST_BEFORE_FIRST = _("The last year cannot be before the first year.")


def check_period(first: int | None, last: int | None, message=LAST_BEFORE_FIRST) -> None:
    """Refuses a period that ends before it begins (on ``last_year``)."""
    if first and last and last < first:
        raise ValidationError({"last_year": message})


def tertial_frozen(year: int | None) -> bool:
    """Whether the year's annual follow-up is approved, which freezes its
    tertials like the rest of the year (one query)."""
    return (
        year is not None
        and FollowUp.objects.filter(year=year, status=FollowUp.Status.APPROVED).exists()
    )


class Agreement(models.Model):
    """A samverkansöverenskommelse or avsiktsförklaring."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Collaboration agreement")
        INTENT = "intent", _("Declaration of intent")

    class Status(models.TextChoices):
        DRAFT = "draft", _("In preparation")
        IN_FORCE = "in_force", _("In force")
        ENDED = "ended", _("Ended")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.AGREEMENT)
    title = models.CharField(_("title"), max_length=300)
    municipality = models.CharField(_("municipality"), max_length=100, default="Huddinge kommun")
    partners = models.ManyToManyField(
        Partner, related_name="agreements", verbose_name=_("parties besides the municipality")
    )
    first_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR_VALIDATORS)
    last_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR_VALIDATORS)
    registration_number = models.CharField(
        _("registration number"), max_length=50, blank=True, help_text=_("E.g. KS-2018/91.103.")
    )
    decided_by = models.CharField(_("decided by"), max_length=100, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    districts = models.ManyToManyField(
        District, blank=True, related_name="agreements", verbose_name=_("focus districts")
    )
    governance = BoundedTextField(
        _("governance"),
        blank=True,
        max_length=MEDIUM_TEXT,
        help_text=_("How the work is led and followed up: the steering group, the OSG."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.IN_FORCE
    )
    is_example = models.BooleanField(
        _("example data"), default=False, help_text=_("Ticked for invented demo data.")
    )

    history = HistoricalRecords(m2m_fields=[partners, districts])

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-first_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")),
                name="collaboration_agreement_period",
                violation_error_message=LAST_BEFORE_FIRST,
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["agreement", "intent"]),
                name="collaboration_agreement_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_force", "ended"]),
                name="collaboration_agreement_status_valid",
            ),
            models.UniqueConstraint(
                fields=["title", "first_year"],
                name="collaboration_agreement_unique_title",
                violation_error_message=_("An agreement with this title and first year exists."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.first_year}–{self.last_year}"

    def clean(self) -> None:
        super().clean()
        check_period(self.first_year, self.last_year)

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year

    def check_year(self, year: int | None) -> None:
        """Refuses a year (of a promise or a tertial) outside the period."""
        if year and not self.covers(year):
            raise ValidationError(
                {
                    "year": _("The year must lie within the agreement's period %(first)s–%(last)s.")
                    % {"first": self.first_year, "last": self.last_year}
                }
            )


class PriorityArea(models.Model):
    """One of an agreement's priority areas, in the agreement's order, and
    the programme's activities that work on it."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="priority_areas"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = BoundedTextField(_("description"), blank=True, max_length=SHORT_TEXT)
    activities = models.ManyToManyField(
        Activity,
        blank=True,
        related_name="priority_areas",
        verbose_name=_("activities in the priority area"),
    )

    history = HistoricalRecords(m2m_fields=[activities])

    class Meta:
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")
        ordering = ["agreement_id", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "name"],
                name="collaboration_priorityarea_unique_name",
                violation_error_message=_(
                    "The agreement already has a priority area of this name."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CitizenPromise(models.Model):
    """A medborgarlöfte: what the parties promise the citizens for a year."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="promises", verbose_name=_("agreement")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    priority_area = models.ForeignKey(
        PriorityArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="promises",
        verbose_name=_("priority area"),
    )
    category = models.CharField(
        _("category"), max_length=100, help_text=_("E.g. Trygghet i offentlig miljö.")
    )
    text = BoundedTextField(_("promise"), max_length=SHORT_TEXT)
    municipality_commits = models.BooleanField(_("the municipality commits"), default=True)
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="promises", verbose_name=_("partners who commit")
    )
    activities = models.ManyToManyField(
        Activity,
        blank=True,
        related_name="citizen_promises",
        verbose_name=_("activities that carry it out"),
    )
    is_example = models.BooleanField(_("example data"), default=False)

    history = HistoricalRecords(m2m_fields=[partners, activities])

    class Meta:
        verbose_name = _("citizen promise")
        verbose_name_plural = _("citizen promises")
        ordering = ["agreement_id", "year", "category", "pk"]

    def __str__(self) -> str:
        return f"{self.year}: {self.category}"

    def clean(self) -> None:
        super().clean()
        agreement = self.agreement if self.agreement_id else None
        if agreement is not None:
            agreement.check_year(self.year)
        if (
            agreement is not None
            and self.priority_area_id
            and self.priority_area.agreement_id != agreement.pk
        ):
            raise ValidationError(
                {"priority_area": _("The priority area must be one of the agreement's.")}
            )


class TertialFollowUp(Versioned):
    """The steering group's follow-up of an agreement for one tertial."""

    class Tertial(models.IntegerChoices):
        T1 = 1, _("T1 January–April")
        T2 = 2, _("T2 May–August")
        T3 = 3, _("T3 September–December")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="tertials", verbose_name=_("agreement")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    tertial = models.PositiveSmallIntegerField(
        _("tertial"),
        choices=Tertial.choices,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    summary = BoundedTextField(_("summary"), blank=True, max_length=LONG_TEXT)
    ready = models.BooleanField(
        _("ready for the steering group"),
        default=False,
        help_text=_("Once ready, readers can read its report and it no longer says DRAFT."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tertial follow-up")
        verbose_name_plural = _("tertial follow-ups")
        ordering = ["agreement_id", "-year", "-tertial"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year", "tertial"],
                name="collaboration_tertial_unique",
                violation_error_message=_("The agreement already has this tertial's follow-up."),
            ),
            models.CheckConstraint(
                condition=Q(tertial__gte=1, tertial__lte=3), name="collaboration_tertial_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.title} {self.year} T{self.tertial}"

    def clean(self) -> None:
        super().clean()
        agreement = self.agreement if self.agreement_id else None
        if agreement is not None:
            agreement.check_year(self.year)

    @property
    def label(self) -> str:
        return f"T{self.tertial} {self.year}"


class PriorityAreaStatus(Versioned):
    """What was done in a priority area in the tertial."""

    tertial = models.ForeignKey(
        TertialFollowUp, on_delete=models.CASCADE, related_name="area_statuses"
    )
    priority_area = models.ForeignKey(
        PriorityArea, on_delete=models.CASCADE, related_name="statuses"
    )
    text = BoundedTextField(_("status"), blank=True, max_length=MEDIUM_TEXT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status of a priority area")
        verbose_name_plural = _("statuses of priority areas")
        constraints = [
            models.UniqueConstraint(
                fields=["tertial", "priority_area"], name="collaboration_areastatus_unique"
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if (
            self.tertial_id
            and self.priority_area_id
            and self.priority_area.agreement_id != self.tertial.agreement_id
        ):
            raise ValidationError(_("The priority area must be one of the agreement's."))


class PromiseRating(Versioned):
    """How far a promise has come in the tertial, on a short scale."""

    class Rating(models.TextChoices):
        DONE = "done", _("Done")
        ON_TRACK = "on_track", _("Under way as planned")
        DELAYED = "delayed", _("Delayed")
        NOT_STARTED = "not_started", _("Not started")

    tertial = models.ForeignKey(TertialFollowUp, on_delete=models.CASCADE, related_name="ratings")
    promise = models.ForeignKey(CitizenPromise, on_delete=models.CASCADE, related_name="ratings")
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)
    comment = BoundedTextField(_("comment"), blank=True, max_length=COMMENT_TEXT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rating of a promise")
        verbose_name_plural = _("ratings of promises")
        constraints = [
            models.UniqueConstraint(
                fields=["tertial", "promise"], name="collaboration_promiserating_unique"
            ),
            models.CheckConstraint(
                condition=Q(rating__in=["", "done", "on_track", "delayed", "not_started"]),
                name="collaboration_promiserating_valid",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if (
            self.tertial_id
            and self.promise_id
            and (
                self.promise.agreement_id != self.tertial.agreement_id
                or self.promise.year != self.tertial.year
            )
        ):
            raise ValidationError(_("The promise must be one of the agreement's for the year."))
