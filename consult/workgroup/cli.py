"""`flask --app consult export …`, `analyse …` and `send-digests`."""
from __future__ import annotations

import os
import sys
import tempfile
import time

import click
from flask import Flask

from ..i18n import LANGUAGES
from ..services import exports, feedback

MESSAGES = {
    ("section", "unknown"): "There is no section {value} in this consultation.",
    ("subgroup", "unknown"): "There is no subgroup with id {value} in this consultation.",
    ("since", "format"): "--since must be a date as YYYY-MM-DD, for example 2014-03-21 (got {value!r}).",
    ("format", "unknown"): "The format must be one of: csv, xlsx, docx, json.",
}


def run_export(slug: str, fmt: str, output: str, section, subgroup, since, lang: str, all_statuses: bool,
               supports_as_rows: bool = False) -> int:
    """Writes the export to `output` (via a temporary file, so a failure leaves no file); returns the row count."""
    consultation = feedback.consultation_by_slug(slug)
    if consultation is None:
        raise click.UsageError(f"There is no consultation with the slug {slug!r}.")
    try:
        exports.check_format(fmt)
        scope = exports.make_scope(consultation, section=section, subgroup=subgroup, since=since,
                                   all_statuses=all_statuses)
    except exports.ExportRefused as refused:
        value = {"section": section, "subgroup": subgroup, "since": since, "format": fmt}[refused.field]
        raise click.UsageError(MESSAGES[(refused.field, refused.code)].format(value=value)) from None
    exporter = exports.Exporter(scope, lang)
    total = exporter.count()
    directory = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(directory):
        raise click.UsageError(f"The folder {directory} does not exist.")
    handle, temporary = tempfile.mkstemp(prefix=".export-", dir=directory)
    try:
        with os.fdopen(handle, "wb") as target, click.progressbar(length=total, label=f"Exporting {fmt.upper()}",
                                                                  file=sys.stderr) as bar:
            exports.write_export(scope, fmt, lang, target, progress=bar.update, supports_as_rows=supports_as_rows)
        os.replace(temporary, output)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return total


def register_workgroup_commands(app: Flask) -> None:
    @app.cli.command("export")
    @click.option("--consultation", "slug", required=True, help="The consultation's slug.")
    @click.option("--format", "fmt", required=True, type=click.Choice(exports.FORMATS), help="File format.")
    @click.option("--output", required=True, type=click.Path(dir_okay=False), help="Where to write the file.")
    @click.option("--section", type=int, default=None, help="Only this section (its number).")
    @click.option("--subgroup", type=int, default=None, help="Only this subgroup (its id).")
    @click.option("--since", default=None, metavar="YYYY-MM-DD", help="Only items from this date on (Riga time).")
    @click.option("--lang", type=click.Choice(LANGUAGES), default="lv", show_default=True,
                  help="Language of the headers and labels.")
    @click.option("--all-statuses", is_flag=True, help="Also items that are not published (pending, rejected …).")
    @click.option("--supports-as-rows", is_flag=True,
                  help="DOCX: list supporting comments without a proposal as rows (otherwise one count per point).")
    def export_command(slug, fmt, output, section, subgroup, since, lang, all_statuses, supports_as_rows):
        """Export a consultation's feedback as CSV, XLSX, DOCX (the izziņa) or JSON."""
        started = time.perf_counter()
        rows = run_export(slug, fmt, output, section, subgroup, since, lang, all_statuses, supports_as_rows)
        click.echo(f"Wrote {rows} item(s) to {output} in {time.perf_counter() - started:.1f} s.")

    @app.cli.command("analyse")
    @click.option("--consultation", "slug", required=True, help="The consultation's slug.")
    @click.option("--section", type=int, default=None, help="Only this section (its number).")
    @click.option("--output", required=True, type=click.Path(dir_okay=False), help="Where to write the JSON file.")
    def analyse_command(slug, section, output):
        """Write the campaigns of a consultation's approved comments as JSON (fields: README, "Analysis JSON")."""
        from ..services import analysis
        consultation = feedback.consultation_by_slug(slug)
        if consultation is None:
            raise click.UsageError(f"There is no consultation with the slug {slug!r}.")
        directory = os.path.dirname(os.path.abspath(output))
        if not os.path.isdir(directory):
            raise click.UsageError(f"The folder {directory} does not exist.")
        started = time.perf_counter()
        try:
            result = analysis.analyse(consultation, section)
        except analysis.AnalysisRefused as refused:
            raise click.UsageError(str(refused)) from None
        handle, temporary = tempfile.mkstemp(prefix=".analysis-", dir=directory)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as target:
                analysis.write_analysis(result, target)
            os.replace(temporary, output)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        click.echo(f"Wrote {len(result['campaigns'])} campaign(s) of {result['comments']} comment(s) to {output} "
                   f"in {time.perf_counter() - started:.1f} s.")

    @app.cli.command("send-digests")
    def send_digests_command():
        """E-mail each working-group member what is new in their subgroups since their last digest (for cron)."""
        from ..services.digests import send_digests
        sent, checked = send_digests()
        click.echo(f"Digests: {sent} sent, {checked} membership(s) checked.")
