"""The day every actions layer acts on comes from ``core.today``, which tests can fix."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from tests.applications.helpers import received
from xxgk.applications import actions
from xxgk.core.steps import StepError, require_past
from xxgk.core.today import fixed_today, today


def test_a_fixed_day_is_the_day_every_rule_compares_with(world):
    day = dt.date(2026, 3, 2)
    with fixed_today(day), translation.override("en"):
        assert today() == day
        require_past(day, "on")
        with pytest.raises(StepError, match="future"):
            require_past(day + dt.timedelta(days=1), "on")
        application = received(world.education, dt.date(2026, 2, 27))
        with pytest.raises(StepError, match="future"):
            actions.reply(application, outcome="disclosed", legal_basis="b",
                          on=dt.date(2026, 3, 3))
        event = actions.reply(application, outcome="disclosed", legal_basis="b")
        assert event.occurred_on == day
