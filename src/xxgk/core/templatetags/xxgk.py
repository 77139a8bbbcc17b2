"""Template helpers shared by the portal and the workbench."""

from django import template
from django.utils.translation import get_language

from xxgk.core.labels import article_in_page_language, in_page_language

register = template.Library()


@register.filter
def localized(obj) -> str:
    """An object's English name on English pages (``name_en``), else its Chinese name."""
    if get_language() == "en" and getattr(obj, "name_en", ""):
        return obj.name_en
    return getattr(obj, "name", str(obj))


@register.filter
def label(category) -> str:
    """A legal category's label (``taxonomy.Category``) in the page's language."""
    return in_page_language(category)


@register.filter
def cited(article: str) -> str:
    """A citation of the Regulation (第三十六条第（三）项) in the page's language."""
    return article_in_page_language(article)


@register.filter
def full_label(category) -> str:
    """A category's label with the heading it is printed under (行政诉讼·复议后起诉)."""
    return in_page_language(category, with_group=True)


@register.simple_tag
def pending_jobs(obj) -> list:
    """The background jobs about ``obj`` that are not done (queued, running, failed), each
    with its label for staff: so a page can say "being prepared" or show an error."""
    from xxgk.core import jobs

    return [{"job": job, "label": jobs.label_of(job)}
            for job in jobs.for_subject(jobs.subject_of(obj))]
