"""The locked-period rule: a published report locks its agency's year, and a government's
report that covers its subtree locks the agencies below; pinned, the same answers."""

from __future__ import annotations

import datetime as dt

import pytest

from xxgk.core import periods


def _answers(world) -> dict:
    agencies = (world.district, world.education, world.finance, world.subdistrict)
    return {(a.code, year): (periods.period_locked(a, dt.date(year, 6, 30)),
                             periods.first_locked_year(a, 2023, 2026))
            for a in agencies for year in (2024, 2025)}


@pytest.mark.parametrize("covers", [False, True])
def test_pinned_locks_answer_as_the_database_does(world, covers):
    world.district.report_covers_subtree = covers
    world.district.save()
    periods.lock(world.education, 2024)
    periods.lock(world.district, 2025)
    expected = _answers(world)
    assert expected[(world.education.code, 2024)] == (True, 2024)
    assert expected[(world.finance.code, 2025)] == (covers, 2025 if covers else None)
    with periods.pinned():
        assert _answers(world) == expected
        periods.unlock(world.education, 2024)
        periods.lock(world.finance, 2024)
        inside = _answers(world)
    assert _answers(world) == inside
