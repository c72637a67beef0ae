"""The core commands: init, import, validate, query, find, serve, backup, restore, check."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from defport_kg.cli.common import (
    JsonOption,
    StoreOption,
    handle_errors,
    opened_store,
    print_json,
    store_location,
)
from defport_kg.errors import ValidationFailed


def register(app: typer.Typer) -> None:
    for command in (init, import_, validate, query, find, serve, backup, restore, check):
        name = command.__name__.rstrip("_")
        app.command(name)(command)


@handle_errors
def init(
    example: Annotated[bool, typer.Option("--example", help="Add the fictional example industrial base.")] = False,
    store: StoreOption = None,
) -> None:
    """Create the store; load ontology, shapes, reference data and the Defport partners."""
    from rich.progress import BarColumn, Progress, TextColumn

    from defport_kg.bootstrap import initialise

    with opened_store(store, create=True, command="defport-kg init") as handle:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            transient=True,
            disable=not sys.stderr.isatty(),
        ) as bar:
            task = bar.add_task("loading", total=None)

            def progress(name: str, index: int, total: int) -> None:
                bar.update(task, description=f"loading {name}", completed=index - 1, total=total)
                if not sys.stderr.isatty():
                    typer.echo(f"[{index}/{total}] {name}", err=True)

            loaded = initialise(handle, example=example, progress=progress)
        total = handle.triple_count()
    location = store_location(store)
    if loaded:
        typer.echo(f"Loaded {len(loaded)} graph(s), {sum(loaded.values())} triples, into {location}.")
    else:
        typer.echo(f"{location} is up to date: nothing to load.")
    typer.echo(f"The live data holds {total} triples.")


def _marking_option(level: str | None, releasable_to: list[str]) -> Any:
    """The --marking / --releasable-to options as a Marking (None: the default), checked against the scheme."""
    if level is None and not releasable_to:
        return None
    from defport_kg.access import Marking, Scheme
    from defport_kg.namespaces import expand
    from defport_kg.settings import get_settings

    settings = get_settings()
    scheme = Scheme.of(settings.markings)
    return Marking(scheme.level(level or settings.default_import_marking), frozenset(expand(o) for o in releasable_to))


@handle_errors
def import_(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="RDF files (.ttl .trig .nt .nq .jsonld .rdf) and steward templates (.csv, .xlsx).",
            show_default=False,
        ),
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate only; store nothing.")] = False,
    replace: Annotated[
        str | None,
        typer.Option("--replace", help="Replace the live import of this source file name (one atomic step)."),
    ] = None,
    rdf_format: Annotated[
        str | None, typer.Option("--format", help="RDF format when the extension does not tell.")
    ] = None,
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            help="Which template CSV files are, when their names do not tell: "
            "organisations, sites, items, supply or capabilities.",
        ),
    ] = None,
    report_format: Annotated[
        str, typer.Option("--report", help="Format of the validation report: text, json, turtle or csv.")
    ] = "text",
    marking: Annotated[
        str | None,
        typer.Option(
            "--marking",
            help="Who may see the import: a level of the marking scheme (setting markings; "
            "default: the setting default_import_marking).",
        ),
    ] = None,
    releasable_to: Annotated[
        list[str] | None,
        typer.Option(
            "--releasable-to",
            help="An organisation (IRI or dpid:org/...) the import is releasable to "
            "(need to know); repeat for several.",
        ),
    ] = None,
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Parse, validate against the shapes, and commit all files or nothing.

    Exit status 0 committed (or a dry run that conforms), 1 violations (nothing stored), 2
    unreadable input or usage."""
    from defport_kg.cli.imports import check_report_format, print_report, progress_display
    from defport_kg.imports import import_files

    check_report_format(report_format)
    fmt = "json" if json_output else report_format
    chosen = _marking_option(marking, releasable_to or [])
    with opened_store(store, command="defport-kg import") as handle, progress_display("import") as progress:
        try:
            # The command line holds the store alone: large batches may be bulk loaded (crash-safe).
            result = import_files(
                handle,
                files,
                fmt=rdf_format,
                template=template,
                dry_run=dry_run,
                replace=replace,
                exclusive=True,
                progress=progress,
                marking=chosen,
            )
        except ValidationFailed as failure:
            print_report(failure.report, fmt)
            typer.echo(f"Error: {failure.message}", err=True)
            raise typer.Exit(1) from None
    if json_output:
        print_json(result.to_json())
        return
    if result.report is not None and (result.report.results or report_format != "text"):
        print_report(result.report, report_format)
    for note in result.notes:
        typer.echo(f"Note: {note}", err=True)
    out = report_format == "text"  # keep a machine-readable report alone on stdout
    if result.dry_run:
        typer.echo(f"Dry run: {result.triple_count} triples conform; nothing was stored.", err=not out)
    else:
        typer.echo(
            f"Committed import {result.import_id} ({result.triple_count} triples) as {result.graph}.", err=not out
        )
        for old in result.replaced:
            typer.echo(f"Superseded {old}.", err=not out)


