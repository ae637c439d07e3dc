"""Input refused at the door, before any view, form or query sees it.

One place for what no part of QClub can take, whatever the URL:

* a request body larger than `REQUEST_MAX_BODY_BYTES` (checked on the
  declared Content-Length, before anything reads the body; the largest things
  anyone sends are a 5 MB attachment and a 2 MB import file) -> 413;
* a NUL character anywhere in the path, the query, a form field, a cookie or
  a header -> 400. PostgreSQL cannot store or compare text holding one, so a
  NUL that reached a query (`?search=%00`, `/indicatori/%00/`) was a server
  error; no person types one;
* JSON bodies with a NUL or a lone surrogate (`"\\ud800"`: valid JSON, not
  valid UTF-8) in any string or key, for the same reason, or nested deeper
  than any of our inputs (Python's parser raises RecursionError, a server
  error in DRF) -> 400;
* a query on a comune's data by someone acting for no comune
  (`tenancy.NoActiveMunicipality`, e.g. a user not yet given a comune
  opening a comune's page) -> 403 with an Italian message, not a 500.

Pages get a small Italian page (rendered without the database, as 500.html),
the API a JSON `{"detail": ...}`.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import permission_denied

from qclub.tenancy import NoActiveMunicipality

logger = logging.getLogger("django.security.request_guard")

NUL = "\x00"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RequestGuardMiddleware:
    """Put it first (after SecurityMiddleware): it needs no session, user or
    database, and what it refuses must not reach them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = _declared_length(request)
        limit = settings.REQUEST_MAX_BODY_BYTES
        if declared is None:
            return _refusal(request, 400, _("La richiesta non è valida: la sua lunghezza dichiarata non è un numero."))
        if declared > limit:
            logger.warning("request body of %s bytes refused (limit %s)", declared, limit)
            return _refusal(request, 413, _(
                "La richiesta è troppo grande: al massimo %(mb)s MB. Un file da importare può "
                "essere di 2 MB al massimo, un allegato di 5 MB."
            ) % {"mb": _megabytes(limit)})
        if where := nul_in(request):
            logger.warning("NUL character in the %s refused", where)
            return _refusal(request, 400, _(
                "La richiesta contiene un carattere non valido (il carattere nullo): "
                "controlla l'indirizzo o il testo inviato."
            ))
        if problem := json_problem(request):
            return _refusal(request, 400, problem)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NoActiveMunicipality):
            message = _(
                "Non lavori per nessun comune: questa pagina mostra i dati di un comune. "
                "Chiedi all'amministratore di QClub di assegnarti al tuo comune."
            )
            if _is_api(request):
                return JsonResponse({"detail": message}, status=403)
            return permission_denied(request, PermissionDenied(message))
        return None


def nul_in(request: HttpRequest) -> str | None:
    """Where a NUL character is in the request (for the log), or None."""
    if NUL in request.path:
        return "path"
    if _in_lists(request.GET):
        return "query"
    if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
        return "cookies"
    if any(NUL in value for key, value in request.META.items() if key.startswith("HTTP_") and isinstance(value, str)):
        return "headers"
    content_type = request.META.get("CONTENT_TYPE", "")
    if request.method == "POST" and content_type.startswith(_FORM_TYPES) and _in_lists(request.POST):
        return "form"
    return None


def _in_lists(query) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in query.lists())


def _declared_length(request: HttpRequest) -> int | None:
    raw = request.META.get("CONTENT_LENGTH") or "0"
    try:
        return max(int(raw), 0)
    except ValueError:
        return None


def _megabytes(size: int) -> str:
    text = f"{size / 1024 / 1024:.1f}".replace(".", ",")
    return text.removesuffix(",0")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _refusal(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(render_to_string("request_refused.html", {"message": message}), status=status)


JSON_MAX_DEPTH = 20  # our deepest input is a list of objects


def json_problem(request: HttpRequest) -> str | None:
    """Why a JSON body cannot be taken, or None. Checked here rather than in a
    DRF parser so that every API view is covered, whatever parsers it names
    (DRF's token view names its own). The body is read once (it is at most
    DATA_UPLOAD_MAX_MEMORY_SIZE, else Django refuses it) and DRF reads the copy."""
    if request.content_type != "application/json" and not request.content_type.endswith("+json"):
        return None
    body = request.body
    if not body:
        return None
    try:
        data = json.loads(body)
    except RecursionError:  # not a ValueError: DRF would answer 500
        return _("Il JSON inviato è annidato troppo in profondità.")
    except ValueError:
        return None  # not JSON at all: DRF says so (400)
    return _json_problem(data, depth=0, limit=JSON_MAX_DEPTH)


def _json_problem(data, *, depth: int, limit: int) -> str | None:
    if depth > limit:
        return _("Il JSON inviato è annidato troppo in profondità.")
    if isinstance(data, str):
        if NUL in data or not _encodes(data):
            return _("Il testo inviato contiene caratteri non validi (carattere nullo o non Unicode).")
        return None
    items = ()
    if isinstance(data, dict):
        items = [item for pair in data.items() for item in pair]
    elif isinstance(data, list):
        items = data
    for item in items:
        if (problem := _json_problem(item, depth=depth + 1, limit=limit)) is not None:
            return problem
    return None


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
