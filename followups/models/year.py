"""What happened in a year: the follow-up of a programme, the activities
carried out, the goal assessments, area summaries and guideline texts that
make up the annual report to the board."""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programmes.models import (
    ANALYSIS_TEXT,
    LONG_TEXT,
    MEDIUM_TEXT,
    YEAR_VALIDATORS,
    BoundedTextField,
    District,
    Goal,
    Guideline,
    OrganisationalUnit,
    Partner,
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


def validate_goals_in_programme(programme_id: int, goals: Iterable[Goal]) -> None:
    """Raises ValidationError unless every goal belongs to the programme.

    Goals passed as model instances need their area loaded (select_related)
    to avoid one query per goal.
    """
    foreign = [goal for goal in goals if goal.area.programme_id != programme_id]
    if foreign:
        raise ValidationError(
            _("The goal %(goal)s does not belong to this follow-up's programme.")
            % {"goal": foreign[0]},
            code="goal_other_programme",
        )


class Activity(Versioned):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        DONE = "done", _("Carried out")
        CANCELLED = "cancelled", _("Cancelled")
        POSTPONED = "postponed", _("Postponed")

    followup = models.ForeignKey(
        FollowUp, on_delete=models.PROTECT, related_name="activities", verbose_name=_("follow-up")
    )
    area = models.ForeignKey(
        ResponsibilityArea,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("primary responsibility area"),
    )
    goals = models.ManyToManyField(
        Goal,
        blank=True,
        related_name="activities",
        verbose_name=_("goals"),
        help_text=_("The programme goals the activity contributes to."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = BoundedTextField(_("description"), blank=True, max_length=MEDIUM_TEXT)
    responsible_unit = models.ForeignKey(
        OrganisationalUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("responsible unit"),
    )
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="activities", verbose_name=_("partners")
    )
    districts = models.ManyToManyField(
        District,
        blank=True,
        related_name="activities",
        verbose_name=_("districts"),
        help_text=_("Leave empty when the activity concerns the whole municipality."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    cost = models.DecimalField(
        _("cost (SEK)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    result = BoundedTextField(_("result"), blank=True, max_length=MEDIUM_TEXT)
    continues = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continuations",
        verbose_name=_("continues"),
        help_text=_("The activity of an earlier year that this one continues."),
    )

    history = HistoricalRecords(m2m_fields=[goals, partners, districts])

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["followup_id", "area__number", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0),
                name="followups_activity_cost_not_negative",
                violation_error_message=_("The cost cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "ongoing", "done", "cancelled", "postponed"]),
                name="followups_activity_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["followup", "status"], name="followups_activity_status_idx"),
            models.Index(fields=["followup", "area"], name="followups_activity_area_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """Keeps the area and the continued activity within reach of this
        follow-up (one query each)."""
        super().clean()
        if self.followup_id is None:
            return
        if self.area_id is not None and self.area.programme_id != self.followup.programme_id:
            raise ValidationError(
                {"area": _("The responsibility area must belong to the follow-up's programme.")}
            )
        if self.continues_id is not None:
            if self.continues_id == self.pk:
                raise ValidationError({"continues": _("An activity cannot continue itself.")})
            if self.continues.followup.year >= self.followup.year:
                raise ValidationError(
                    {"continues": _("The continued activity must belong to an earlier year.")}
                )


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


@receiver(m2m_changed, sender=Activity.goals.through)
def _refuse_goals_of_other_programmes(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """Backstop for code that adds goals without a form: the ORM refuses a goal
    of another programme (one query per add).

    The error is raised inside ``add()``'s own transaction block, so an
    enclosing transaction is marked for rollback; callers that want to go on
    after catching it wrap the ``add()`` in ``transaction.atomic()``.
    """
    if action != "pre_add" or not pk_set:
        return
    if reverse:
        # goal.activities.add(...): instance is a goal, pk_set holds activities.
        clash = Activity.objects.filter(pk__in=pk_set).exclude(
            followup__programme_id=instance.area.programme_id
        )
        if clash.exists():
            raise ValidationError(
                _("The goal %(goal)s does not belong to this follow-up's programme.")
                % {"goal": instance},
                code="goal_other_programme",
            )
        return
    validate_goals_in_programme(
        instance.followup.programme_id, Goal.objects.filter(pk__in=pk_set).select_related("area")
    )
