"""Staff pages of the catalogue (the workbench): the item list with the Art. 26 due and
late views, drafting, an item's page with its review steps and history, the review queue,
and the catalogue tree for the OGI office.

Thin: scope and roles from ``agencies.access`` (and ``actions.may_review``), reads from
``worklist.py``, and every change through exactly one function of ``actions.py`` per form;
a refused step (``StepError``) is shown on the field it names, with status 422. An item
outside the account's agencies does not exist for it (404).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xxgk.agencies import access
from xxgk.core.steps import StepError
from xxgk.core.today import today
from xxgk.holidays.calendar import current_calendar
from xxgk.workbench.access import require_staff

from . import actions, worklist
from . import forms as cf
from .models import Category, InfoItem, Interpretation, ItemState, ItemVersion, PolicyDocument

PAGE_SIZE = 50


def _apply_error(form: Any, error: StepError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _status(request: HttpRequest, *forms: Any) -> int:
    """422 for a refused submission, so that tools (and tests) can tell it from success."""
    refused = any(form is not None and form.is_bound and form.errors for form in forms)
    return 422 if request.method == "POST" and refused else 200


# ---- The item list ---------------------------------------------------------------------------

@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    scope = access.visible_agencies(request.user)
    filters = cf.FilterForm(request.GET or None, agencies=scope.order_by("path"))
    chosen = filters.filters()
    day, within = today(), chosen["within"]
    items = InfoItem.objects.filter(agency__in=scope)
    if agency := chosen.get("agency"):
        items = items.filter(agency__path__startswith=agency.path)
    if category := chosen.get("category"):
        items = items.filter(category=category)
    counts = {"due": worklist.due(items, day, within).count(),
              "late": worklist.late(items, day).count()}
    if query := chosen.get("q"):
        items = items.filter(_text_match(query))
    if state := chosen.get("state"):
        items = items.filter(state=state)
    order: tuple[str, ...] = ("-pk",)
    if chosen.get("deadline") == "due":
        items, order = worklist.due(items, day, within), ("publish_by", "pk")
    elif chosen.get("deadline") == "late":
        items, order = worklist.late(items, day), ("publish_by", "pk")
    page = worklist.item_page(items, order, request.GET.get("page"), PAGE_SIZE)
    calendar = current_calendar(assume_weekends=True)
    rows = [(item, worklist.deadline(item, day, within, calendar)) for item in page.object_list]
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(request, "catalog/staff/list.html", {
        "filters": filters, "page": page, "rows": rows, "query": query_string.urlencode(),
        "counts": counts, "within": within, "deadline": chosen.get("deadline", ""),
        "may_create": access.writable_agencies(request.user).exists(),
        "may_review": access.visible_agencies(request.user,
                                              roles=actions.REVIEWER_ROLES).exists(),
        "is_ogi_office": access.is_ogi_office(request.user),
    })


def _text_match(query: str) -> Q:
    return (Q(title__icontains=query) | Q(index_no__icontains=query)
            | Q(doc_no__icontains=query))


# ---- Drafting --------------------------------------------------------------------------------

def _write_draft(form: cf.ItemForm, request: HttpRequest, item: InfoItem | None) -> InfoItem:
    """Create or rewrite the draft and attach its files in one transaction: a refused
    file or field leaves nothing written."""
    with transaction.atomic():
        if item is None:
            item = actions.create_item(form.cleaned_data["agency"], form.text(),
                                       actor=request.user, request=request)
        else:
            item = actions.update_draft(item, form.text(), actor=request.user, request=request)
        for checked in form.checked_files:
            actions.add_attachment(item, checked, actor=request.user, request=request)
    return item


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    agencies = access.writable_agencies(request.user).order_by("path")
    if not agencies.exists():
        raise PermissionDenied
    form = cf.ItemForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            item = _write_draft(form, request, None)
        except StepError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The draft has been saved as %(index)s.")
                             % {"index": item.index_no})
            return redirect("catalog_staff:detail", pk=item.pk)
    return render(request, "catalog/staff/edit.html", {
        "form": form, "item": None, "files_lost": bool(request.FILES) and form.errors,
    }, status=_status(request, form))


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    item = worklist.staff_item(request.user, pk)
    if not access.may_write(request.user, item.agency):
        raise PermissionDenied
    if item.state != ItemState.DRAFT:
        messages.error(request, _("Only a draft can be edited; correct a published item "
                                  "with a new version."))
        return redirect("catalog_staff:detail", pk=item.pk)
    form = cf.ItemForm(request.POST or None, request.FILES or None, item=item,
                       initial=cf.ItemForm.initial_for(item))
    if request.method == "POST" and form.is_valid():
        try:
            _write_draft(form, request, item)
        except StepError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The draft has been saved."))
            return redirect("catalog_staff:detail", pk=item.pk)
    return render(request, "catalog/staff/edit.html", {
        "form": form, "item": item, "files_lost": bool(request.FILES) and form.errors,
        "attachments": item.attachments.defer("content"),
    }, status=_status(request, form))


# ---- An item's page and its steps -------------------------------------------------------------

@dataclass(frozen=True)
class Situation:
    """What the account may do to the item now."""

    item: InfoItem
    user_id: int | None
    writer: bool
    # A reviewer of the agency who neither wrote nor submitted the item.
    reviewer: bool
    pending: ItemVersion | None

    @property
    def reviews_correction(self) -> bool:
        """Nobody reviews a correction they proposed, either."""
        return (self.pending is not None and self.reviewer
                and self.pending.made_by_id != self.user_id)


@dataclass(frozen=True)
class Step:
    name: str
    form: type[cf.StaffForm]
    offered: Callable[[Situation], bool]
    run: Callable[[Situation, Any, HttpRequest], str]


def _situation(request: HttpRequest, item: InfoItem) -> Situation:
    return Situation(item=item, user_id=request.user.pk,
                     writer=access.may_write(request.user, item.agency),
                     reviewer=actions.may_review(request.user, item),
                     pending=worklist.pending_correction(item))


def _submit(s: Situation, form: Any, request: HttpRequest) -> str:
    actions.submit(s.item, actor=request.user, request=request)
    return _("The item is in confidentiality review.")


def _publish(s: Situation, form: Any, request: HttpRequest) -> str:
    item = actions.publish(s.item, form.cleaned_data["published_on"], actor=request.user,
                           request=request)
    return _("The item is published (%(day)s).") % {"day": item.published_on.isoformat()}


def _return(s: Situation, form: Any, request: HttpRequest) -> str:
    actions.return_to_drafter(s.item, form.cleaned_data["comment"], actor=request.user,
                              request=request)
    return _("The item has been returned to the drafter.")


def _withdraw(s: Situation, form: Any, request: HttpRequest) -> str:
    actions.withdraw(s.item, form.cleaned_data["reason"], actor=request.user, request=request)
    return _("The item has been withdrawn from the public pages.")


def _channels(s: Situation, form: Any, request: HttpRequest) -> str:
    actions.set_channels(s.item, tuple(form.cleaned_data["channels"]), actor=request.user,
                         request=request)
    return _("The channels have been saved.")


def _review_correction(s: Situation, form: Any, request: HttpRequest) -> str:
    if s.pending is None:
        raise StepError(_("The correction is not in review."))
    approve = form.cleaned_data["decision"] == "approve"
    actions.review_correction(s.pending, approve=approve, comment=form.cleaned_data["comment"],
                              actor=request.user, request=request)
    return (_("The correction is published.") if approve
            else _("The correction has been returned."))


DRAFT, REVIEW, PUBLISHED = ItemState.DRAFT, ItemState.REVIEW, ItemState.PUBLISHED
STEPS: tuple[Step, ...] = (
    Step("submit", cf.SubmitForm,
         lambda s: s.writer and s.item.state == DRAFT and s.item.attribute == "proactive",
         _submit),
    Step("publish", cf.PublishForm, lambda s: s.reviewer and s.item.state == REVIEW, _publish),
    Step("return", cf.ReturnForm, lambda s: s.reviewer and s.item.state == REVIEW, _return),
    Step("review_correction", cf.ReviewCorrectionForm, lambda s: s.reviews_correction,
         _review_correction),
    Step("withdraw", cf.WithdrawForm, lambda s: s.writer and s.item.state == PUBLISHED,
         _withdraw),
    Step("channels", cf.ChannelsForm, lambda s: s.writer, _channels),
)
STEP_NAMES = {step.name: step for step in STEPS}


def _step_form(step: Step, situation: Situation, data: Any = None) -> Any:
    initial = None
    if step.name == "channels":
        initial = {"channels": list(situation.item.channels.values_list("channel", flat=True))}
    return step.form(data, prefix=step.name, initial=initial)


def _detail(request: HttpRequest, item: InfoItem, bound: tuple[str, Any] | None = None
            ) -> HttpResponse:
    situation = _situation(request, item)
    forms = {}
    for step in STEPS:
        if step.offered(situation):
            forms[step.name] = (bound[1] if bound and bound[0] == step.name
                                else _step_form(step, situation))
    item_versions = worklist.versions(item)
    contents = [c for v in item_versions for c in (v.content, v.previous)]
    categories = worklist.categories_in(contents)
    history = [{"version": v,
                "content": worklist.content_rows(v.content, categories),
                "previous": worklist.content_rows(v.previous, categories)}
               for v in item_versions]
    entries = [(entry, worklist.ACTION_LABELS.get(entry.action, entry.action),
                worklist.audit_details(entry)) for entry in worklist.audit_entries(item)]
    reviewer_role = access.has_role(request.user, item.agency, *actions.REVIEWER_ROLES)
    context = {
        "item": item, "situation": situation, "forms": forms,
        "deadline": worklist.deadline(item, today(), cf.FilterForm.default_within()),
        "attachments": item.attachments.defer("content"),
        "channels": item.channels.all(),
        "history": history, "entries": entries,
        "own_draft": reviewer_role and not situation.reviewer and item.state == REVIEW,
        "may_correct": (situation.writer and item.state == PUBLISHED
                        and situation.pending is None),
        "may_edit": situation.writer and item.state == DRAFT,
        "policy": item if isinstance(item, PolicyDocument) else None,
        "interpretation": item if isinstance(item, Interpretation) else None,
        "policy_link": (reverse("catalog_policies:detail", args=[item.pk]) if isinstance(item, PolicyDocument)
                        else ""),
        "interpretations": (item.interpretations.order_by("pk")
                            if isinstance(item, PolicyDocument) else ()),
    }
    status = 422 if bound and bound[1].errors else 200
    return render(request, "catalog/staff/detail.html", context, status=status)


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    return _detail(request, worklist.staff_item(request.user, pk))


@login_required
@require_POST
def item_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    require_staff(request)
    item = worklist.staff_item(request.user, pk)
    if step not in STEP_NAMES:
        raise Http404
    chosen = STEP_NAMES[step]
    situation = _situation(request, item)
    if not chosen.offered(situation):
        # The page did not offer it (someone else acted first, or the role is missing):
        # say so on the page rather than try a step the action would refuse anyway.
        messages.error(request, _("That step is not open to you on this item now."))
        return redirect("catalog_staff:detail", pk=item.pk)
    form = _step_form(chosen, situation, request.POST)
    if form.is_valid():
        try:
            message = chosen.run(situation, form, request)
        except StepError as error:
            _apply_error(form, error)
        else:
            messages.success(request, message)
            return redirect("catalog_staff:detail", pk=item.pk)
    return _detail(request, item, bound=(step, form))


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    require_staff(request)
    item = worklist.staff_item(request.user, pk)
    attachment = get_object_or_404(item.attachments.defer("content"), pk=attachment_pk)
    try:
        actions.remove_attachment(attachment, actor=request.user, request=request)
    except StepError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s has been removed.") % {"name": attachment.name})
    return redirect("catalog_staff:edit" if item.state == DRAFT else "catalog_staff:detail",
                    pk=item.pk)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    require_staff(request)
    item = worklist.staff_item(request.user, pk)
    attachment = get_object_or_404(item.attachments, pk=attachment_pk)
    response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.name)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def item_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose a corrected version of a published item (prefilled with its content)."""
    require_staff(request)
    item = worklist.staff_item(request.user, pk)
    if not access.may_write(request.user, item.agency):
        raise PermissionDenied
    if item.state != PUBLISHED or worklist.pending_correction(item) is not None:
        messages.error(request, _("Only a published item without a correction in review is "
                                  "corrected."))
        return redirect("catalog_staff:detail", pk=item.pk)
    form = cf.CorrectionForm(request.POST or None, item=item,
                             initial=cf.CorrectionForm.initial_for(item))
    if request.method == "POST" and form.is_valid():
        try:
            version = actions.propose_correction(item, form.text(), form.cleaned_data["reason"],
                                                 actor=request.user, request=request)
        except StepError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Version %(n)d is in confidentiality review; the "
                                        "published version stays up until it is approved.")
                             % {"n": version.number})
            return redirect("catalog_staff:detail", pk=item.pk)
    return render(request, "catalog/staff/correct.html", {"form": form, "item": item},
                  status=_status(request, form))


