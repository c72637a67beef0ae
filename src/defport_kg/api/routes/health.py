"""GET /health: 200 when the store answers a query."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["service"])


@router.get("/health", summary="Whether the store answers")
def health(request: Request) -> JSONResponse:
    store = request.app.state.store
    try:
        triples = store.triple_count()
    except Exception as error:  # the store itself failed: report it, do not crash
        return JSONResponse({"status": "error", "detail": str(error)}, status_code=503)
    return JSONResponse({"status": "ok", "store": store.kind, "triples": triples})
