"""How long a look-up or a submission must wait: growing delays after failed query-code
look-ups, and a cap on the applications one address submits in an hour.

Pure Python: no Django import. Two counts are kept (from the audit log, so across app
servers) over the last :data:`MEMORY`:

- **per address**: after :data:`ADDRESS_ALLOWED` failures from one address, it waits
  :data:`ADDRESS_FIRST_WAIT` after its last failure, and each failure after a wait doubles the
  next one, up to :data:`ADDRESS_MAX_WAIT`. Guessing from one place stops quickly.
- **per application number**: many failures on one number from many addresses slow every
  look-up of that number, but never for more than :data:`NUMBER_MAX_WAIT`: a stranger who
  guesses at someone's number can make its applicant wait a minute, never lock them out.
  (A query code has 10 characters of 32: spread over a million addresses, guessing still
  gets nowhere, so a short bound costs nothing.)
"""

from __future__ import annotations

import datetime as dt

MEMORY = dt.timedelta(hours=24)
ADDRESS_ALLOWED = 10
ADDRESS_FIRST_WAIT = dt.timedelta(minutes=15)
ADDRESS_MAX_WAIT = dt.timedelta(hours=24)
NUMBER_ALLOWED = 20
NUMBER_FIRST_WAIT = dt.timedelta(seconds=1)
NUMBER_MAX_WAIT = dt.timedelta(minutes=1)
# Public submissions from one address (a household, an office behind one address) allowed
# within the window by default (``XXGK_SUBMISSIONS_PER_HOUR``): far above what anyone applies
# for by hand, far below what floods an inbox.
SUBMISSIONS_ALLOWED = 20
SUBMISSION_WINDOW = dt.timedelta(hours=1)
_NONE = dt.timedelta(0)


def wait(failures: int, last: dt.datetime | None, now: dt.datetime, *, allowed: int,
         first: dt.timedelta, cap: dt.timedelta) -> dt.timedelta:
    """The wait left at ``now`` after ``failures`` failures, the last at ``last``: none
    below ``allowed``, then ``first`` doubled for each failure beyond, at most ``cap``."""
    if failures < allowed or last is None:
        return _NONE
    doublings = min(failures - allowed, 40)  # 2**40 × a second is far past any cap
    full = dt.timedelta(seconds=min(first.total_seconds() * 2 ** doublings,
                                    cap.total_seconds()))
    return max(full - (now - last), _NONE)


def address_wait(failures: int, last: dt.datetime | None, now: dt.datetime) -> dt.timedelta:
    return wait(failures, last, now, allowed=ADDRESS_ALLOWED, first=ADDRESS_FIRST_WAIT,
                cap=ADDRESS_MAX_WAIT)


def number_wait(failures: int, last: dt.datetime | None, now: dt.datetime) -> dt.timedelta:
    return wait(failures, last, now, allowed=NUMBER_ALLOWED, first=NUMBER_FIRST_WAIT,
                cap=NUMBER_MAX_WAIT)


def submission_wait(submitted: int, oldest: dt.datetime | None, now: dt.datetime,
                    allowed: int = SUBMISSIONS_ALLOWED) -> dt.timedelta:
    """The wait before one more public submission from an address that has ``submitted``
    within the window, the oldest of them at ``oldest``: until that one leaves the window.
    ``allowed`` 0 is no limit."""
    if allowed <= 0 or submitted < allowed or oldest is None:
        return _NONE
    return max(oldest + SUBMISSION_WINDOW - now, _NONE)
