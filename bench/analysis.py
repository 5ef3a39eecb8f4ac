"""Analysis benchmark: time and peak memory of the background jobs behind the summary page,
campaigns (with the frequent words) and themes, at 20,000 and 100,000 comments.

    make bench            (or: .venv/bin/python bench/analysis.py [--counts 20000,100000] [--strict])

Builds a fresh SQLite database in a temporary folder, loads the demo and synthetic comments
(`flask --app consult demo --synthetic N`), then, in a child process per count, runs the two
jobs one after the other as a worker does (consult.services.jobs.run): the "texts" job
(campaign detection and keywords) and the "themes" job of the whole consultation, which
stores every comment's theme. The child's peak resident memory (ru_maxrss) covers both.
Goal on a 2-core machine: 100,000 comments in under 60 s and under 1 GB.
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
GOAL_COUNT, GOAL_SECONDS, GOAL_MB = 100_000, 60.0, 1024.0


def _env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CONSULT_REDIS_URL", None)
    env.update({"CONSULT_DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
                "CONSULT_INSTANCE_DIR": str(folder / "instance"), "CONSULT_JOBS_RUNNER": "inline",
                "CONSULT_SECRET_KEY": "bench-only", "CONSULT_UPLOAD_DIR": str(folder / "uploads")})
    return env


def _flask(env, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flask", "--app", "consult", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def child() -> None:
    """Runs both jobs in this process and prints their figures as JSON."""
    sys.path.insert(0, str(ROOT))
    from consult import create_app
    from consult.models import JobStatus
    from consult.services import feedback, jobs
    app = create_app()
    figures = {}
    with app.app_context():
        consultation = feedback.consultation_by_slug(SLUG)
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        total = time.perf_counter()
        cpu = time.process_time()
        for kind in (jobs.TEXTS, jobs.THEMES):
            started = time.perf_counter()
            job = jobs.enqueue(consultation, kind)
            if job.status != JobStatus.DONE:
                raise SystemExit(f"the {kind} job ended {job.status}: {job.error}")
            figures[kind] = {"seconds": round(time.perf_counter() - started, 2), "result": jobs.result_of(job)}
        figures["seconds"] = round(time.perf_counter() - total, 2)
        figures["cpu"] = round(time.process_time() - cpu, 2)
    texts, themes = figures[jobs.TEXTS]["result"], figures[jobs.THEMES]["result"]
    print(json.dumps({"texts_seconds": figures[jobs.TEXTS]["seconds"],
                      "themes_seconds": figures[jobs.THEMES]["seconds"],
                      "seconds": figures["seconds"], "cpu_seconds": figures["cpu"],
                      "campaigns": len(texts["campaigns"]), "themes": themes["themes"],
                      "other": themes["other"], "baseline_mb": round(baseline, 1),
                      "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="20000,100000", help="comment counts to measure at, ascending")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the goal is missed")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return 0
    counts = sorted(int(c) for c in args.counts.split(","))
    print(f"load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())} "
          "(other work on the machine slows the wall-clock times)", flush=True)
    missed = False
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
            output = subprocess.run([sys.executable, __file__, "--child"], cwd=ROOT, env=env, check=True,
                                    capture_output=True, text=True).stdout
            result = json.loads(output.strip().splitlines()[-1])
            print(f"analysis {count:>7,} comments  {result['seconds']:6.2f} s, CPU {result['cpu_seconds']:.2f} s "
                  f"(campaigns and words "
                  f"{result['texts_seconds']:.2f} s, themes {result['themes_seconds']:.2f} s)  "
                  f"peak {result['peak_mb']:6.1f} MB (app {result['baseline_mb']:.1f} MB)  "
                  f"{result['campaigns']} campaigns, {result['themes']} themes, {result['other']} in “other”",
                  flush=True)
            if count == GOAL_COUNT:
                missed = result["seconds"] > GOAL_SECONDS or result["peak_mb"] > GOAL_MB
    print(f"goal ({GOAL_COUNT:,} comments in < {GOAL_SECONDS:.0f} s and < {GOAL_MB:.0f} MB):",
          "missed" if missed else "met" if GOAL_COUNT in counts else "not measured")
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