# ---- The review queue ------------------------------------------------------------------------

@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    items, versions = worklist.review_queue(request.user)
    day = today()
    calendar = current_calendar(assume_weekends=True)
    within = cf.FilterForm.default_within()
    return render(request, "catalog/staff/review.html", {
        "rows": [(item, worklist.deadline(item, day, within, calendar)) for item in items[:500]],
        "versions": versions[:500], "n_items": items.count(), "n_versions": versions.count(),
        "is_ogi_office": access.is_ogi_office(request.user),
    })


# ---- The catalogue tree (the OGI office) --------------------------------------------------------

def _require_ogi(request: HttpRequest) -> None:
    require_staff(request)
    if not access.is_ogi_office(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def tree(request: HttpRequest) -> HttpResponse:
    _require_ogi(request)
    form = cf.NewNodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            node = actions.create_category(data["branch"], data["code"], form.category_text(),
                                           parent=data["parent"], actor=request.user,
                                           request=request)
        except StepError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("%(name)s has been added to the catalogue.")
                             % {"name": node.name})
            return redirect("catalog_staff:tree")
    return render(request, "catalog/staff/tree.html", {
        "branches": worklist.tree(), "form": form,
    }, status=_status(request, form))


@login_required
@require_POST
def tree_node_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    """The up and down buttons of the tree page."""
    _require_ogi(request)
    node = get_object_or_404(Category, pk=pk)
    try:
        moved = actions.move_category(node, direction, actor=request.user, request=request)
    except StepError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s has been moved.") % {"name": moved.name})
    return redirect(f"{reverse('catalog_staff:tree')}#node-{node.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def tree_node(request: HttpRequest, pk: int) -> HttpResponse:
    _require_ogi(request)
    node = get_object_or_404(Category.objects.select_related("parent"), pk=pk)
    form = cf.EditNodeForm(request.POST or None, initial={
        "name": node.name, "name_en": node.name_en, "article": node.article,
        "position": node.position, "is_active": node.is_active})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_category(node, form.category_text(),
                                    is_active=form.cleaned_data["is_active"],
                                    actor=request.user, request=request)
        except StepError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The node has been saved."))
            return redirect("catalog_staff:tree")
    return render(request, "catalog/staff/node.html", {
        "node": node, "form": form, "items": node.items.count(),
    }, status=_status(request, form))
