"""The year's activities: what was done towards the programme's goals, by
whom, where and at what cost, and what may be kept from the public report."""

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
    MEDIUM_TEXT,
    BoundedTextField,
    District,
    Goal,
    OrganisationalUnit,
    Partner,
    ResponsibilityArea,
    Versioned,
)

from .year import FollowUp


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


class ConfidentialityGround(models.TextChoices):
    """The legal grounds for keeping an activity out of the public report.
    *Annan grund* needs the ground spelled out in the free text."""

    OSL_18_8 = "osl_18_8", _("OSL 18 kap. 8 § (security and protective measures)")
    SECURITY_PROTECTION = "security", _("Säkerhetsskydd (Säkerhetsskyddslag 2018:585)")
    OSL_26_1 = "osl_26_1", _("OSL 26 kap. 1 § (social services, personal circumstances)")
    OTHER = "other", _("Other ground (state it in the text)")


GROUNDS = ConfidentialityGround.values
CONFIDENTIALITY_GROUND_MESSAGE = _("A confidential activity needs its legal ground.")
NOT_CONFIDENTIAL_MESSAGE = _(
    "A legal ground is given, but the activity is not marked confidential: tick "
    "Confidential, or clear the ground."
)
OTHER_GROUND_MESSAGE = _("State the legal ground in the text when it is not in the list.")


class ActivityQuerySet(models.QuerySet):
    def public(self):
        """The activities that may be published: not confidential."""
        return self.filter(is_confidential=False)


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

    is_confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_(
            "Seen only by caseworkers, board secretaries and administrators; never in the "
            "report, which only counts it."
        ),
    )
    confidentiality_ground = models.CharField(
        _("legal ground for confidentiality"),
        max_length=20,
        choices=ConfidentialityGround.choices,
        blank=True,
    )
    confidentiality_note = models.CharField(
        _("ground in more detail"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the paragraph's point, or the ground when it is not in the list."),
    )

    history = HistoricalRecords(m2m_fields=[goals, partners, districts])

    objects = ActivityQuerySet.as_manager()

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
            models.CheckConstraint(
                condition=Q(is_confidential=True, confidentiality_ground__in=GROUNDS)
                | Q(is_confidential=False, confidentiality_ground="", confidentiality_note=""),
                name="followups_activity_confidentiality_ground",
                violation_error_message=CONFIDENTIALITY_GROUND_MESSAGE,
            ),
            models.CheckConstraint(
                condition=~Q(confidentiality_ground="other") | ~Q(confidentiality_note=""),
                name="followups_activity_other_ground_named",
                violation_error_message=OTHER_GROUND_MESSAGE,
            ),
        ]
        permissions = [
            ("view_confidential_activity", _("Can see confidential activities")),
            ("contribute_activity", _("Can report activities of their own organisational units")),
        ]
        indexes = [
            models.Index(fields=["followup", "status"], name="followups_activity_status_idx"),
            models.Index(fields=["followup", "area"], name="followups_activity_area_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    # Set by ActivityForm when its choices were read once for many rows (an
    # import): the foreign keys then point at objects read for the check and
    # every check constraint below is also a field or clean() rule, so the
    # database round trip per key and per constraint is left out of each
    # row's check. The database enforces all of them on writing.
    checked_against_preloaded_choices = False

    def clean_fields(self, exclude=None) -> None:
        if self.checked_against_preloaded_choices:
            exclude = {*(exclude or ()), "area", "responsible_unit"}
        super().clean_fields(exclude)

    def validate_constraints(self, exclude=None) -> None:
        if not self.checked_against_preloaded_choices:
            super().validate_constraints(exclude)

    def clean(self) -> None:
        """Keeps the area and the continued activity within reach of this
        follow-up (one query each), and a confidential activity's ground
        stated."""
        super().clean()
        if self.is_confidential and not self.confidentiality_ground:
            raise ValidationError({"confidentiality_ground": CONFIDENTIALITY_GROUND_MESSAGE})
        if not self.is_confidential and (self.confidentiality_ground or self.confidentiality_note):
            raise ValidationError({"is_confidential": NOT_CONFIDENTIAL_MESSAGE})
        if (
            self.confidentiality_ground == ConfidentialityGround.OTHER
            and not self.confidentiality_note.strip()
        ):
            raise ValidationError({"confidentiality_note": OTHER_GROUND_MESSAGE})
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


class Contributor(models.Model):
    """A person in another department (Bidragsgivare) and the organisational
    units whose activities they report. The role's rights come from the
    group; the units say which activities are theirs."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contributor",
        verbose_name=_("user"),
    )
    units = models.ManyToManyField(
        OrganisationalUnit,
        blank=True,
        related_name="contributors",
        verbose_name=_("organisational units"),
        help_text=_("The units whose activities the person reports."),
    )

    class Meta:
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


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
