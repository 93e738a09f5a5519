"""What happened in a year: the follow-up of a programme and the goal
assessments, area summaries and guideline texts that make up the annual
report to the board (the activities are in ``activity``)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programmes.models import (
    ANALYSIS_TEXT,
    LONG_TEXT,
    YEAR_VALIDATORS,
    BoundedTextField,
    Goal,
    Guideline,
    Programme,
    ResponsibilityArea,
    Versioned,
)


class Scale(models.TextChoices):
    """The goal-fulfilment scale a year was assessed with.

    The municipality changed scale in 2021; a year keeps the scale it was
    assessed with so older reports stay truthful.
    """

    FROM_2021 = "2021", _("From 2021: very high degree – not met")
    UNTIL_2020 = "2020", _("Until 2020: very good – not acceptable")


class Rating(models.TextChoices):
    """Levels of both scales. An empty rating means "not yet assessed"."""

    VERY_HIGH = "very_high", _("Met to a very high degree")
    HIGH = "high", _("Met to a high degree")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")
    VERY_GOOD = "very_good", _("Very good")
    GOOD = "good", _("Good")
    ACCEPTABLE = "acceptable", _("Acceptable")
    NOT_ACCEPTABLE = "not_acceptable", _("Not acceptable")

    @classmethod
    def for_scale(cls, scale: str) -> list["Rating"]:
        """The levels of one scale, best first."""
        if scale == Scale.UNTIL_2020:
            return [cls.VERY_GOOD, cls.GOOD, cls.ACCEPTABLE, cls.NOT_ACCEPTABLE]
        return [cls.VERY_HIGH, cls.HIGH, cls.PARTLY, cls.NOT_MET]

    @classmethod
    def level(cls, rating: str) -> int:
        """1 (best) to 4 on either scale, 0 for "not yet assessed". The audit
        equates the scales level by level (godtagbar = delvis uppfylld)."""
        for scale in (Scale.FROM_2021, Scale.UNTIL_2020):
            levels = cls.for_scale(scale)
            if rating in levels:
                return levels.index(rating) + 1
        return 0


APPROVED_MESSAGE = _("The follow-up for this year is approved; nothing of it can be changed.")
SUBMITTED_MESSAGE = _(
    "The follow-up for this year has been submitted; nothing of it can be changed "
    "unless it is returned to draft."
)
STATUS_OUTSIDE_CYCLE_MESSAGE = _(
    "A follow-up's status changes only through the yearly cycle (submit, return, "
    "register the decision, reopen); nothing was changed."
)


class FollowUpQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """Refuses a bulk change of status, and any bulk change of a year
        that is not a draft (one query more): the cycle's services change
        them one by one under a lock."""
        if "status" in kwargs:
            raise ValidationError(STATUS_OUTSIDE_CYCLE_MESSAGE, code="status_outside_cycle")
        if self.exclude(status=FollowUp.Status.DRAFT).exists():
            raise ValidationError(SUBMITTED_MESSAGE, code="not_draft")
        return super().update(**kwargs)

    def delete(self):
        if self.exclude(status=FollowUp.Status.DRAFT).exists():
            raise ValidationError(SUBMITTED_MESSAGE, code="not_draft")
        return super().delete()


class FollowUp(Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="followups", verbose_name=_("programme")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    scale = models.CharField(
        _("goal-fulfilment scale"), max_length=4, choices=Scale.choices, default=Scale.FROM_2021
    )
    summary = BoundedTextField(_("summary"), blank=True, max_length=LONG_TEXT)

    # The board's decision, registered by a secretary.
    registration_number = models.CharField(
        _("registration number"),
        max_length=50,
        blank=True,
        help_text=_("The diarienummer, for example KS-2022/177.173."),
    )
    decided_by = models.CharField(
        _("decided by"), max_length=100, blank=True, default="Kommunstyrelsen"
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_paragraph = models.CharField(
        _("paragraph"), max_length=20, blank=True, help_text=_("For example § 11.")
    )

    # The report archived on approval.
    report_file = models.FileField(
        _("archived report"), upload_to="reports/%Y/", blank=True, max_length=255
    )
    report_sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    history = HistoricalRecords()

    objects = FollowUpQuerySet.as_manager()

    # Set by the cycle's services (followups.services, followups.decisions)
    # on the locked row they change; cleared by the save.
    _cycle_step = False

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-year", "programme_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year"],
                name="followups_followup_unique_year",
                violation_error_message=_("The programme already has a follow-up for this year."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "approved"]),
                name="followups_followup_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(scale__in=["2021", "2020"]), name="followups_followup_scale_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | Q(decision_date__isnull=False, approved_at__isnull=False),
                name="followups_followup_approved_has_decision",
                violation_error_message=_(
                    "An approved follow-up needs the decision date and approval time."
                ),
            ),
        ]
        permissions = [
            ("submit_followup", _("Can submit a follow-up for decision")),
            ("return_followup", _("Can return a submitted follow-up to draft")),
            ("register_decision", _("Can register the board's decision")),
            ("reopen_followup", _("Can reopen an approved follow-up")),
            ("preview_report", _("Can preview and download reports that are not approved")),
        ]

    def __str__(self) -> str:
        return f"{self.programme.name} – {self.year}"

    def clean(self) -> None:
        """Checks the year against the programme and the scale against the
        assessments already made (one query each when editing)."""
        super().clean()
        if (
            self.programme_id is not None
            and self.year is not None
            and not self.programme.covers(self.year)
        ):
            raise ValidationError(
                {
                    "year": _("The year must lie within the programme period %(first)s–%(last)s.")
                    % {"first": self.programme.first_year, "last": self.programme.last_year}
                }
            )
        if self.pk is not None:
            allowed = Rating.for_scale(self.scale)
            if self.assessments.exclude(rating="").exclude(rating__in=allowed).exists():
                raise ValidationError(
                    {
                        "scale": _(
                            "Goals of this follow-up have been assessed on the other scale; "
                            "change those assessments first."
                        )
                    }
                )

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    def save(self, *args, **kwargs) -> None:
        """Saves, refusing (one query) a change of status, or any change of a
        submitted or approved year, that does not come from the cycle's
        services: those lock the row and mark it (``_cycle_step``)."""
        try:
            if self.pk is not None and not self._cycle_step:
                stored = (
                    type(self)._base_manager.filter(pk=self.pk).values_list("status", flat=True)
                ).first()
                if stored is not None and stored != self.status:
                    raise ValidationError(STATUS_OUTSIDE_CYCLE_MESSAGE, code="status_outside_cycle")
                if stored == self.Status.APPROVED:
                    raise ValidationError(APPROVED_MESSAGE, code="approved")
                if stored == self.Status.SUBMITTED:
                    raise ValidationError(SUBMITTED_MESSAGE, code="submitted")
            super().save(*args, **kwargs)
        finally:
            self._cycle_step = False

    def delete(self, *args, **kwargs):
        """Only a draft can be deleted (an approved one is protected by its
        archived reports too)."""
        if type(self)._base_manager.filter(pk=self.pk).exclude(status=self.Status.DRAFT).exists():
            raise ValidationError(SUBMITTED_MESSAGE, code="not_draft")
        return super().delete(*args, **kwargs)


class FollowUpPart(Versioned):
    """A text (and for goals a rating) written for one part of the programme
    in one year's follow-up. The part must belong to the follow-up's
    programme; subclasses name the part's field and say how to reach the
    programme from it."""

    part_field: str
    part_mismatch_message: str

    class Meta(Versioned.Meta):
        abstract = True

    def part_programme_id(self) -> int:
        raise NotImplementedError

    def clean(self) -> None:
        """Reads the follow-up and the part (a query each unless loaded)."""
        super().clean()
        if self.followup_id is None or getattr(self, f"{self.part_field}_id") is None:
            return
        if self.part_programme_id() != self.followup.programme_id:
            # Not tied to the field: staff forms set the part from the URL.
            raise ValidationError(self.part_mismatch_message, code="other_programme")


class GoalAssessment(FollowUpPart):
    followup = models.ForeignKey(
        FollowUp, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("follow-up")
    )
    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("goal")
    )
    rating = models.CharField(
        _("rating"),
        max_length=20,
        choices=Rating.choices,
        blank=True,
        help_text=_("Leave empty while the goal is not yet assessed."),
    )
    analysis = BoundedTextField(_("analysis"), blank=True, max_length=ANALYSIS_TEXT)

    history = HistoricalRecords()

    part_field = "goal"
    part_mismatch_message = _("The goal must belong to the follow-up's programme.")

    class Meta:
        verbose_name = _("goal assessment")
        verbose_name_plural = _("goal assessments")
        ordering = ["followup_id", "goal__area__number", "goal__order", "goal__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "goal"],
                name="followups_assessment_unique_goal",
                violation_error_message=_("The goal is already assessed in this follow-up."),
            ),
            models.CheckConstraint(
                condition=Q(rating__in=["", *Rating.values]),
                name="followups_assessment_rating_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal.code} {self.followup.year}"

    def part_programme_id(self) -> int:
        return self.goal.area.programme_id

    def clean(self) -> None:
        super().clean()
        if self.followup_id is None or not self.rating:
            return
        if self.rating not in Rating.for_scale(self.followup.scale):
            raise ValidationError(
                {
                    "rating": _("The rating must be on the follow-up's scale: %(levels)s.")
                    % {
                        "levels": ", ".join(
                            str(r.label) for r in Rating.for_scale(self.followup.scale)
                        )
                    }
                }
            )


class AreaSummary(FollowUpPart):
    followup = models.ForeignKey(
        FollowUp,
        on_delete=models.PROTECT,
        related_name="area_summaries",
        verbose_name=_("follow-up"),
    )
    area = models.ForeignKey(
        ResponsibilityArea,
        on_delete=models.PROTECT,
        related_name="summaries",
        verbose_name=_("responsibility area"),
    )
    text = BoundedTextField(_("summary"), blank=True, max_length=LONG_TEXT)

    history = HistoricalRecords()

    part_field = "area"
    part_mismatch_message = _("The responsibility area must belong to the follow-up's programme.")

    class Meta:
        verbose_name = _("area summary")
        verbose_name_plural = _("area summaries")
        ordering = ["followup_id", "area__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "area"],
                name="followups_areasummary_unique_area",
                violation_error_message=_("The area already has a summary in this follow-up."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.followup.year}"

    def part_programme_id(self) -> int:
        return self.area.programme_id


class GuidelineFollowUp(FollowUpPart):
    followup = models.ForeignKey(
        FollowUp,
        on_delete=models.PROTECT,
        related_name="guideline_followups",
        verbose_name=_("follow-up"),
    )
    guideline = models.ForeignKey(
        Guideline, on_delete=models.PROTECT, related_name="followups", verbose_name=_("guideline")
    )
    text = BoundedTextField(_("follow-up text"), blank=True, max_length=LONG_TEXT)

    history = HistoricalRecords()

    part_field = "guideline"
    part_mismatch_message = _("The guideline must belong to the follow-up's programme.")

    class Meta:
        verbose_name = _("guideline follow-up")
        verbose_name_plural = _("guideline follow-ups")
        ordering = ["followup_id", "guideline__order", "guideline__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "guideline"],
                name="followups_guidelinefollowup_unique",
                violation_error_message=_(
                    "The guideline is already followed up in this follow-up."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guideline} {self.followup.year}"

    def part_programme_id(self) -> int:
        return self.guideline.programme_id
