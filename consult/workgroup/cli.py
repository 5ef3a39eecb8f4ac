"""`flask --app consult export …`, `analyse …`, `send-digests` and `import-submissions …`."""
from __future__ import annotations

import os
import sys
import tempfile
import time

import click
from flask import Flask

from .. import refusals
from ..i18n import LANGUAGES
from ..models import Decision, Role, Stance
from ..services import exports, feedback, summary
from ..services.refusals import Refused


def run_export(slug: str, fmt: str, output: str | None, section, subgroup, since, lang: str, all_statuses: bool,
               stance=None, decision=None, campaign=None, delimiter: str = ",",
               supports_as_rows: bool = False) -> tuple[int, str]:
    """Writes the export to `output` (via a temporary file, so a failure leaves no file); returns the row
    count and the path written. Without `output`, the file gets the web download's name (with its language)."""
    consultation = feedback.consultation_by_slug(slug)
    if consultation is None:
        raise click.UsageError(f"There is no consultation with the slug {slug!r}.")
    # A command may take its time: the campaigns are worked out here when no current result is kept.
    summary.analyse_texts(consultation, wait=True)
    given = {"section": section, "subgroup": subgroup, "since": since, "format": fmt, "stance": stance,
             "decision": decision, "campaign": campaign, "delimiter": delimiter}
    try:
        exports.check_format(fmt)
        delimiter = exports.check_delimiter(delimiter)
        scope = exports.make_scope(consultation, section=section, subgroup=subgroup, since=since,
                                   all_statuses=all_statuses, stance=stance, decision=decision, campaign=campaign)
    except Refused as refused:
        raise click.UsageError(_option_refused(refused, given[refused.field])) from None
    output = output or exports.filename(scope, fmt, lang)
    exporter = exports.Exporter(scope, lang)
    total = exporter.count()
    directory = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(directory):
        raise click.UsageError(f"The folder {directory} does not exist.")
    handle, temporary = tempfile.mkstemp(prefix=".export-", dir=directory)
    try:
        with os.fdopen(handle, "wb") as target, click.progressbar(length=total, label=f"Exporting {fmt.upper()}",
                                                                  file=sys.stderr) as bar:
            exports.write_export(scope, fmt, lang, target, progress=bar.update, delimiter=delimiter,
                                 supports_as_rows=supports_as_rows)
        os.replace(temporary, output)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return total, output


def _option_refused(refused: Refused, value) -> str:
    """A refusal about one of the command's options, with the option and the value given."""
    return f"--{refused.field} {value}: {refusals.english(refused)}"


