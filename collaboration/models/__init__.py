"""The collaboration with the police and the fire service: agreements with
their priority areas, citizen promises and tertial follow-ups
(``agreements``), and situation pictures with the action plans decided on
them (``plans``)."""

from .agreements import (
    Agreement,
    CitizenPromise,
    PriorityArea,
    PriorityAreaStatus,
    PromiseRating,
    TertialFollowUp,
    tertial_frozen,
)
from .plans import ActionPlan, Measure, Problem, SituationPicture

__all__ = [
    "ActionPlan",
    "Agreement",
    "CitizenPromise",
    "Measure",
    "PriorityArea",
    "PriorityAreaStatus",
    "Problem",
    "PromiseRating",
    "SituationPicture",
    "TertialFollowUp",
    "tertial_frozen",
]
