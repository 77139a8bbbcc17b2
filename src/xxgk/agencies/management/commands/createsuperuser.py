"""``xxgk createsuperuser``: Django's command with its options, prompts and environment
(``--username``, ``--email``, ``--noinput`` with ``DJANGO_SUPERUSER_USERNAME``,
``DJANGO_SUPERUSER_EMAIL`` and ``DJANGO_SUPERUSER_PASSWORD``), the account made by
``accounts.create_superuser``: the password policy applies without a way round it, and the
audit log names the host's operator, the account and its flags (never the password). It
replaces Django's own because ``xxgk.agencies`` comes before ``django.contrib.auth`` in
``INSTALLED_APPS``."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.management import get_default_username
from django.contrib.auth.management.commands import createsuperuser
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from xxgk.agencies import accounts, audit
from xxgk.core.steps import StepError


class Command(createsuperuser.Command):
    help = ("Create a superuser, who appoints the security duties (三员分立); the password "
            "policy applies and the audit log records it.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["interactive"]:
                if hasattr(self.stdin, "isatty") and not self.stdin.isatty():
                    self.stdout.write("Superuser creation skipped: not running in a terminal "
                                      "(use --noinput with DJANGO_SUPERUSER_PASSWORD).")
                    return
                self._interactive(options)
            else:
                self._create(self._username_given(options), self._email_given(options),
                             os.environ.get("DJANGO_SUPERUSER_PASSWORD"))
        except KeyboardInterrupt:
            self.stderr.write("\nOperation cancelled.")
            sys.exit(1)
        if options["verbosity"] >= 1:
            self.stdout.write("Superuser created successfully.")

    def _create(self, username: str, email: str, password: str | None) -> None:
        """``password`` None: an unusable password, as Django's ``--noinput`` without one."""
        try:
            accounts.create_superuser(audit.host_operator(), username=username,
                                      password=password, email=email)
        except StepError as error:
            raise CommandError(f"{username}: refused: {error.message}") from error

    def _username_given(self, options: dict[str, Any]) -> str:
        name = self.UserModel.USERNAME_FIELD
        username = options[name] or os.environ.get(f"DJANGO_SUPERUSER_{name.upper()}")
        if username is None:
            raise CommandError(f"You must use --{name} with --noinput.")
        error = self._validate_username(username, self.username_field.verbose_name,
                                        options["database"])
        if error:
            raise CommandError(error)
        return username

    def _email_given(self, options: dict[str, Any]) -> str:
        """The address given (left out: none, where Django's ``--noinput`` insists on
        ``--email ""``)."""
        return _clean_email(options["email"] or os.environ.get("DJANGO_SUPERUSER_EMAIL", ""))

    def _interactive(self, options: dict[str, Any]) -> None:
        verbose = self.username_field.verbose_name
        username = options[self.UserModel.USERNAME_FIELD]
        if username is not None:
            error = self._validate_username(username, verbose, options["database"])
            if error:
                self.stderr.write(error)
                username = None
        default = get_default_username(database=options["database"])
        while username is None:
            username = self.get_input_data(
                self.username_field, self._get_input_message(self.username_field, default),
                default)
            error = username and self._validate_username(username, verbose,
                                                         options["database"])
            if error:
                self.stderr.write(error)
                username = None
        email_field = self.UserModel._meta.get_field("email")
        email = None if options["email"] is None else _clean_email(options["email"])
        while email is None:
            email = self.get_input_data(email_field, self._get_input_message(email_field))
        while True:
            password = getpass.getpass()
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("Error: Your passwords didn't match.")
                continue
            if not password.strip():
                self.stderr.write("Error: Blank passwords aren't allowed.")
                continue
            try:
                accounts.create_superuser(audit.host_operator(), username=username,
                                          password=password, email=email)
            except StepError as error:
                if error.field != "password":
                    raise CommandError(f"{username}: refused: {error.message}") from error
                # The policy has no way round it (Django's command offers one): ask again.
                self.stderr.write(error.message)
                continue
            return


def _clean_email(value: str) -> str:
    try:
        return get_user_model()._meta.get_field("email").clean(value, None)
    except ValidationError as error:
        raise CommandError("; ".join(error.messages)) from error
