"""The published report's files: rendered once per publication by the worker, then served.

Publishing queues :func:`render_files` in the publication's transaction; the portal serves
a stored file, and until it exists says the file is being prepared (and queues the work if
it was never queued, e.g. for a report published before files were stored).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from xxgk.core import jobs

from . import national_format as nf
from .models import AnnualReport, ReportFile

# What the portal offers to download; the page itself is the HTML.
PUBLIC_FORMATS = ("docx", "pdf", "xlsx", "json")


def stored(report: AnnualReport, fmt: str) -> ReportFile | None:
    """The file of the report's current publication in ``fmt``, if rendered."""
    if report.published_at is None:
        return None
    return ReportFile.objects.filter(report=report, fmt=fmt,
                                     published_at=report.published_at).first()


def queue_render(report: AnnualReport) -> None:
    """Queue the files of the report's current publication (once per publication)."""
    jobs.enqueue(render_files, subject=jobs.subject_of(report),
                 dedupe_key=f"report-files:{report.pk}:{report.published_at.isoformat()}",
                 report_id=report.pk)


@jobs.task(label=gettext_lazy("Rendering the published annual report's files"))
def render_files(report_id: int) -> None:
    """Render every public format of the report's current publication that is not stored
    yet; files of earlier publications are removed (the public sees the latest only)."""
    from .render import render

    report = AnnualReport.objects.get(pk=report_id)
    if report.snapshot is None or report.published_at is None:
        return
    national = nf.NationalReport.from_json_object(report.snapshot)
    for fmt in PUBLIC_FORMATS:
        if stored(report, fmt) is None:
            ReportFile.objects.get_or_create(
                report=report, fmt=fmt, published_at=report.published_at,
                defaults={"content": render(national, fmt)})
    ReportFile.objects.filter(report=report).exclude(published_at=report.published_at).delete()
