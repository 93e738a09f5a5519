"""The steering group's tertial follow-up of an agreement: one page of
forms (summary and readiness, a status text per priority area, a rating
per promise) saved all or none, and its report as PDF."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View

from ..access import CollaborationAccessMixin
from ..models import (
    Agreement,
    PriorityAreaStatus,
    PromiseRating,
    TertialFollowUp,
    tertial_frozen,
)
from ..models.agreements import FROZEN_MESSAGE
from ..tertial_forms import AreaStatusForm, PromiseRatingForm, TertialForm
from ..tertial_report import render_tertial_report, tertial_report_filename
from ..tertials import TertialData, find_tertial, tertial_data

EDIT_PERMISSION = "collaboration.change_tertialfollowup"


class TertialMixin(CollaborationAccessMixin):
    def load_tertial(self) -> TertialFollowUp:
        """The agreement's tertial of the URL, saved or not (two queries);
        404 for a year outside the agreement's period or a tertial not 1–3."""
        agreement = get_object_or_404(Agreement, pk=self.kwargs["agreement"])
        year, number = self.kwargs["year"], self.kwargs["tertial"]
        if not agreement.covers(year) or number not in TertialFollowUp.Tertial.values:
            raise Http404
        return find_tertial(agreement, year, number)


def build_forms(data: TertialData, post=None) -> tuple[TertialForm, list, list]:
    """The page's forms on the rows ``tertial_data`` read (no queries):
    the tertial's own, one per priority area and one per promise."""
    tertial = data.tertial
    main = TertialForm(post, instance=tertial, prefix="tertial")
    areas = []
    for row in data.areas:
        instance = row.status or PriorityAreaStatus(tertial=tertial, priority_area=row.area)
        form = AreaStatusForm(post, instance=instance, prefix=f"area-{row.area.pk}")
        form.row = row
        areas.append(form)
    promises = []
    for row in data.promises:
        instance = row.rating or PromiseRating(tertial=tertial, promise=row.promise)
        form = PromiseRatingForm(post, instance=instance, prefix=f"promise-{row.promise.pk}")
        form.row = row
        promises.append(form)
    return main, areas, promises


class TertialView(TertialMixin, View):
    """Staff read the page; caseworkers and administrators save it, unless
    the year's annual follow-up is approved (then it is read-only)."""

    permission_required = EDIT_PERMISSION
    template_name = "collaboration/tertial.html"

    def get(self, request, *args, **kwargs):
        tertial = self.load_tertial()
        data = tertial_data(tertial)
        return self.render(data, build_forms(data), frozen=tertial_frozen(tertial.year))

    def post(self, request, *args, **kwargs):
        tertial = self.load_tertial()
        if tertial_frozen(tertial.year):
            raise PermissionDenied
        try:
            saved, data, forms = self.save(tertial)
        except ValidationError as error:
            # The year was approved meanwhile (the models' guard): nothing
            # was saved; what was typed stays on the page.
            for message in error.messages:
                messages.error(request, message)
            data = tertial_data(find_tertial(tertial.agreement, tertial.year, tertial.tertial))
            forms = build_forms(data, request.POST)
            return self.render(data, forms, frozen=True, status=409)
        if saved:
            messages.success(request, _("Saved."))
            return redirect(request.path)
        return self.render(data, forms, frozen=False)

    def save(self, tertial: TertialFollowUp) -> tuple[bool, TertialData, tuple]:
        """Creates the tertial's row on its first save, validates every form
        and saves those that changed, in one transaction: all or none."""
        request = self.request
        with transaction.atomic():
            # A new row starts at version 0, the version a page of the
            # unsaved tertial shows, so the save below moves it to 1; a row
            # someone else created meanwhile is newer and refuses the save.
            tertial, created = TertialFollowUp.objects.get_or_create(
                agreement=tertial.agreement,
                year=tertial.year,
                tertial=tertial.tertial,
                defaults={"version": 0},
            )
            data = tertial_data(tertial)
            forms = build_forms(data, request.POST)
            main, areas, promises = forms
            every = [main, *areas, *promises]
            valid = [form.is_valid() for form in every]  # each form, for its errors
            if not all(valid):
                transaction.set_rollback(True)
                messages.error(request, _("Nothing was saved. Correct the marked fields."))
                return False, data, forms
            changed = [form for form in every if form.has_changed() or (created and form is main)]
            saved = [form.save_if_unchanged() for form in changed]  # each, for its conflict
            if not all(saved):
                transaction.set_rollback(True)
                messages.error(
                    request,
                    _("Nothing was saved: someone else saved part of this page meanwhile."),
                )
                return False, data, forms
        return True, data, forms

    def render(self, data: TertialData, forms, *, frozen: bool, status: int = 200):
        main, areas, promises = forms
        tertial = data.tertial
        can_edit = not frozen and self.request.user.has_perm(EDIT_PERMISSION)
        context = {
            "data": data,
            "agreement": data.agreement,
            "tertial": tertial,
            "tertial_label": TertialFollowUp.Tertial(tertial.tertial).label,
            "forms": [main, *areas, *promises],  # every form, as the other form pages
            "main_form": main,
            "area_forms": areas,
            "promise_forms": promises,
            "can_edit": can_edit,
            "frozen": frozen,
            "frozen_message": FROZEN_MESSAGE % {"year": tertial.year} if frozen else "",
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)


class TertialReportView(TertialMixin, View):
    """The tertial's report as PDF, shown in the browser. Staff always (a
    tertial not ready is a draft, an unsaved one the empty draft); readers
    only the tertials marked ready, others do not exist for them."""

    for_readers = True

    def get(self, request, *args, **kwargs):
        tertial = self.load_tertial()
        if not self.staff and (tertial.pk is None or not tertial.ready):
            raise Http404
        report = render_tertial_report(tertial)
        response = HttpResponse(report.pdf, content_type="application/pdf")
        filename = tertial_report_filename(tertial)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
