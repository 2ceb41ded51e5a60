"""`vetgraph serve`: a SPARQL 1.1 Protocol endpoint over the home's store."""

from __future__ import annotations

import signal
from types import FrameType

import click

from kg.cli.common import home_of


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; keep it local and put a proxy in front for anything public.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port to listen on (0: any free port; the URL is printed).")
@click.option("--allow-updates", is_flag=True, help="Accept SPARQL updates (refused with 403 without it).")
@click.option("--cors", "cors_origin", metavar="ORIGIN", default=None,
              help="Send CORS headers allowing ORIGIN (or *); none are sent without it.")
@click.option("--workers", type=click.IntRange(1, 16), default=2, show_default=True,
              help="Query worker processes kept warm (queries beyond them wait).")
@click.pass_context
def serve_command(ctx: click.Context, host: str, port: int, allow_updates: bool, cors_origin: str | None,
                  workers: int) -> None:
    """Serve the store as a read-only SPARQL endpoint at /sparql (unauthenticated: bind to localhost).

    Queries run over the last published snapshot, so an ingest beside the server is never waited
    for and shows at the next query. Time and row limits: $VETGRAPH_QUERY_TIMEOUT, $VETGRAPH_ROW_LIMIT.

    \b
    Example:
      vetgraph serve --port 7878
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s a vet:Major } LIMIT 3' http://127.0.0.1:7878/sparql
    """
    from kg.query.limits import QueryLimits
    from kg.serve.endpoint import EndpointSettings, make_server

    settings = EndpointSettings(allow_updates=allow_updates, cors_origin=cors_origin, limits=QueryLimits.from_env())
    server = make_server(home_of(ctx), settings, host=host, port=port, workers=workers)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    mode = "updates allowed" if allow_updates else "read only"
    try:
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)  # also where SIGINT was ignored (started in the background)
        click.echo(f"VETgraph SPARQL endpoint at {server.url} ({mode}; Ctrl-C stops it)")
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.runner.close()
    click.echo("stopped")