@handle_errors
def validate(
    files: Annotated[
        list[Path], typer.Argument(help="RDF files or steward templates (.csv, .xlsx) to validate.", show_default=False)
    ],
    output_format: Annotated[str, typer.Option("--format", help="Report format: text, json, turtle or csv.")] = "text",
    rdf_format: Annotated[
        str | None, typer.Option("--rdf-format", help="RDF format when the extension does not tell.")
    ] = None,
    template: Annotated[
        str | None,
        typer.Option("--template", help="Which template CSV files are, when their names do not tell."),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Validate only, in the context of the store's live data (as `import --dry-run`).

    Exit status 0 conforms, 1 violations, 2 unreadable input."""
    from defport_kg.cli.imports import check_report_format, print_report
    from defport_kg.imports import read_files, validate_sources

    check_report_format(output_format)
    sources = read_files(files, rdf_format=rdf_format, template=template)
    with opened_store(store, command="defport-kg validate") as handle:
        report = validate_sources(handle, sources)
    print_report(report, output_format)
    raise typer.Exit(0 if report.conforms else 1)


@handle_errors
def query(
    query_text: Annotated[
        str | None, typer.Argument(metavar="QUERY", help="Query text, a .rq file, or a named query.")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", help="table, json, csv, tsv, xml, turtle or ntriples.")
    ] = "table",
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE for a named query's parameter.")
    ] = None,
    list_queries: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
    store: StoreOption = None,
) -> None:
    """Run SPARQL over the live data."""
    from defport_kg.errors import UsageError
    from defport_kg.querying import RESULT_FORMATS, is_named_query, resolve_query_text, run_query, serialize_results

    if list_queries:
        _list_named_queries()
        return
    if query_text is None:
        raise UsageError("give a QUERY: query text, a .rq file, or a named query (see --list)")
    if output_format not in RESULT_FORMATS:
        raise UsageError(f"unknown format {output_format!r}: use one of {', '.join(RESULT_FORMATS)}")
    values = _parameter_values(param or [])
    with opened_store(store, command="defport-kg query") as handle:
        if is_named_query(query_text):
            from defport_kg.queries import run_named_query

            result = run_named_query(handle, query_text, values)
        else:
            if values:
                raise UsageError("--param is for named queries (see --list)")
            text, _origin = resolve_query_text(query_text)
            result = run_query(handle, text)
        output = serialize_results(result, output_format)
    sys.stdout.write(output if output.endswith("\n") else output + "\n")


def _parameter_values(params: list[str]) -> dict[str, str]:
    from defport_kg.errors import UsageError

    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--param {item!r}: write NAME=VALUE")
        values[key.strip()] = value
    return values


def _list_named_queries() -> None:
    from defport_kg.resources import queries_dir

    for path in sorted(queries_dir().glob("*.rq")):
        summary = next(
            (
                line.split(":", 1)[1].strip()
                for line in path.read_text(encoding="utf-8").splitlines()
                if line.startswith("#+ summary:")
            ),
            "",
        )
        typer.echo(f"{path.stem:40} {summary}")


@handle_errors
def find(
    text: Annotated[str, typer.Argument(help="A name (English or Dutch) or a KvK, LEI, NCAGE or NSN.")],
    lang: Annotated[str, typer.Option("--lang", help="Language of the labels shown: en or nl.")] = "en",
    json_output: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Search organisations, items and capabilities by name or identifier."""
    from defport_kg.search import find as search

    with opened_store(store, command="defport-kg find") as handle:
        found = search(handle, text, lang=lang)
    if json_output:
        print_json(found)
        return
    if not found:
        typer.echo(f"Nothing found for {text!r}.")
        return
    for hit in found:
        typer.echo(f"{hit['kind']:13} {hit['label']}  <{hit['iri']}>")


@handle_errors
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    tls_cert: Annotated[
        Path | None,
        typer.Option("--tls-cert", help="PEM certificate (chain) for HTTPS (default: DEFPORT_KG_TLS_CERT_FILE)."),
    ] = None,
    tls_key: Annotated[
        Path | None,
        typer.Option("--tls-key", help="PEM private key of --tls-cert (default: DEFPORT_KG_TLS_KEY_FILE)."),
    ] = None,
    proxy_headers: Annotated[
        bool | None,
        typer.Option(
            "--proxy-headers/--no-proxy-headers",
            help="Behind a reverse proxy: trust X-Forwarded-For/-Proto from --forwarded-allow-ips "
            "(default: DEFPORT_KG_PROXY_HEADERS, off).",
            show_default=False,
        ),
    ] = None,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            help="Comma-separated proxy addresses (or *) whose forwarded headers are trusted (default 127.0.0.1).",
        ),
    ] = None,
    access_log: Annotated[
        bool,
        typer.Option(
            "--access-log/--no-access-log",
            help="Log every request line (method, path with its query string, status). --no-access-log: "
            "faster, and no SPARQL query text in the log (the read audit records a hash of it).",
        ),
    ] = True,
    store: StoreOption = None,
) -> None:
    """Serve the HTTP API, the SPARQL endpoint and the web interface (HTTPS with --tls-cert and --tls-key)."""
    import uvicorn

    from defport_kg.api.app import create_app
    from defport_kg.auth import AuditLog
    from defport_kg.auth.audit import apply_retention
    from defport_kg.auth.read_audit import read_audit_for
    from defport_kg.settings import get_settings

    settings = get_settings()
    cert, key = _tls_files(tls_cert or settings.tls_cert_file, tls_key or settings.tls_key_file)
    behind_proxy = settings.proxy_headers if proxy_headers is None else proxy_headers
    trusted = forwarded_allow_ips or settings.forwarded_allow_ips
    with opened_store(store, command="defport-kg serve") as handle:
        # The retention rule at start; the running service applies it again once a day.
        apply_retention(AuditLog(handle), read_audit_for(handle, settings), settings.audit_retention_days)
        scheme = "https" if cert else "http"
        typer.echo(f"Serving {store_location(store)} on {scheme}://{host}:{port}/ (Ctrl-C stops)", err=True)
        uvicorn.run(
            create_app(handle, settings),
            host=host,
            port=port,
            log_level="info",
            ssl_certfile=cert,
            ssl_keyfile=key,
            proxy_headers=behind_proxy,
            forwarded_allow_ips=trusted,
            # uvicorn takes uvloop and httptools (dependencies) when they are installed: a C event loop
            # and HTTP parser, for /sparql's throughput (issue 7).
            access_log=access_log,
        )


