"""Every setting of defport-kg, declared once with its default and help.

Settings come from environment variables prefixed ``DEFPORT_KG_`` (e.g. ``DEFPORT_KG_STORE``).
``tests/test_settings.py`` checks that each one is documented in the README.
"""

from __future__ import annotations

from functools import cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DEFPORT_KG_", extra="ignore")

    store: str = Field(
        "./defport-store",
        description="Store location used when --store is not given: a folder for the embedded store.",
    )
    host: str = Field("127.0.0.1", description="Address `serve` listens on.")
    port: int = Field(8000, description="Port `serve` listens on.")
    max_input_bytes: int = Field(
        200 * 1024 * 1024, description="Largest import input accepted, in bytes (larger: refused)."
    )
    max_import_triples: int = Field(5_000_000, description="Most triples one import may hold (more: refused).")
    max_report_results_per_shape: int = Field(
        100, description="Validation results listed per shape; the rest are counted."
    )
    max_template_rows: int = Field(
        200_000, description="Most data rows one template sheet or CSV file may hold (more: refused)."
    )
    max_xlsx_uncompressed_bytes: int = Field(
        100 * 1024 * 1024,
        description="Largest total unpacked size of an XLSX workbook, checked before it is opened (a zip bomb "
        "is refused unread).",
    )
    max_xlsx_compression_ratio: int = Field(
        200, description="Most an XLSX part over 1 MB may unpack relative to its packed size (more: a zip bomb)."
    )
    bulk_commit_min_triples: int = Field(
        5_000,
        description="Imports of at least this many triples are committed by bulk loading when the command "
        "line holds the store alone (crash-safe: an interrupted commit is undone when the store is next "
        "opened); smaller ones, and every import over HTTP, in one transaction.",
    )
    query_timeout_seconds: float = Field(30.0, description="A SPARQL query running longer is stopped and answered 503.")
    query_result_limit: int = Field(
        100_000, description="Most result rows a query returns; the answer says when it was cut."
    )
    cut_set_order3_bound: int = Field(
        2_000_000,
        description="Most candidate sets the order-3 cut-set search examines before it answers complete=false.",
    )
    require_keys_for_reads: bool = Field(
        False, description="When true, reading (SPARQL, risk, scale) needs an API key too."
    )
    key_cache_seconds: float = Field(
        300.0,
        description="How long a verified API key is trusted without recomputing its slow hash (0: hash every "
        "request). A revoked key is refused at once regardless.",
    )
    key_cache_size: int = Field(1024, description="Most verified API keys remembered at once (least recently used go).")
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Web origins allowed to call the API from a browser (CORS); empty: none (closed).",
    )
    service_allowlist: list[str] = Field(
        default_factory=list,
        description="IRIs (prefixes) that SPARQL SERVICE, LOAD and FROM may name; empty: none.",
    )
    query_workers: int = Field(
        0,
        description="Worker processes that run /sparql queries on an on-disk store (each reads a snapshot and is "
        "killed when its query times out); 0: one per CPU core, at least 2.",
    )
    query_max_bytes: int = Field(
        1024 * 1024, description="Largest SPARQL query text /sparql accepts, in bytes (larger: 413)."
    )
    remote_user: str | None = Field(
        None, description="User name for a remote SPARQL store's basic or digest authentication (auth=basic|digest)."
    )
    remote_password: str | None = Field(None, description="Password for a remote SPARQL store (with remote_user).")
    remote_token: str | None = Field(None, description="Bearer token for a remote SPARQL store (auth=bearer).")


@cache
def get_settings() -> Settings:
    return Settings()
