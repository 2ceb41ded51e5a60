"""`vetgraph export alignment` and `export gaps`: a major's or a certificate's map, a policy's gap analysis, to a file."""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path

import click

from kg.cli.common import home_of
from kg.errors import VetgraphError

_MAJOR_CODE = re.compile(r"^\d{6}K?$")
MAP_FORMATS = ("xlsx", "csv", "case", "ctdl-asn", "json")
GAP_FORMATS = ("xlsx", "csv", "json")


def write_output(output: Path | None, data: bytes, binary: bool) -> None:
    """``data`` to ``output`` atomically (a .part file renamed), or to stdout when no file is given."""
    if output is None:
        if binary and sys.stdout.isatty():
            raise click.UsageError("an XLSX workbook is binary: give --output FILE")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    temporary = output.with_name(output.name + ".part")
    try:
        temporary.write_bytes(data)
        temporary.replace(output)
    except OSError as error:
        raise VetgraphError(f"{output}: cannot write: {error}") from error
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


@click.command("alignment")
@click.option("--major", metavar="CODE", default=None, help="A major by its code (K suffix kept).")
@click.option("--certificate", metavar="NAME", default=None, help="A certificate by its full or short name.")
@click.option("--format", "fmt", type=click.Choice(MAP_FORMATS), default="xlsx", show_default=True)
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="File to write (default stdout; XLSX needs a file).")
@click.pass_context
def export_alignment_command(ctx: click.Context, major: str | None, certificate: str | None, fmt: str,
                             output: Path | None) -> None:
    """Write the alignment map of a major (courses × certificates, industries, occupations, competencies)
    or of a certificate (the majors and courses it serves); suggestions are computed for it, no `align` needed.

    \b
    Example:
      vetgraph export alignment --major 460702 --format xlsx --output 460702.xlsx
      vetgraph export alignment --major 460702 --format case --output 460702.case.json
      vetgraph export alignment --certificate 老年照护 --format csv --output elderly.csv
    """
    if (major is None) == (certificate is None):
        raise click.UsageError("give exactly one of --major, --certificate")
    if major is not None and not _MAJOR_CODE.match(major):
        raise click.BadParameter(f"'{major}' is not a major code (6 digits, K kept: 460702, 520101K)",
                                 param_hint="--major")
    if certificate is not None and fmt in ("case", "ctdl-asn"):
        raise click.UsageError(f"--format {fmt} exports a major's profile: use --major (a certificate map: xlsx, csv, json)")
    store = home_of(ctx).open_reader()
    if major is not None:
        from kg.maps.major_map import major_map

        amap = major_map(store, major)
    else:
        from kg.maps.certificate_map import certificate_map

        amap = certificate_map(store, certificate or "")
    write_output(output, _map_bytes(amap, fmt), binary=fmt == "xlsx")
    click.echo(f"{amap.title}: {len(amap.courses)} courses × {len(amap.certificates)} certificates, "
               f"{len(amap.cells)} aligned cells" + (f" -> {output}" if output else ""), err=True)
    for note in amap.notes:
        click.echo(note, err=True)


def _map_bytes(amap: object, fmt: str) -> bytes:
    if fmt == "xlsx":
        from kg.export.xlsx import map_xlsx

        return map_xlsx(amap)  # type: ignore[arg-type]
    if fmt == "csv":
        from kg.export.sheets_csv import map_csv

        return map_csv(amap)  # type: ignore[arg-type]
    if fmt == "case":
        from kg.export.case import case_bytes

        return case_bytes(amap)  # type: ignore[arg-type]
    if fmt == "ctdl-asn":
        from kg.export.ctdl import ctdl_bytes

        return ctdl_bytes(amap)  # type: ignore[arg-type]
    from kg.export.maps_json import record_json

    return record_json(amap)  # type: ignore[arg-type]


@click.command("gaps")
@click.option("--policy", "document", metavar="DOC", required=True,
              help="The policy document: its IRI, or the path of its ingested file (relative or absolute).")
@click.option("--format", "fmt", type=click.Choice(GAP_FORMATS), default="xlsx", show_default=True)
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="File to write (default stdout; XLSX needs a file).")
@click.pass_context
def export_gaps_command(ctx: click.Context, document: str, fmt: str, output: Path | None) -> None:
    """Write the gap analysis of a policy document: each industry and field it names, its GB/T 4754 codes,
    the majors, certificates and occupations that serve it, and each zero with its reason.

    \b
    Example:
      vetgraph export gaps --policy ../shared/data/policy/000_63c5338d7d9bffda.txt --format csv --output g.csv
    """
    from kg.maps.gaps import gap_report

    report = gap_report(home_of(ctx).open_reader(), document)
    if fmt == "xlsx":
        from kg.export.xlsx import gap_xlsx

        data = gap_xlsx(report)
    elif fmt == "csv":
        from kg.export.sheets_csv import gap_csv

        data = gap_csv(report)
    else:
        from kg.export.maps_json import record_json

        data = record_json(report)
    write_output(output, data, binary=fmt == "xlsx")
    uncovered = {kind: len(report.uncovered(kind)) for kind in ("majors", "certificates", "occupations")}
    click.echo(f"{report.document.label}: {len(report.fields)} fields; with no major {uncovered['majors']}, "
               f"no certificate {uncovered['certificates']}, no occupation {uncovered['occupations']}"
               + (f" -> {output}" if output else ""), err=True)
