"""GET /api/search: organisations, items and capabilities by name (English or Dutch) or identifier.

Only translates HTTP into ``defport_kg.search.find``; the search itself (labels in any language,
exact KvK/LEI/NCAGE/NSN match) lives there so the CLI's ``find`` gives the same answers.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from defport_kg.api.deps import AUTH_ERRORS, StoreDep, error_responses, read_access
from defport_kg.search import KINDS, find, parse_kinds

router = APIRouter(tags=["search"])


class Hit(BaseModel):
    iri: str = Field(description="The thing found")
    kind: str = Field(description="organisation, item, capability, country, site or platform")
    label: str | None = Field(description="Its label in the requested language (else any)")
    match: str | None = Field(description="The label or identifier that matched")


class SearchResults(BaseModel):
    query: str
    lang: str
    kinds: list[str] = Field(description="The kinds asked for (all kinds when empty)")
    count: int
    results: list[Hit]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "query": "TNO",
                    "lang": "en",
                    "kinds": ["organisation"],
                    "count": 1,
                    "results": [
                        {
                            "iri": "https://w3id.org/defport/id/org/tno",
                            "kind": "organisation",
                            "label": "TNO",
                            "match": "TNO",
                        }
                    ],
                }
            ]
        }
    }


@router.get(
    "/api/search",
    summary="Find organisations, items and capabilities by name or identifier",
    description="A name matches when it contains `q` (case-insensitive, any language); a KvK number, LEI, "
    "NCAGE, NSN or ISO country code matches when it equals `q`. Labels are shown in `lang` when there is one. "
    "`kind` keeps only things of the given kinds (repeat it or separate kinds with commas); an unknown kind is a "
    "400 naming the valid kinds.",
    dependencies=[Depends(read_access())],
    responses=error_responses(400, *AUTH_ERRORS),
)
async def search(
    store: StoreDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description="Text in a name, or an identifier (KvK, LEI, NCAGE, NSN)",
            openapi_examples={
                "name": {"summary": "Part of a name", "value": "radar"},
                "dutch": {"summary": "A Dutch name", "value": "munitie"},
                "nsn": {"summary": "A NATO Stock Number", "value": "1005-01-123-4567"},
            },
        ),
    ],
    lang: Annotated[
        str,
        Query(
            pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
            description="Language of the labels shown (BCP 47), e.g. en or nl",
            openapi_examples={"english": {"value": "en"}, "dutch": {"value": "nl"}},
        ),
    ] = "en",
    limit: Annotated[
        int, Query(ge=1, le=200, description="Most results returned", openapi_examples={"ten": {"value": 10}})
    ] = 50,
    kind: Annotated[
        list[str] | None,
        Query(
            max_length=len(KINDS),
            description=f"Only things of these kinds: {', '.join(KINDS)} (repeatable, or comma-separated)",
            openapi_examples={
                "organisations": {"summary": "Organisations only", "value": ["organisation"]},
                "items-and-capabilities": {"summary": "Two kinds", "value": ["item,capability"]},
            },
        ),
    ] = None,
) -> SearchResults:
    kinds = parse_kinds(kind)  # checked before the store is asked: a bad kind is a 400 at once
    hits: list[dict[str, Any]] = await run_in_threadpool(lambda: find(store, q, lang=lang, limit=limit, kinds=kinds))
    return SearchResults(query=q, lang=lang, kinds=list(kinds), count=len(hits), results=[Hit(**h) for h in hits])
