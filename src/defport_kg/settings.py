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
    query_timeout_seconds: float = Field(30.0, description="A SPARQL query running longer is stopped and answered 503.")
    query_result_limit: int = Field(
        100_000, description="Most result rows a query returns; the answer says when it was cut."
    )
    cut_set_order3_bound: int = Field(
        200_000,
        description="Most candidate sets the order-3 cut-set search examines before it answers complete=false.",
    )
    require_keys_for_reads: bool = Field(
        False, description="When true, reading (SPARQL, risk, scale) needs an API key too."
    )
    service_allowlist: list[str] = Field(
        default_factory=list,
        description="IRIs (prefixes) that SPARQL SERVICE, LOAD and FROM may name; empty: none.",
    )


@cache
def get_settings() -> Settings:
    return Settings()
