"""``xxgk login unlock USERNAME`` and ``xxgk login reset-second-factor USERNAME``: what an
operator does for a member of staff locked out by failed logins, or who lost both the phone
and the recovery codes (who then sets the app up again at the next login). Both are
written to the audit log, in the name of the host's operator (``audit.HostOperator``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xxgk.agencies import audit
from xxgk.workbench import two_factor


class Command(BaseCommand):
    help = ("Unlock an account that too many failed logins locked (`unlock`), or remove its "
            "authenticator app and recovery codes so that it sets them up again at its next "
            "login (`reset-second-factor`).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=("unlock", "reset-second-factor"))
        parser.add_argument("username")

    def handle(self, *args: Any, what: str, username: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no account {username!r}.")
        if what == "unlock":
            cleared = two_factor.unlock(audit.host_operator(), user)
            self.stdout.write(f"{username}: unlocked ({cleared} locked address(es) cleared).")
        else:
            removed = two_factor.reset(audit.host_operator(), user)
            self.stdout.write(f"{username}: second factor removed ({removed} device(s)); it "
                              "is set up again at the next login.")
