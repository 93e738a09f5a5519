from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.services import anonymise_user, user_for_username


class Command(BaseCommand):
    help = _(
        "Removes a person's personal data: name, e-mail and username are replaced, "
        "the account is closed. What they did stays in the history and the audit log "
        "under the anonymous name."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = user_for_username(username)
        if user is None:
            raise CommandError(_("There is no user %(username)s.") % {"username": username})
        anonymise_user(user)
        self.stdout.write(
            _("%(old)s is now %(new)s; the account is closed.")
            % {"old": username, "new": user.get_username()}
        )
