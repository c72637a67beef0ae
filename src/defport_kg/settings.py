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
    query_cache_mb: int = Field(
        64,
        ge=0,
        description="Memory for answers of repeated /sparql queries, kept until the next commit "
        "(0: no result cache; embedded stores only). Queries with SERVICE, RAND, NOW, UUID, STRUUID or "
        "BNODE are never cached.",
    )
    cut_set_order3_bound: int = Field(
        2_000_000,
        description="Most candidate sets the order-3 cut-set search examines before it answers complete=false.",
    )
    require_keys_for_reads: bool = Field(
        False, description="When true, reading (SPARQL, risk, scale) needs an API key too."
    )
    markings: list[str] = Field(
        default_factory=lambda: ["public", "defport", "restricted"],
        description="The marking scheme, lowest first: every source graph carries one of these levels and a key "
        "cleared for a level sees that level and the ones below it. The lowest is for anyone.",
    )
    default_import_marking: str = Field(
        "defport",
        description="Marking of an import that names none (the shipped ontology, reference and example data are "
        "always the lowest level).",
    )
    anonymous_clearance: str = Field(
        "public", description="What a request without an API key may see: a level of the marking scheme."
    )
    default_key_clearance: str = Field(
        "defport", description="Clearance of a new API key made without --clearance: a level of the marking scheme."
    )
    access_view_cache_size: int = Field(
        8,
        description="Most per-clearance views of the data kept at once (each a copy of what that clearance may "
        "see, made at its first read after a change it can see; least recently used go).",
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
    query_worker_memory_mb: int = Field(
        4096,
        ge=0,
        description="Address space each SPARQL query worker may use, in MB (RLIMIT_AS, set as it starts; an idle "
        "worker takes about 600): a query that needs more ends its worker alone, is answered 500 and the worker "
        "is replaced; 0: no limit.",
    )
    query_memory_copy_triples: int = Field(
        2_000_000,
        ge=0,
        description="Largest live data, in triples, each SPARQL query worker also copies into memory (built in "
        "the background when it starts reading a newer database (after a commit), 10-15 µs per triple; then "
        "~0.5 KB per triple; joins run 4-5x faster there): queries on the default dataset that name no graph "
        "read the copy once it is complete. Only built within 75 % of query_worker_memory_mb (at 4096 MB: "
        "~1.4M triples); 0: never copy.",
    )
    query_max_bytes: int = Field(
        1024 * 1024, description="Largest SPARQL query text /sparql accepts, in bytes (larger: 413)."
    )
    remote_refresh_seconds: float = Field(
        10.0,
        ge=0,
        description="With a remote store, which other clients may write too: how old the catalogue of source "
        "graphs may get before a read checks it again, so that access views (callers below the highest "
        "clearance) show another client's import or rollback within this time (0: check on every read).",
    )
    remote_user: str | None = Field(
        None, description="User name for a remote SPARQL store's basic or digest authentication (auth=basic|digest)."
    )
    remote_password: str | None = Field(None, description="Password for a remote SPARQL store (with remote_user).")
    remote_token: str | None = Field(None, description="Bearer token for a remote SPARQL store (auth=bearer).")
    read_audit: bool = Field(
        True,
        description="Record every read (route, key, client, query hash, graphs touched) in the read audit "
        "(`GET /api/audit/reads`, `defport-kg audit reads`).",
    )
    read_audit_dir: str | None = Field(
        None,
        description="Folder for the read-audit files (`reads-YYYY-MM-DD.jsonl`, one per UTC day); default: "
        "`audit/` in the store folder. A store without a folder (in memory, remote) keeps the latest reads in "
        "memory only unless this is set.",
    )
    audit_retention_days: int = Field(
        365,
        ge=0,
        description="Audit events (reads, writes, refusals, key changes) older than this many days are deleted "
        "at `serve` start, once a day while serving, and by `defport-kg audit prune`; 0: keep forever.",
    )
    tls_cert_file: str | None = Field(
        None, description="PEM certificate (chain) `serve` uses for HTTPS; give tls_key_file too."
    )
    tls_key_file: str | None = Field(None, description="PEM private key of tls_cert_file; give both or neither.")
    proxy_headers: bool = Field(
        False,
        description="Behind a reverse proxy: take the client address and scheme from X-Forwarded-For / "
        "X-Forwarded-Proto, but only from the addresses in forwarded_allow_ips.",
    )
    forwarded_allow_ips: str = Field(
        "127.0.0.1",
        description="Comma-separated addresses (or `*`) of the reverse proxies whose forwarded headers are trusted "
        "when proxy_headers is on.",
    )


@cache
def get_settings() -> Settings:
    return Settings()
