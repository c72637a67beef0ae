"""/api/imports: validated imports over HTTP, and the import history (CONTRACT §5).

POST takes the data as the request body, its Content-Type picking the reader (RDF media types,
``text/csv`` with ``?template=``, the XLSX media type, or a ``multipart/form-data`` upload from the
web page). The body is read with its size checked as it arrives (and the Content-Length before),
so an oversized upload is refused without being held in memory. Answers: 201 committed, 200
dry run conforms, 422 violations (nothing stored; the report is in the problem body), 400
unreadable, 413 too large, 415 unknown Content-Type.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from defport_kg.api import examples
from defport_kg.api.deps import StewardKey, read_store
from defport_kg.api.problems import problem
from defport_kg.errors import InputTooLargeError, TemplateError, UnsupportedFormatError, UsageError
from defport_kg.settings import Settings, get_settings

router = APIRouter(prefix="/api/imports", tags=["imports"])

MULTIPART = "multipart/form-data"
_DEFAULT_NAMES = {
    "text/turtle": "upload.ttl",
    "application/x-turtle": "upload.ttl",
    "application/trig": "upload.trig",
    "application/n-triples": "upload.nt",
    "text/plain": "upload.nt",
    "application/n-quads": "upload.nq",
    "application/ld+json": "upload.jsonld",
    "application/json": "upload.jsonld",
    "application/rdf+xml": "upload.rdf",
    "application/xml": "upload.rdf",
    "text/xml": "upload.rdf",
    "text/csv": "upload.csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "upload.xlsx",
}


def _user(request: Request) -> str:
    """Who imports: the API key's name (set by the access check), for the provenance record."""
    key = getattr(request.state, "api_key", None)
    return f"key:{key.name}" if key is not None else "api:anonymous"


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, refused (413) as soon as it is known to exceed ``limit``: by Content-Length, or while
    streaming (a client may send no length, or a wrong one)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            declared_size = int(declared)
        except ValueError:
            raise UsageError(f"Content-Length {declared!r} is not a number") from None
        if declared_size > limit:
            raise InputTooLargeError(
                f"the body of {declared_size} bytes exceeds the limit of {limit} bytes "
                "(setting DEFPORT_KG_MAX_INPUT_BYTES)"
            )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise InputTooLargeError(
                f"the body exceeds the limit of {limit} bytes (setting DEFPORT_KG_MAX_INPUT_BYTES)"
            )
        chunks.append(chunk)
    return b"".join(chunks)


async def _uploads(request: Request, body: bytes) -> tuple[list[tuple[bytes, str, str | None]], dict[str, str]]:
    """The files of a multipart form upload, (content, file name, part Content-Type), and its other
    fields (a web form may send ``template``, ``dry_run`` and ``replace`` as fields)."""

    async def replay() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    form = await Request(request.scope, replay).form(max_files=100, max_fields=100)
    files = []
    fields: dict[str, str] = {}
    try:
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                content = await value.read()
                files.append((content, value.filename or "upload", value.content_type))
            elif value:
                fields[name] = str(value)
    finally:
        await form.close()
    if not files:
        raise UsageError("the form holds no file: upload the data as a file field (e.g. `file`)")
    return files, fields


def _media_for(name: str, declared: str | None) -> str | None:
    """A form part's type: its file name's extension when it tells (browsers often send a generic or
    wrong type for .ttl or .nt files), else the part's own Content-Type."""
    from defport_kg.rdfio import FORMATS
    from defport_kg.templates import is_template

    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in FORMATS or is_template(name):
        return None
    base = (declared or "").split(";", 1)[0].strip().lower()
    return base or None


def _run_import(
    store: Any,
    inputs: list[tuple[bytes, str, str | None]],
    *,
    template: str | None,
    dry_run: bool,
    replace: str | None,
    user: str,
    settings: Settings,
    marking: Any = None,
    request: Request | None = None,
) -> Any:
    from defport_kg.imports import import_sources, read_bytes

    sources = [
        read_bytes(data, name, media_type=media, template=template, settings=settings) for data, name, media in inputs
    ]
    # Validated against what the importer may see (read_store): a violation must not tell of hidden data.
    context = read_store(request) if request is not None else None
    # exclusive=False: the service has readers at every moment, so every commit is one transaction.
    return import_sources(
        store,
        sources,
        dry_run=dry_run,
        user=user,
        replace=replace,
        exclusive=False,
        settings=settings,
        marking=marking,
        context=context,
    )


def _marking(request: Request, level: str | None, releasable_to: list[str]) -> Any:
    """The marking asked for, checked: a level of the scheme, and one the importer may see itself."""
    from defport_kg.access import Marking
    from defport_kg.namespaces import expand

    access = request.app.state.access
    if level is None and not releasable_to:
        return None
    marking = Marking(
        access.scheme.level(level or access.default_import_marking), frozenset(expand(o) for o in releasable_to)
    )
    clearance = access.clearance_for(getattr(request.state, "api_key", None))
    if not clearance.sees(marking, access.scheme):
        raise ForbiddenMarking(
            f"the marking {marking.describe()} is beyond this key's clearance ({clearance.describe()}): "
            "a key may only import data it may see itself"
        )
    return marking


class ForbiddenMarking(Exception):
    """An importer asked for a marking it is not cleared for."""


