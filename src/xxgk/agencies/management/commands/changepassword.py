"""``xxgk changepassword [USERNAME]``: Django's command (the password asked twice, three
tries), the password set by ``accounts.set_password``: the password policy applies, the
account's sessions end, and the audit log names the host's operator and the account (never
the password). It replaces Django's own because ``xxgk.agencies`` comes before
``django.contrib.auth`` in ``INSTALLED_APPS``."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import changepassword
from django.core.management.base import CommandError

from xxgk.agencies import accounts, audit
from xxgk.core.steps import StepError

TRIES = 3


class Command(changepassword.Command):
    help = ("Set an account's password (by default the OS user's namesake); the password "
            "policy applies and the audit log records it.")

    def handle(self, *args: Any, **options: Any) -> str:
        username = options["username"] or getpass.getuser()
        users = get_user_model()
        account = users._default_manager.filter(**{users.USERNAME_FIELD: username}).first()
        if account is None:
            raise CommandError(f"user '{username}' does not exist")
        self.stdout.write(f"Changing password for user '{username}'")
        for _try in range(TRIES):
            password = self._get_pass()
            if password != self._get_pass("Password (again): "):
                self.stdout.write("Passwords do not match. Please try again.")
                continue
            try:
                accounts.set_password(audit.host_operator(), account, password)
            except StepError as error:
                self.stderr.write(error.message)
                continue
            return f"Password changed successfully for user '{username}'"
        raise CommandError(f"Aborting password change for user '{username}' after {TRIES} "
                           "attempts")
