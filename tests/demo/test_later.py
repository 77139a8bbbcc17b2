"""On a first start (`make run`), the years between 2023 and this one are built by the
worker while the site already serves."""

from __future__ import annotations


def test_the_later_steps_are_the_years_between_and_come_last():
    from xxgk.demo import build

    assert build.first_steps() + build.later_steps() == build.STEPS
    assert build.later_steps() and all("2024" in step.label for step in build.later_steps())


def test_the_later_steps_are_queued_for_the_worker_once(db):
    from xxgk.core.models import Job
    from xxgk.demo import build

    build.queue_later(2023)
    build.queue_later(2023)
    job = Job.objects.get()
    assert job.task == "xxgk.demo.build.build_later" and job.args == {"seed": 2023}
