from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.services import anonymise_user


class Command(BaseCommand):
    help = _(
        "Removes a person's personal data: name, e-mail and username are replaced, "
        "the account is closed. What they did stays in the history and the audit log "
        "under the anonymous name."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        model = get_user_model()
        try:
            user = model._default_manager.get(**{model.USERNAME_FIELD: username})
        except model.DoesNotExist as error:
            raise CommandError(
                _("There is no user %(username)s.") % {"username": username}
            ) from error
        anonymise_user(user)
        self.stdout.write(
            _("%(old)s is now %(new)s; the account is closed.")
            % {"old": username, "new": user.get_username()}
        )
