from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from followups.demo import load_demo


class Command(BaseCommand):
    help = _(
        "Loads the Huddinge demo data (programme 2018–2021, the 2021 follow-up) and one "
        "demo user per role. Running it again changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--password",
            help=_("Password for the demo users; a random one is made and printed if omitted."),
        )

    def handle(self, *args, password: str | None = None, **options) -> None:
        users = load_demo(password=password)
        self.stdout.write(self.style.SUCCESS(_("Demo data loaded.")))
        self.stdout.write(_("Demo logins:"))
        name_width = max(len(user.username) for user in users)
        role_width = max(len(user.role) for user in users)
        for user in users:
            shown = user.password if user.password is not None else _("(unchanged)")
            self.stdout.write(
                f"  {user.username:<{name_width}}  {user.role:<{role_width}}  {shown}"
            )
