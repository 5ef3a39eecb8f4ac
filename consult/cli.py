"""Command-line tools: `flask --app consult …` (SPEC §5)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from flask import Flask

PACKAGE_DIR = Path(__file__).parent
PROJECT_DIR = PACKAGE_DIR.parent


def _add_synthetic(count: int, consultations: int = 1) -> None:
    """The `demo --synthetic N` part: a progress bar on a terminal, a plain line otherwise."""
    import time

    from . import refusals
    from .services.refusals import Refused
    from .services.synthetic import add_synthetic_comments
    started = time.perf_counter()
    try:
        with click.progressbar(length=count, label="Adding synthetic comments") as bar:
            added = add_synthetic_comments(count, progress=bar.update, consultations=consultations)
    except Refused as refused:
        raise click.ClickException(refusals.english(refused)) from None
    click.echo(f"Synthetic content: added {added} approved comment(s) in {time.perf_counter() - started:.1f} s.")


def register_cli(app: Flask) -> None:
    @app.cli.command("demo")
    @click.option("--if-empty", is_flag=True, help="Only when the database holds no consultation yet.")
    @click.option("--synthetic", type=click.IntRange(min=0), default=0, metavar="N",
                  help="Also add N generated, approved comments to the open demo consultation (for load tests).")
    @click.option("--consultations", type=click.IntRange(min=1, max=20), default=1, metavar="K",
                  help="Spread the synthetic comments over the demo consultation and K-1 open copies of it.")
    def demo_command(if_empty: bool, synthetic: int, consultations: int):
        """Load the demo content (idempotent)."""
        from .demo import database_is_empty, load_demo
        if if_empty and not database_is_empty():
            click.echo("The database already has content; demo not loaded.")
            return
        added = load_demo()
        click.echo(f"Demo content: added {len(added)} consultation(s)." if added else "Demo content already present.")
        if synthetic:
            _add_synthetic(synthetic, consultations)

    @app.cli.command("send-mail")
    @click.option("--once", is_flag=True, help="Send what is due, then stop (for cron).")
    @click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds.")
    def send_mail_command(once: bool, interval: float):
        """Deliver queued e-mail, retrying with back-off while the mail server is away."""
        import time as _time

        from .services.mail import send_due
        while True:
            sent, failed = send_due()
            if sent or failed:
                click.echo(f"sent {sent}, failed {failed}")
            if once:
                return
            _time.sleep(interval)

    @app.cli.command("sweep-uploads")
    @click.option("--older-than", "older_than", type=click.FloatRange(min=0), default=10, show_default=True,
                  metavar="MINUTES", help="Only touch files written at least this long ago, so uploads in "
                                          "flight are left alone.")
    def sweep_uploads_command(older_than: float):
        """Remove upload files no row names and temporary files a stopped worker left (for cron)."""
        from .services.uploads import sweep_upload_dir
        result = sweep_upload_dir(older_than_seconds=older_than * 60)
        if result.restored:
            click.echo(f"Restored {len(result.restored)} file(s) whose row was saved before their worker stopped.")
        click.echo(f"Removed {len(result.removed)} orphaned upload file(s).")

    @app.cli.command("worker")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty instead of waiting for more.")
    def worker_command(burst: bool):
        """Run the background jobs (themes, campaigns) queued in Redis (CONSULT_REDIS_URL); any host will do."""
        from flask import current_app

        from .services import jobs
        if not current_app.config.get("REDIS_URL"):
            raise click.UsageError("CONSULT_REDIS_URL is not set: without Redis the web process runs the jobs "
                                   "itself and no worker is needed.")
        jobs.work(current_app._get_current_object(), burst=burst)

    @app.cli.command("collect-static")
    @click.argument("target", type=click.Path(file_okay=False))
    def collect_static_command(target: str):
        """Write the static files, under hashed and plain names, into TARGET for the web server to serve."""
        from .assets import collect
        written = collect(app.extensions["consult_assets"], target)
        click.echo(f"Wrote {len(written)} static file(s) to {target}.")

    @app.cli.group("translate")
    def translate():
        """Message catalogs: extract, update, compile."""

    def pybabel(*args: str) -> None:
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=PROJECT_DIR)

    pot = str(PACKAGE_DIR / "translations" / "messages.pot")
    translations = str(PACKAGE_DIR / "translations")

    @translate.command("extract")
    def extract():
        """Collect the UI strings into messages.pot."""
        pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_ngettext:1,2", "--no-location", "--sort-output",
                "--project", "consult", "-o", pot, "consult")

    @translate.command("update")
    def update():
        """Extract, then merge new strings into every catalog."""
        extract.callback()
        pybabel("update", "-i", pot, "-d", translations, "--no-fuzzy-matching", "--ignore-obsolete")

    @translate.command("compile")
    def compile_():
        """Compile the catalogs to .mo files."""
        pybabel("compile", "-d", translations, "--statistics")

    # Each area adds its own commands; imported here, as those modules import the app's models.
    from .account.cli import register_user_commands
    from .services.follow import register_commands as register_follow_commands
    from .workgroup.cli import register_workgroup_commands
    register_user_commands(app)
    register_follow_commands(app)
    register_workgroup_commands(app)
