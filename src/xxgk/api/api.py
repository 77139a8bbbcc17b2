"""The one ``NinjaAPI`` of xxgk, mounted at ``/api/``.

Errors all have the shape ``{"detail": ...}``: a step the workflow refuses now
(``StepError``) is 409 with the action's message, except going too fast (the query-code
lockout, too many submissions or searches: ``TooManyRequestsError``), which is 429 with
``Retry-After``;
a permission failure is 403 with its
reason; an unknown application is 404; invalid input is 422 with ninja's field-level list;
a body that is not JSON is 400.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from xxgk.core.steps import StepError, TooManyRequestsError

from . import applications, catalog, search
from .docs import OfflineSwagger

DESCRIPTION = """\
Disclosure applications under the Regulation on Open Government Information.

**Public endpoints** need no account. An application is opened with its number and its
private query code, which are always sent in a JSON body (or, to download a document, the
code in the `X-Query-Code` header), never in a URL. A wrong number and a wrong code give the
same 404. After ten failed look-ups within 15 minutes from one address, every look-up and
download from that address is refused with 429 (Too Many Requests, with the reason and a
`Retry-After` header) for 15 minutes, even with the right code, as on the follow page. Send an
`Idempotency-Key` header (16–128 characters, e.g. a UUID) when applying, so
that a retried request returns the first application (200) instead of creating a second.

**Catalogue and annual reports** (`/api/catalog/…`, `/api/reports`) are read-only (GET) and
need no account: published items, policy documents with their validity and links, the
catalogue tree with counts, and published annual reports, exactly as the public pages show
them. Lists are newest first and paged by cursor: pass the `next` of one page as `cursor`
to get the next (`limit` 1–100).

**Staff endpoints** (`/api/staff/…`) use the Django session of a signed-in staff account (sign
in at `/staff/login/`, with the authenticator app's code where the account has or needs one:
until it is entered every staff endpoint answers 403); unsafe methods need the CSRF token in
the `X-CSRFToken` header, as the staff pages do. Staff see the agencies their roles cover; contact details are masked.

Every body is checked by the same form as the corresponding page, so both channels apply the
same rules. Files (proof of identity, released documents) are attached on the pages; the API
carries none, but the applicant downloads released documents through it.

Errors: 400 unreadable body, 401 not signed in, 403 not allowed (with the reason), 404 unknown,
409 a step the application's state does not allow now, 422 invalid fields (a list, each with
the field's location), 429 too many failed query-code look-ups, submissions or searches from
the caller's address (`Retry-After` says in how many seconds to try again).
"""

api = NinjaAPI(
    title="xxgk API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=OfflineSwagger(),
)


@api.exception_handler(StepError)
def action_refused(request: HttpRequest, exc: StepError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(TooManyRequestsError)
def too_many_requests(request: HttpRequest, exc: TooManyRequestsError) -> HttpResponse:
    """Too many failed query-code look-ups, too many submissions or searches from one
    address (the pages refuse the same): 429, with the reason and, in ``Retry-After``, the seconds to
    wait. ninja picks the handler of the most specific class, so this one wins over the
    StepError's 409."""
    response = api.create_response(request, {"detail": str(exc)}, status=429)
    response["Retry-After"] = exc.retry_after
    return response


api.add_router("/applications", applications.public, tags=["applications"])
api.add_router("/staff/applications", applications.staff, tags=["staff"])
api.add_router("/catalog", catalog.public, tags=["catalogue"])
api.add_router("/reports", catalog.reports, tags=["annual reports"])
api.add_router("/search", search.public, tags=["search"])
