"""Signing staff in, in tests, the way a real sign-in ends: password and second factor.

``Client`` is the suite's test client (the ``client`` and ``admin_client`` fixtures of
tests/conftest.py): its ``force_login`` and ``login`` leave a fully signed-in staff member,
whose session is verified by a confirmed authenticator device, as
``workbench.two_factor.verify`` leaves it after a right code. The requirement itself stays
on; tests of the second step use ``force_login(user, second_factor=False)``.
"""

from __future__ import annotations

import django.test
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_device(user) -> TOTPDevice:
    """``user``'s authenticator device, set up and confirmed if it was not."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def code(device: TOTPDevice) -> str:
    """The code the authenticator app shows now, or, if that one was used already, the
    next one (the device accepts one step of drift and never the same step twice)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    step = max(totp.t(), device.last_t + 1)
    totp.time = (step - device.drift) * device.step + device.t0
    return str(totp.token()).zfill(device.digits)


class Client(django.test.Client):
    def force_login(self, user, backend=None, *, second_factor: bool = True) -> None:
        super().force_login(user, backend)
        if second_factor:
            self.verify_second_factor(user)

    def login(self, **credentials) -> bool:
        """Django's ``login``, with the request django-axes needs to watch the password
        check, then the second factor."""
        if not super().login(request=HttpRequest(), **credentials):
            return False
        self.verify_second_factor(get_user_model().objects.get(pk=self.session["_auth_user_id"]))
        return True

    def verify_second_factor(self, user) -> None:
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
        session.save()
