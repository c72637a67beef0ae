"""The FastAPI application: one object over the same store the CLI uses."""

from __future__ import annotations

import importlib
from typing import Any

from fastapi import FastAPI

from defport_kg import __version__
from defport_kg.api import problems
from defport_kg.api.routes import health, sparql

# Route modules added by later work register themselves here when present.
_OPTIONAL_ROUTERS = (
    "defport_kg.api.routes.risk",
    "defport_kg.api.routes.scale",
    "defport_kg.api.routes.imports",
    "defport_kg.api.routes.queries",
    "defport_kg.api.routes.search",
    "defport_kg.api.routes.web",
)


def create_app(store: Any) -> FastAPI:
    app = FastAPI(
        title="defport-kg",
        version=__version__,
        description="Knowledge graph of the Dutch defence-industry ecosystem: SPARQL, risk and "
        "scale-up analyses, validated imports.",
    )
    app.state.store = store
    problems.install(app)
    app.include_router(health.router)
    app.include_router(sparql.router)
    for module_name in _OPTIONAL_ROUTERS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        app.include_router(module.router)
    return app
