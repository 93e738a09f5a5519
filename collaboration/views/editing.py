"""What every form page of the collaboration does with a valid form."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class SavingFormMixin:
    """For a ``ConflictCheckedForm``: saves unless someone saved the row
    since the form was opened (then the form is shown again with the
    conflict, nothing saved), and goes on to ``saved_url(row)``."""

    template_name = "collaboration/form.html"
    form_only = True

    def saved_url(self, row) -> str:
        raise NotImplementedError

    def form_valid(self, form):
        row = form.save_if_unchanged()
        if row is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.saved_url(row))