def register_workgroup_commands(app: Flask) -> None:
    @app.cli.command("export")
    @click.option("--consultation", "slug", required=True, help="The consultation's slug.")
    @click.option("--format", "fmt", required=True, type=click.Choice(exports.FORMATS), help="File format.")
    @click.option("--output", type=click.Path(dir_okay=False),
                  help="Where to write the file (default: the download's name, with the language, here).")
    @click.option("--section", type=int, default=None, help="Only this section (its number).")
    @click.option("--subgroup", type=int, default=None, help="Only this subgroup (its id).")
    @click.option("--since", default=None, metavar="YYYY-MM-DD", help="Only items from this date on (Riga time).")
    @click.option("--stance", default=None, metavar="CODE", type=click.Choice(Stance.ALL),
                  help="Only comments with this stance: " + ", ".join(Stance.ALL) + " (positions have none).")
    @click.option("--decision", default=None, metavar="CODE", type=click.Choice((*Decision.ALL, feedback.NOT_ANSWERED)),
                  help="Only items with this response: " + ", ".join(Decision.ALL) + ", or none for those not "
                  "answered.")
    @click.option("--campaign", default=None, metavar="ID",
                  help="Only the comments of this campaign (its id: the id of its oldest comment; "
                       "`flask --app consult analyse` lists them).")
    @click.option("--delimiter", default=",", show_default=True, metavar="',' or ';'",
                  type=click.Choice(exports.DELIMITERS),
                  help="CSV column separator: ';' for spreadsheet programs with Latvian regional settings.")
    @click.option("--lang", type=click.Choice(LANGUAGES), default="lv", show_default=True,
                  help="Language of the headers and labels.")
    @click.option("--all-statuses", is_flag=True, help="Also items that are not published (pending, rejected …).")
    @click.option("--supports-as-rows", is_flag=True,
                  help="DOCX: list supporting comments without a proposal as rows (otherwise one count per point).")
    def export_command(slug, fmt, output, section, subgroup, since, stance, decision, campaign, delimiter, lang,
                       all_statuses, supports_as_rows):
        """Export a consultation's feedback as CSV, XLSX, DOCX (the izziņa) or JSON."""
        started = time.perf_counter()
        rows, written = run_export(slug, fmt, output, section, subgroup, since, lang, all_statuses, stance=stance,
                                   decision=decision, campaign=campaign, delimiter=delimiter,
                                   supports_as_rows=supports_as_rows)
        click.echo(f"Wrote {rows} item(s) to {written} in {time.perf_counter() - started:.1f} s.")

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
        except Refused as refused:
            raise click.UsageError(_option_refused(refused, section)) from None
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

    @app.cli.command("import-submissions")
    @click.option("--consultation", "slug", required=True, help="The consultation's slug.")
    @click.option("--entered-by", "entered_by", default=None, metavar="EMAIL",
                  help="The working-group or admin account that entered them (kept with each and in the audit log).")
    @click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True,
                  help="Language of the messages about refused lines.")
    @click.option("--publish", is_flag=True,
                  help="Approve them at once, in the name of --entered-by (a moderator or admin account), when "
                       "the letters were checked before; otherwise they wait for moderation like every comment.")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    def import_submissions_command(slug, entered_by, lang, publish, file):
        """Import offline submissions (letters, e-mails, meetings) from a CSV or XLSX file: all of it or nothing.

        Columns: section, paragraph, stance, text, respondent type, organisation, received date, channel
        (and language); see the README, "Offline submissions".
        """
        from flask_babel import force_locale

        from ..services import submissions
        consultation = feedback.consultation_by_slug(slug)
        if consultation is None:
            raise click.UsageError(f"There is no consultation with the slug {slug!r}.")
        staff = _staff_account(entered_by) if entered_by else None
        if publish and (staff is None or not staff.has_role(Role.MODERATOR)):
            raise click.UsageError("--publish needs --entered-by with a moderator or admin account, in whose name "
                                   "the submissions are approved.")
        try:
            # The size first: a file far over the limit is never read into memory.
            if os.path.getsize(file) > submissions.MAX_FILE_BYTES:
                raise submissions.too_large()
            with open(file, "rb") as source:
                data = source.read(submissions.MAX_FILE_BYTES + 1)
            stored = submissions.import_file(consultation, data, os.path.basename(file), entered_by=staff,
                                             publish=publish)
        except Refused as refused:
            with force_locale(lang):
                for message in refusals.messages(refused):
                    click.echo(message, err=True)
            click.echo(f"Nothing was imported: {len(refusals.problems(refused))} problem(s) in {file}.", err=True)
            sys.exit(1)
        if publish:
            waiting = f"approved by {staff.email}"
        elif consultation.moderation_mode == "post":
            waiting = "published at once (post-moderation), to be reviewed"
        else:
            waiting = "waiting for moderation"
        click.echo(f"Imported {stored} submission(s) into {slug}, {waiting}.")


def _staff_account(email: str):
    """The staff account that enters the submissions: working group, moderator or admin."""
    from sqlalchemy import func, select

    from ..extensions import db
    from ..models import User
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or user.deleted_at is not None or user.role not in (Role.WORKGROUP, Role.MODERATOR, Role.ADMIN):
        raise click.UsageError(f"There is no working-group, moderator or admin account with the address {email!r}.")
    return user
