"""Export benchmark: time and peak memory of the XLSX and CSV digests at 20,000 and 100,000 comments.

    make bench            (or: .venv/bin/python bench/exports.py [--counts 20000,100000] [--strict])

Builds a fresh SQLite database in a temporary folder, loads the demo and synthetic
comments (`flask --app consult demo --synthetic N`), then runs each export in its own
child process through the code the CLI uses (consult.services.exports.write_export),
so the child's peak resident memory (VmHWM) belongs to that export alone. The
memory an export adds on top of the loaded app should stay flat as the count grows.
Goals on a 2-core machine: XLSX under 15 s and 150 MB, CSV under 5 s.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "social-services-guidelines-2014-2020"
GOALS = {"xlsx": (15.0, 150.0), "csv": (5.0, None)}


def _env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"CONSULT_DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
                "CONSULT_INSTANCE_DIR": str(folder / "instance"),
                "CONSULT_SECRET_KEY": "bench-only", "CONSULT_UPLOAD_DIR": str(folder / "uploads")})
    return env


def _flask(env, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flask", "--app", "consult", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def peak_mb() -> float:
    """This process's peak resident memory in MB. VmHWM, not ru_maxrss: after fork and exec, Linux
    reports in ru_maxrss the parent's size at the fork when that was larger (a parent that had just
    worked out a million comments' analysis made a CSV export look 5 GB)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(fmt: str, output: str) -> None:
    """Runs one export in this process and prints its figures as JSON."""
    sys.path.insert(0, str(ROOT))
    from consult import create_app
    from consult.extensions import db
    from consult.services import exports, feedback
    app = create_app()
    with app.app_context():
        consultation = feedback.consultation_by_slug(SLUG)
        scope = exports.make_scope(consultation)
        rows = exports.Exporter(scope, "lv").count()
        db.session.commit()
        before = resource.getrusage(resource.RUSAGE_SELF)
        baseline = peak_mb()
        started = time.perf_counter()
        with open(output, "wb") as target:
            exports.write_export(scope, fmt, "lv", target)
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    peak = peak_mb()
    print(json.dumps({"format": fmt, "rows": rows, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
                      "peak_mb": round(peak, 1),
                      "baseline_mb": round(baseline, 1), "added_mb": round(peak - baseline, 1),
                      "file_mb": round(os.path.getsize(output) / 1024 / 1024, 1)}))


def calibrate() -> float:
    """CPU seconds for openpyxl to write 20,000 rows × 8 cells of Latvian text (write-only).

    On an idle machine like CI's this takes about 1 s (testing.md: 100,000 rows in about 5 s);
    a larger figure means the machine is busy or slower, and the export times scale with it."""
    import io

    from openpyxl import Workbook
    row = ["Uzskatu, ka sociālo pakalpojumu pieejamība laukos", "Rēzeknes novadā", "ģimenes gaida rindā",
           "Iedzīvotājs", "Publicēts", "Ierosina izmaiņas", "Dalībnieks 0001", "Pašreizējā situācija"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("A")
    started = time.process_time()
    for _ in range(20_000):
        sheet.append(row)
    workbook.save(io.BytesIO())
    return time.process_time() - started


def measure(env, folder: Path, fmt: str) -> dict:
    output = folder / f"export.{fmt}"
    result = subprocess.run([sys.executable, __file__, "--child", fmt, str(output)], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="20000,100000", help="comment counts to measure at, ascending")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--child", nargs=2, metavar=("FORMAT", "OUTPUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    counts = sorted(int(c) for c in args.counts.split(","))
    print(f"load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())} "
          "(other work on the machine slows the wall-clock times; the CPU times are steadier)", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="consult-bench-") as tmp:
        folder = Path(tmp)
        env = _env(folder)
        _flask(env, "db", "upgrade")
        _flask(env, "demo")
        loaded = 0
        for count in counts:
            seconds = _flask(env, "demo", "--synthetic", str(count - loaded))
            print(f"loaded {count - loaded} synthetic comments in {seconds:.1f} s (total {count})", flush=True)
            loaded = count
            for fmt in ("xlsx", "csv"):
                figures = measure(env, folder, fmt)
                results.append(figures)
                print(f"  {fmt.upper():4}  {figures['rows']:>7} rows  {figures['seconds']:>6.2f} s "
                      f"(CPU {figures['cpu_seconds']:.2f} s)  "
                      f"peak {figures['peak_mb']:>6.1f} MB (app {figures['baseline_mb']:.1f} MB + export "
                      f"{figures['added_mb']:.1f} MB)  file {figures['file_mb']} MB", flush=True)
    print(f"calibration: openpyxl 20,000 × 8 cells took {calibrate():.2f} s CPU here (about 1 s on an idle "
          "machine of this kind)", flush=True)
    missed = []
    for figures in results:
        limit_s, limit_mb = GOALS[figures["format"]]
        if figures["seconds"] > limit_s or (limit_mb and figures["peak_mb"] > limit_mb):
            missed.append(f"{figures['format']} at {figures['rows']} rows")
    print("goals (XLSX < 15 s and < 150 MB, CSV < 5 s):", "all met" if not missed else "missed: " + ", ".join(missed))
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
