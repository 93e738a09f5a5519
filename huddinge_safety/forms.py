"""Forms of the installation itself rather than of a domain."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class LoginForm(AuthenticationForm):
    """Django's login form, refusing a username longer than any account's.

    Django sets the username's length limit for the browser only, so an
    over-long name reached the login backends and the failed-login records
    (django-axes, the audit log), whose columns are shorter: a server error
    on PostgreSQL. Here it is a field error, and nothing is recorded.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))
