"""Guards that hold whatever writes (page, admin, shell): a tertial of a
year whose annual follow-up is approved stays as it was, and a measure
addresses only problems of its plan's situation picture."""

from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .models import Measure, PriorityAreaStatus, Problem, PromiseRating, TertialFollowUp
from .models.agreements import FROZEN_MESSAGE, tertial_frozen


def _refuse_frozen(year: int | None) -> None:
    if tertial_frozen(year):
        raise ValidationError(FROZEN_MESSAGE % {"year": year}, code="frozen")


@receiver(pre_save, sender=TertialFollowUp)
@receiver(pre_delete, sender=TertialFollowUp)
def _tertial_frozen(sender, instance, **kwargs) -> None:
    years = {instance.year}
    if instance.pk is not None:
        years.update(sender.objects.filter(pk=instance.pk).values_list("year", flat=True))
    for year in sorted(years):
        _refuse_frozen(year)


@receiver(pre_save, sender=PriorityAreaStatus)
@receiver(pre_delete, sender=PriorityAreaStatus)
@receiver(pre_save, sender=PromiseRating)
@receiver(pre_delete, sender=PromiseRating)
def _tertial_part_frozen(sender, instance, **kwargs) -> None:
    year = TertialFollowUp.objects.filter(pk=instance.tertial_id).values_list("year", flat=True)
    _refuse_frozen(year.first())


@receiver(m2m_changed, sender=Measure.problems.through)
def _problems_of_the_plans_picture(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action != "pre_add" or not pk_set:
        return
    if reverse:
        pictures = set(
            Measure.objects.filter(pk__in=pk_set).values_list("plan__picture_id", flat=True)
        )
        wrong = pictures - {instance.picture_id}
    else:
        found = set(Problem.objects.filter(pk__in=pk_set).values_list("picture_id", flat=True))
        wrong = found - {instance.plan.picture_id}
    if wrong:
        raise ValidationError(
            _("A measure addresses only problems of its plan's situation picture."),
            code="foreign_problem",
        )
