from django.urls import include, path

from .views import (
    activities,
    decision,
    exports,
    imports,
    programme,
    renderings,
    reports,
    start,
    workflow,
    year,
)

activity_patterns = [
    path("", activities.ActivityListView.as_view(), name="activity-list"),
    path("new/", activities.ActivityCreateView.as_view(), name="activity-create"),
    path("export.xlsx", exports.ActivityExportView.as_view(), name="activity-export"),
    path("import/", imports.ActivityImportView.as_view(), name="activity-import"),
    path(
        "import/confirm/",
        imports.ActivityImportConfirmView.as_view(),
        name="activity-import-confirm",
    ),
    path("template.xlsx", imports.ActivityImportTemplateView.as_view(), name="activity-template"),
    path("<int:pk>/", activities.ActivityDetailView.as_view(), name="activity-detail"),
    path("<int:pk>/edit/", activities.ActivityUpdateView.as_view(), name="activity-update"),
    path("<int:pk>/delete/", activities.ActivityDeleteView.as_view(), name="activity-delete"),
    path("<int:pk>/continue/", activities.ActivityContinueView.as_view(), name="activity-continue"),
]

followup_patterns = [
    path("", start.FollowUpView.as_view(), name="followup"),
    path("summary/", year.FollowUpSummaryView.as_view(), name="followup-summary"),
    path("export.xlsx", exports.YearExportView.as_view(), name="followup-export"),
    path("activities/", include(activity_patterns)),
    path("assessments/", year.AssessmentOverviewView.as_view(), name="assessment-overview"),
    path("assessments/<int:number>/", year.AreaAssessmentView.as_view(), name="area-assessment"),
    path("indicators/", year.IndicatorValuesView.as_view(), name="indicator-values"),
    path("guidelines/", year.GuidelineTextsView.as_view(), name="guideline-texts"),
    path("submit/", workflow.SubmitView.as_view(), name="followup-submit"),
    path("return/", workflow.ReturnView.as_view(), name="followup-return"),
    path("report/", reports.ReportPreviewView.as_view(), name="report-preview"),
    path("report.pdf", reports.ReportDownloadView.as_view(), name="report-pdf"),
    path(
        "report/version-<int:number>.pdf",
        reports.ArchivedReportDownloadView.as_view(),
        name="archived-report",
    ),
    path(
        "report.pdf/<int:rendering>/",
        renderings.RenderingView.as_view(),
        name="report-rendering",
    ),
    path(
        "report.pdf/<int:rendering>/status/",
        renderings.RenderingStatusView.as_view(),
        name="report-rendering-status",
    ),
    path(
        "report.pdf/<int:rendering>/file/",
        renderings.RenderingFileView.as_view(),
        name="report-rendering-file",
    ),
    path("decision/", decision.DecisionView.as_view(), name="followup-decision"),
    path(
        "decision/<int:rendering>/",
        decision.DecisionConfirmView.as_view(),
        name="followup-decision-confirm",
    ),
    path("reopen/", reports.ReopenView.as_view(), name="followup-reopen"),
]

urlpatterns = [
    path("", start.StartView.as_view(), name="start"),
    path(
        "programmes/<int:programme>/",
        programme.ProgrammeTrendsView.as_view(),
        name="programme-trends",
    ),
    path("programmes/<int:programme>/<int:year>/", include(followup_patterns)),
]
