"""Template helpers shared by the portal and the workbench."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized(obj) -> str:
    """An object's English name on English pages (``name_en``), else its Chinese name."""
    if get_language() == "en" and getattr(obj, "name_en", ""):
        return obj.name_en
    return getattr(obj, "name", str(obj))


@register.simple_tag
def pending_jobs(obj) -> list:
    """The background jobs about ``obj`` that are not done (queued, running, failed), each
    with its label for staff: so a page can say "being prepared" or show an error."""
    from xxgk.core import jobs

    return [{"job": job, "label": jobs.label_of(job)}
            for job in jobs.for_subject(jobs.subject_of(obj))]
