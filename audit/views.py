"""The login lockout answer (django-axes calls ``lockout_response``)."""

from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKED_STATUS = 429


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """The login page again, with one message for every lockout.

    The text is the same whether the username exists, whether the account,
    the address or both are locked, so it reveals nothing about accounts.
    """
    message = _(
        "Too many failed logins. Logging in is paused for 15 minutes. "
        "Try again later, or ask an administrator to unlock it."
    )
    return render(
        request,
        "registration/login.html",
        {
            "form": AuthenticationForm(request),
            "locked_message": message,
            "next": request.POST.get("next", request.GET.get("next", "")),
        },
        status=LOCKED_STATUS,
    )
