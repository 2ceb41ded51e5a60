"""`vetgraph sparql`: a read-only query over the union of the graphs."""

from __future__ import annotations

import click

from kg.cli.common import home_of


@click.command("sparql")
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="table for people; csv / json are the W3C SPARQL results formats.")
@click.pass_context
def sparql_command(ctx: click.Context, query: str, fmt: str) -> None:
    """Run a read-only SPARQL query (text or a .rq file) over the union of all graphs.

    The prefixes rdf rdfs xsd owl skos dcterms prov schema eli ceasn vet are predeclared.

    \b
    Example:
      vetgraph sparql "SELECT ?n WHERE { ?p eli:number ?n } LIMIT 5"
    """
    from kg.errors import QueryRefused
    from kg.query.guard import refusal
    from kg.query.sparql import read_query, run_query

    text = read_query(query)
    if refusal(text) == "update":  # the reader would call it a syntax error: say what it is
        raise QueryRefused("update", "read only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, DROP …) are refused; "
                                     "the store changes only through `vetgraph ingest`, `align` and `review`")
    click.echo(run_query(home_of(ctx).open_reader(), text, fmt).rstrip("\n"))
