"""Published reports' files are rendered by the worker, once per publication; the portal
serves them, and says "being prepared" until they exist."""

from __future__ import annotations

from django.urls import reverse

from tests.reports.helpers import YEAR, build_year, finish_narrative
from xxgk.core import jobs
from xxgk.core.models import Job
from xxgk.reports import actions, files
from xxgk.reports.models import ReportFile


def published(world):
    build_year(world)
    report = actions.start_draft(world.education, YEAR, actor=world.ogi)
    finish_narrative(report)
    actions.approve(report, actor=world.ogi)
    return actions.publish(report, actor=world.ogi)


def url(report, fmt):
    return reverse("annual_reports:download", args=[report.agency.code, report.year, fmt])


def test_publishing_queues_the_files_and_the_portal_waits_for_them(world, client):
    report = published(world)
    assert Job.objects.filter(task="xxgk.reports.files.render_files").count() == 1
    waiting = client.get(url(report, "pdf"))
    assert waiting.status_code == 200 and "文件正在生成" in waiting.content.decode()  # "being prepared"
    assert Job.objects.filter(task="xxgk.reports.files.render_files").count() == 1
    jobs.run_pending()
    for fmt in files.PUBLIC_FORMATS:
        response = client.get(url(report, fmt))
        assert response["Content-Disposition"].startswith("attachment")
    assert client.get(url(report, "pdf")).content.startswith(b"%PDF")


def test_a_republication_gets_new_files_and_the_old_ones_go(world, client):
    report = published(world)
    jobs.run_pending()
    first = set(ReportFile.objects.values_list("published_at", flat=True))
    actions.reopen(report, reason="补录", actor=world.ogi)
    actions.approve(report, actor=world.ogi)
    report = actions.publish(report, actor=world.ogi)
    jobs.run_pending()
    assert set(ReportFile.objects.values_list("published_at", flat=True)) == {
        report.published_at} != first
    assert ReportFile.objects.count() == len(files.PUBLIC_FORMATS)


def test_an_unknown_format_is_not_found(world, client):
    report = published(world)
    assert client.get(url(report, "odt")).status_code == 404
