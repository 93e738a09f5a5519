from django.urls import path

from .views import overview, plans, promises, situations, tertials

urlpatterns = [
    path("", overview.OverviewView.as_view(), name="collaboration"),
    path(
        "agreements/<int:agreement>/",
        overview.AgreementView.as_view(),
        name="agreement",
    ),
    path(
        "agreements/<int:agreement>/promises/new/",
        promises.PromiseCreateView.as_view(),
        name="promise-create",
    ),
    path(
        "agreements/<int:agreement>/promises/<int:pk>/edit/",
        promises.PromiseUpdateView.as_view(),
        name="promise-update",
    ),
    path(
        "agreements/<int:agreement>/areas/<int:pk>/activities/",
        promises.PriorityAreaActivitiesView.as_view(),
        name="priority-area-activities",
    ),
    path(
        "agreements/<int:agreement>/<int:year>/t<int:tertial>/",
        tertials.TertialView.as_view(),
        name="tertial",
    ),
    path(
        "agreements/<int:agreement>/<int:year>/t<int:tertial>/report.pdf",
        tertials.TertialReportView.as_view(),
        name="tertial-report",
    ),
    path("situations/new/", situations.SituationCreateView.as_view(), name="situation-create"),
    path("situations/<int:pk>/", situations.SituationView.as_view(), name="situation"),
    path(
        "situations/<int:pk>/edit/",
        situations.SituationUpdateView.as_view(),
        name="situation-update",
    ),
    path(
        "situations/<int:picture>/problems/new/",
        situations.ProblemCreateView.as_view(),
        name="problem-create",
    ),
    path(
        "situations/<int:picture>/problems/<int:pk>/edit/",
        situations.ProblemUpdateView.as_view(),
        name="problem-update",
    ),
    path("plans/<int:pk>/", plans.TraceView.as_view(), name="action-plan"),
    path("plans/<int:pk>/report.pdf", plans.TraceReportView.as_view(), name="action-plan-report"),
    path(
        "plans/<int:plan>/measures/new/",
        plans.MeasureCreateView.as_view(),
        name="measure-create",
    ),
    path(
        "plans/<int:plan>/measures/<int:pk>/edit/",
        plans.MeasureUpdateView.as_view(),
        name="measure-update",
    ),
]
