"""How an application without a confirmed receipt date is named on its pages.

An application withdrawn before the agency confirmed receipt has no receipt date and never
will: saying "not confirmed yet" there would tell the applicant (and staff) that something
is still to come.
"""

from __future__ import annotations

from django import template

from xxgk.applications.inbox import withdrawn_before_receipt as _withdrawn_before_receipt
from xxgk.applications.models import Application

register = template.Library()


@register.filter
def withdrawn_before_receipt(application: Application) -> bool:
    """True for a closed application withdrawn before its receipt was confirmed."""
    return _withdrawn_before_receipt(application)
