"""Every public page is valid HTML, as the Nu Html Checker sees it."""
from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from .pages import both_languages

ROOT = Path(__file__).resolve().parent.parent


def _vnu_jar() -> str | None:
    candidates = [os.environ.get("VNU_JAR",
                                 "")] + glob.glob(str(ROOT / ".ci/cache/node_modules/vnu-jar/build/dist/vnu.jar"))
    found = next((c for c in candidates if c and os.path.isfile(c)), None)
    return found if found and shutil.which("java") else None


def check_html(pages: dict[str, str], tmp_path=None) -> list[str]:
    """Runs the Nu checker once over the pages (name → HTML); returns its errors."""
    jar = _vnu_jar()
    if jar is None:
        if os.environ.get("CONSULT_REQUIRE_BROWSER") == "1":
            pytest.fail("the Nu Html Checker (vnu.jar) and Java are required")
        pytest.skip("vnu.jar or Java not available")
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for index, (name, html) in enumerate(pages.items()):
            path = os.path.join(folder, f"{index:03d}.html")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(html)
            files[path] = name
        # The quick-start JIT settings make a one-off run several times faster.
        result = subprocess.run(["java", "-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar,
                                 "--errors-only",
                                 "--format", "json", "--stdout", *files], capture_output=True, text=True, timeout=300)
    assert result.stdout.startswith("{"), f"the checker did not run: {result.stderr[:500]}"
    messages = json.loads(result.stdout)["messages"]
    return [f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: {m.get('message')} "
            f"{m.get('extract', '')!r}" for m in messages if m.get("type") in ("error", "non-document-error")]


def test_the_checker_finds_errors(tmp_path):
    assert check_html({"broken": "<!doctype html><html lang=en><title>x</title><p><div></p><foo></foo>"})


def test_public_pages_are_valid_html(client, demo, tmp_path):
    pages = {path: client.get(path).get_data(as_text=True) for path in both_languages()}
    pages["/en/missing/ (404)"] = client.get("/en/missing/").get_data(as_text=True)
    pages["/lv/missing/ (404)"] = client.get("/lv/missing/").get_data(as_text=True)
    assert check_html(pages, tmp_path) == []