@router.post(
    "",
    status_code=201,
    summary="Validate and import data (RDF, CSV template, XLSX workbook)",
    responses=examples.IMPORT_CREATE,
    openapi_extra=examples.IMPORT_BODY,
)
async def create_import(
    request: Request,
    steward: StewardKey,
    dry_run: Annotated[bool, Query(description="Validate only; store nothing.")] = False,
    template: Annotated[
        str | None, Query(description="For text/csv: organisations, sites, items, supply or capabilities.")
    ] = None,
    replace: Annotated[
        str | None, Query(description="Replace the live import of this source name (atomically).")
    ] = None,
    name: Annotated[
        str | None, Query(description="The source name recorded in the provenance (default: upload.{ext}).")
    ] = None,
    marking: Annotated[
        str | None,
        Query(
            description="Who may see the import: a level of the marking scheme (default: the setting "
            "default_import_marking, e.g. defport).",
            examples=["defport"],
        ),
    ] = None,
    releasable_to: Annotated[
        list[str] | None,
        Query(
            description="Organisation IRIs (or dpid:org/...) the import is releasable to (need to know); repeatable."
        ),
    ] = None,
) -> JSONResponse:
    # auth: steward — the application's access rule for this router admits only steward and admin
    # keys to POST; a route-level `key: StewardKey` dependency can be added to this signature.
    settings: Settings = getattr(request.app.state, "settings", None) or get_settings()
    content_type = request.headers.get("content-type", "")
    base = content_type.split(";", 1)[0].strip().lower()
    if not base:
        raise UnsupportedFormatError("no Content-Type: say what the body is (e.g. text/turtle, text/csv)")
    if base != MULTIPART and base not in _DEFAULT_NAMES:
        from defport_kg.imports.sources import FORMAT_MEDIA

        known = sorted({*FORMAT_MEDIA.values(), "text/csv", _xlsx(), MULTIPART})
        raise UnsupportedFormatError(f"unsupported Content-Type {base!r}: send one of {', '.join(known)}")
    body = await _read_body(request, settings.max_input_bytes)
    if base == MULTIPART:
        uploads, fields = await _uploads(request, body)
        inputs = [(data, filename, _media_for(filename, media)) for data, filename, media in uploads]
        template = template or fields.get("template")
        replace = replace or fields.get("replace")
        dry_run = dry_run or fields.get("dry_run", "").lower() in ("true", "1", "on", "yes")
    else:
        inputs = [(body, name or _DEFAULT_NAMES[base], content_type)]
    if base == MULTIPART:
        marking = marking or fields.get("marking") or None
        releasable_to = releasable_to or [o for o in fields.get("releasable_to", "").split() if o]
    try:
        chosen = _marking(request, marking, releasable_to or [])
    except ForbiddenMarking as error:
        return problem(403, "Marking beyond clearance", str(error), instance=str(request.url.path))
    try:
        result = await run_in_threadpool(
            _run_import,
            request.app.state.store,
            inputs,
            template=template,
            dry_run=dry_run,
            replace=replace,
            user=_user(request),
            settings=settings,
            marking=chosen,
            request=request,
        )
    except TemplateError as error:
        return problem(
            400, error.title, error.message, instance=str(request.url.path), problems=error.details.get("problems", [])
        )
    answer = result.to_json()
    if result.dry_run:
        return JSONResponse(answer, status_code=200)
    return JSONResponse(answer, status_code=201, headers={"Location": f"/api/imports/{result.import_id}"})


def _xlsx() -> str:
    from defport_kg.templates import XLSX_MEDIA_TYPE

    return XLSX_MEDIA_TYPE


@router.get("", summary="The import history, oldest first", responses=examples.IMPORT_LIST)
def list_imports(request: Request, live: Annotated[bool, Query(description="Only live imports.")] = False) -> Any:
    from defport_kg.imports import list_imports as history

    records = history(read_store(request))
    return {"imports": [r.to_json() for r in records if not live or r.status_name == "live"]}


@router.get("/{import_id}", summary="One import's provenance and status", responses=examples.IMPORT_SHOW)
def show_import(request: Request, import_id: str) -> Any:
    from defport_kg.imports import show

    return show(read_store(request), import_id)


@router.get(
    "/{import_id}/diff/{other}",
    summary="What the second import adds to and removes from the first",
    responses=examples.IMPORT_DIFF,
)
def diff_imports(
    request: Request,
    import_id: str,
    other: str,
    limit: Annotated[int, Query(ge=0, le=100_000, description="Most statements listed each way.")] = 1000,
) -> Any:
    from defport_kg.imports import diff

    return diff(read_store(request), import_id, other, limit=limit)


@router.post(
    "/{import_id}/rollback",
    summary="Roll back a live import (the version it replaced is live again)",
    responses=examples.IMPORT_ROLLBACK,
)
def rollback_import(request: Request, steward: StewardKey, import_id: str) -> Any:
    # auth: steward — as for POST /api/imports.
    from defport_kg.imports import rollback, show

    visible = read_store(request)
    show(visible, import_id)  # an import the steward may not see is unknown to it (404)
    # A rollback makes live again the versions the import replaced: all of them must be ones this
    # steward may see, or the answer (and a failed revalidation's report) would speak of hidden data.
    seen = {record["graph"] for record in (r.to_json() for r in _history(visible))}
    replaced = show(request.app.state.store, import_id).get("revision_of", [])
    if any(_graph_of(old) not in seen for old in replaced):
        return problem(
            403,
            "Rollback beyond clearance",
            "rolling this import back would make live again an earlier version that this key may not see: "
            "a key cleared for it must roll it back",
            instance=str(request.url.path),
        )
    return rollback(request.app.state.store, import_id, user=_user(request)).to_json()


def _history(store: Any) -> list[Any]:
    from defport_kg.imports import list_imports

    return list_imports(store)


def _graph_of(import_id: str) -> str:
    from defport_kg.namespaces import IMPORT_PREFIX

    return import_id if import_id.startswith("http") else IMPORT_PREFIX + import_id
