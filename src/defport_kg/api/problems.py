"""RFC 9457 problem+json answers for every error (CONTRACT §5)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from defport_kg.errors import DefportError

PROBLEM_JSON = "application/problem+json"


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def install(app: FastAPI) -> None:
    @app.exception_handler(DefportError)
    async def _defport(request: Request, error: DefportError) -> JSONResponse:
        extra: dict[str, Any] = {}
        report = getattr(error, "report", None)
        if report is not None and hasattr(report, "to_json"):
            extra["report"] = report.to_json()
        return problem(error.http_status, error.title, error.message, instance=str(request.url.path), **extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in error.errors()]
        detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors)
        return problem(400, "Bad request", detail or "invalid parameters", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        titles = {
            404: "Not found",
            405: "Method not allowed",
            401: "Unauthorized",
            403: "Forbidden",
            406: "Not acceptable",
            413: "Content too large",
            415: "Unsupported media type",
        }
        response = problem(error.status_code, titles.get(error.status_code, "Error"), str(error.detail))
        if error.headers:
            response.headers.update(error.headers)
        return response
