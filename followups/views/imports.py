"""Activities from a workbook: upload, preview row by row, confirm. The
uploaded file waits under MEDIA_ROOT/imports/ between the preview and the
confirmation, named by a random token kept in the user's session."""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from ..access import FollowUpAccessMixin, contributed_unit_ids, may_import, own_units_only
from ..imports import MAX_BYTES, MAX_ROWS, PENDING_DIR, apply_import, build_preview
from ..spreadsheets import template_workbook
from .exports import xlsx_response

SESSION_KEY = "activity_imports"
IMPORTS_DIR = PENDING_DIR


class ImportForm(forms.Form):
    workbook = forms.FileField(
        label=gettext_lazy("Workbook (.xlsx)"),
        help_text=gettext_lazy(
            "The activity sheet as the download or the template has it, at most 5 MB."
        ),
    )


class ImportAccessMixin(FollowUpAccessMixin):
    """Importing adds and changes activities, in a draft year: staff who add
    and change them, or contributors (for their own units' rows)."""

    requires_draft = True

    def has_permission(self) -> bool:
        return may_import(self.request.user)


class ActivityImportView(ImportAccessMixin, FormView):
    form_class = ImportForm
    template_name = "followups/activity_import.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["max_rows"] = MAX_ROWS
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["workbook"]
        data = upload.read(MAX_BYTES + 1)
        try:
            preview = build_preview(self.followup, upload.name, data, self.request.user)
        except ValidationError as error:
            form.add_error("workbook", error)
            return self.form_invalid(form)
        token = uuid.uuid4().hex
        stored = default_storage.save(f"{IMPORTS_DIR}{token}.xlsx", ContentFile(data))
        imports = self.request.session.get(SESSION_KEY, {})
        # One pending import per person and year: an earlier preview's file goes.
        for earlier in [t for t, p in imports.items() if p["followup"] == self.followup.pk]:
            if imports[earlier]["file"].startswith(IMPORTS_DIR):
                default_storage.delete(imports[earlier]["file"])
            del imports[earlier]
        imports[token] = {
            "file": stored,
            "name": upload.name,
            "followup": self.followup.pk,
            "previewed": preview.fingerprint(),
        }
        self.request.session[SESSION_KEY] = imports
        counts = {kind: preview.count(kind) for kind in ("new", "changed", "unchanged", "error")}
        return self.render_to_response(
            self.get_context_data(form=form, preview=preview, token=token, counts=counts),
        )


class ActivityImportConfirmView(ImportAccessMixin, View):
    """Saves the previewed workbook, all rows or none."""

    def post(self, request, *args, **kwargs):
        imports = request.session.get(SESSION_KEY, {})
        pending = imports.get(request.POST.get("token", ""))
        list_url = redirect("activity-list", self.followup.programme_id, self.followup.year)
        if not pending or pending["followup"] != self.followup.pk:
            messages.error(request, _("The import was not found; upload the workbook again."))
            return redirect("activity-import", self.followup.programme_id, self.followup.year)
        with default_storage.open(pending["file"], "rb") as stored:
            data = stored.read()
        try:
            preview = build_preview(self.followup, pending["name"], data, request.user)
            new, changed = apply_import(
                preview, self.followup, request.user, previewed=pending.get("previewed")
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("activity-import", self.followup.programme_id, self.followup.year)
        default_storage.delete(pending["file"])
        del imports[request.POST["token"]]
        request.session[SESSION_KEY] = imports
        messages.success(
            request,
            _("Imported from %(file)s: %(new)s new and %(changed)s changed activities.")
            % {"file": pending["name"], "new": new, "changed": changed},
        )
        return list_url


class ActivityImportTemplateView(FollowUpAccessMixin, View):
    permission_required = "followups.view_activity"

    def get(self, request, *args, **kwargs):
        user = request.user
        # A contributor's template offers their own units only.
        units = contributed_unit_ids(user) if own_units_only(user) else None
        return xlsx_response(
            template_workbook(self.followup, units), f"aktiviteter-mall-{self.followup.year}.xlsx"
        )
