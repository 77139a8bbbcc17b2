"""Staff pages for policy documents (wired by xxgk.urls under /staff/catalog/policies/):
the list, a new document, its detail (validity history, links both ways, interpretations
with their deadlines, a validity change, a new interpretation) and the validity clean-up.

Thin: scope from ``agencies.access``, reads from ``policies``, changes from ``actions``. A
document outside the user's agencies does not exist for them (404). Drafting, review and
publishing of the documents and their interpretations happen on the item pages
(``catalog_staff``), as for every item.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from xxgk.agencies import access
from xxgk.core.steps import StepError
from xxgk.core.today import today
from xxgk.holidays.calendar import current_calendar
from xxgk.workbench.access import require_staff

from . import actions, policies
from .models import Interpretation, ItemState, PolicyDocument
from .policy_forms import (
    CleanupForm,
    InterpretationForm,
    PolicyDocumentForm,
    PolicyFilterForm,
    ValidityForm,
)

PAGE_SIZE = 50
# The clean-up page shows this many candidates at a time; the rest follow once these are
# dealt with (each dealt-with document leaves the list).
CLEANUP_SHOWN = 300


def item_url(pk: int) -> str:
    """The staff item page, where a draft is reviewed and published."""
    return reverse("catalog_staff:detail", args=[pk])


def _scope(request: HttpRequest) -> QuerySet[Any]:
    return access.visible_agencies(request.user)


def _visible_document(request: HttpRequest, pk: int) -> PolicyDocument:
    document = get_object_or_404(
        PolicyDocument.objects.select_related("agency", "category"), pk=pk)
    if not access.visible_agencies(request.user).filter(pk=document.agency_id).exists():
        raise Http404
    return document


def _writable_document(request: HttpRequest, pk: int) -> PolicyDocument:
    document = _visible_document(request, pk)
    if not access.may_write(request.user, document.agency):
        raise PermissionDenied
    return document


def _apply_error(form: Any, error: StepError, fields: dict[str, str] | None = None) -> None:
    field = (fields or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


def _status(request: HttpRequest, *forms: Any) -> int:
    """422 for a refused submission, so that tools (and tests) can tell it from success."""
    refused = any(form is not None and form.is_bound and form.errors for form in forms)
    return 422 if request.method == "POST" and refused else 200


@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    scope = _scope(request)
    documents = PolicyDocument.objects.filter(agency__in=scope)
    years = sorted({d.year for d in documents.dates("issued_on", "year")}, reverse=True)
    filters = PolicyFilterForm(request.GET or None, agencies=scope.order_by("path"),
                               years=years)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    if kind := chosen.get("kind"):
        documents = documents.filter(kind=kind)
    if agency := chosen.get("agency"):
        documents = documents.filter(agency=agency)
    if validity := chosen.get("validity"):
        documents = documents.filter(validity=validity)
    if year := chosen.get("year"):
        documents = documents.filter(issued_on__year=year)
    documents = documents.select_related("agency").order_by("-issued_on", "-pk")
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "catalog/policies/list.html", {
        "filters": filters, "page": page, "query": query.urlencode(),
        "may_create": access.writable_agencies(request.user).exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def policy_create(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    agencies = access.writable_agencies(request.user).order_by("path")
    if not agencies.exists():
        raise PermissionDenied
    form = PolicyDocumentForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = actions.create_policy_document(
                data["agency"], form.item_text(), kind=data["kind"],
                issued_on=data["issued_on"], actor=request.user, request=request)
        except StepError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The policy document has been drafted. Submit it "
                                        "for confidentiality review on its item page."))
            return redirect("catalog_policies:detail", pk=document.pk)
    return render(request, "catalog/policies/create.html", {"form": form},
                  status=_status(request, form))


def _render_detail(request: HttpRequest, document: PolicyDocument, *,
                   interpretation_form: InterpretationForm | None = None,
                   validity_form: ValidityForm | None = None) -> HttpResponse:
    may_write = access.may_write(request.user, document.agency)
    calendar = current_calendar(assume_weekends=True)  # read once for every interpretation
    deadline = policies.interpretation_deadline(document, calendar=calendar)
    interpretations = [
        {"item": i, "late": policies.is_late(i, calendar=calendar), "url": item_url(i.pk)}
        for i in Interpretation.objects.filter(policy=document).select_related("policy")
        .order_by("formed_on", "pk")]
    if may_write:
        interpretation_form = interpretation_form or InterpretationForm(
            initial={"formed_on": today()})
        if document.state == ItemState.PUBLISHED:
            validity_form = validity_form or ValidityForm(document=document,
                                                          initial={"changed_on": today()})
    return render(request, "catalog/policies/detail.html", {
        "document": document,
        "history": policies.validity_history(document),
        "links": policies.links(document),
        "successor": policies.successor(document),
        "deadline": deadline,
        "today": today(),
        "interpretations": interpretations,
        "item_url": item_url(document.pk),
        "may_write": may_write,
        "interpretation_form": interpretation_form if may_write else None,
        "validity_form": validity_form if may_write else None,
    }, status=_status(request, interpretation_form, validity_form))


@login_required
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    return _render_detail(request, _visible_document(request, pk))


@login_required
@require_POST
def interpretation_create(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    document = _writable_document(request, pk)
    form = InterpretationForm(request.POST)
    if form.is_valid():
        try:
            interpretation = actions.create_interpretation(
                document, form.item_text(), actor=request.user, request=request)
        except StepError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The interpretation has been drafted. Submit it for "
                                        "confidentiality review on its item page."))
            return redirect(item_url(interpretation.pk))
    return _render_detail(request, document, interpretation_form=form)


@login_required
@require_POST
def validity_change(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    document = _writable_document(request, pk)
    form = ValidityForm(request.POST, document=document)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_validity_change(
                document, on=data["changed_on"], validity=data["validity"],
                by_document=data["by_document"], note=data["note"], actor=request.user,
                request=request)
        except StepError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The change of validity has been recorded."))
            return redirect("catalog_policies:detail", pk=document.pk)
    return _render_detail(request, document, validity_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def cleanup(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    on = today()
    candidates = policies.cleanup_candidates(_scope(request).values_list("pk", flat=True), on,
                                             limit=CLEANUP_SHOWN + 1)
    more = len(candidates) > CLEANUP_SHOWN
    candidates = candidates[:CLEANUP_SHOWN]
    writable = set(access.writable_agencies(request.user).values_list("pk", flat=True))
    tickable = [c.document.pk for c in candidates if c.document.agency_id in writable]
    form = CleanupForm(request.POST or None, initial={"on": on},
                       documents=PolicyDocument.objects.filter(pk__in=tickable))
    if request.method == "POST":
        if not tickable:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                written = actions.bulk_validity(
                    list(data["documents"]), data["action"], on=data["on"],
                    reason=data["reason"], actor=request.user, request=request)
            except StepError as error:
                _apply_error(form, error)
            else:
                messages.success(request, ngettext("%(n)d document dealt with.",
                                                   "%(n)d documents dealt with.",
                                                   len(written)) % {"n": len(written)})
                return redirect("catalog_policies:cleanup")
    ticked = {str(v) for v in form["documents"].value() or ()} if form.is_bound else set()
    return render(request, "catalog/policies/cleanup.html", {
        "form": form, "candidates": candidates, "more": more, "shown": CLEANUP_SHOWN,
        "tickable": set(tickable), "ticked": ticked, "years": policies.CLEANUP_YEARS,
    }, status=_status(request, form))