def _tls_files(cert: Path | str | None, key: Path | str | None) -> tuple[str | None, str | None]:
    """Check the certificate and key before the server starts, so that a wrong file is one clear
    error (exit 2) rather than a traceback from inside uvicorn."""
    import ssl

    from defport_kg.errors import UsageError

    if cert is None and key is None:
        return None, None
    if cert is None or key is None:
        given, missing = ("--tls-cert", "--tls-key") if cert is not None else ("--tls-key", "--tls-cert")
        raise UsageError(f"{given} needs {missing} too: HTTPS needs both a certificate and its private key")
    for option, path in (("--tls-cert", Path(cert)), ("--tls-key", Path(key))):
        try:
            with path.open("rb") as file:
                file.read(1)
        except OSError as error:
            raise UsageError(f"{option} {path}: cannot read it ({error.strerror or error})") from None
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(str(cert), str(key))
    except (ssl.SSLError, ValueError) as error:
        raise UsageError(
            f"--tls-cert {cert} / --tls-key {key}: not a PEM certificate and its matching private key ({error})"
        ) from None
    return str(cert), str(key)


@handle_errors
def backup(
    target: Annotated[Path, typer.Argument(help="A new folder for the backup.")],
    store: StoreOption = None,
) -> None:
    """Write a consistent copy of the store to a new folder."""
    with opened_store(store, command="defport-kg backup") as handle:
        handle.backup(target)
    typer.echo(f"Backed up {store_location(store)} to {target}.")


@handle_errors
def restore(
    source: Annotated[Path, typer.Argument(help="A folder written by `defport-kg backup`.")],
    store: StoreOption = None,
) -> None:
    """Replace the store with a backup (the store must not be in use)."""
    from defport_kg.store import EmbeddedStore

    EmbeddedStore.restore(source, store_location(store))
    typer.echo(f"Restored {store_location(store)} from {source}.")


@handle_errors
def check(json_output: JsonOption = False, store: StoreOption = None) -> None:
    """Verify the store's integrity: live data matches its source graphs, no staging leftovers."""
    from defport_kg.imports import check_imports

    with opened_store(store, command="defport-kg check") as handle:
        problems = handle.check() + check_imports(handle)
        graphs = handle.source_graphs()
    if json_output:
        print_json({"ok": not problems, "problems": problems, "graphs": len(graphs)})
    else:
        for problem in problems:
            typer.echo(f"problem: {problem}")
        typer.echo("ok" if not problems else f"{len(problems)} problem(s)")
    raise typer.Exit(0 if not problems else 1)
