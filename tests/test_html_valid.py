"""Every public page is valid HTML, as the Nu Html Checker sees it."""
from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .pages import both_languages

ROOT = Path(__file__).resolve().parent.parent


def _vnu_jar() -> str | None:
    candidates = [os.environ.get("VNU_JAR", "")] + glob.glob(str(ROOT / ".ci/cache/node_modules/vnu-jar/build/dist/vnu.jar"))
    found = next((c for c in candidates if c and os.path.isfile(c)), None)
    return found if found and shutil.which("java") else None


def check_html(pages: dict[str, str], tmp_path) -> list[str]:
    """Runs the Nu checker once over the pages (name → HTML); returns its errors."""
    jar = _vnu_jar()
    if jar is None:
        if os.environ.get("CONSULT_REQUIRE_BROWSER") == "1":
            pytest.fail("the Nu Html Checker (vnu.jar) and Java are required")
        pytest.skip("vnu.jar or Java not available")
    files = []
    for index, (name, html) in enumerate(pages.items()):
        path = tmp_path / f"{index:03d}.html"
        path.write_text(html, encoding="utf-8")
        files.append((str(path), name))
    result = subprocess.run(["java", "-jar", jar, "--errors-only", "--format", "json", "--stdout",
                             *[f for f, _ in files]], capture_output=True, text=True, timeout=300)
    names = dict(files)
    messages = json.loads(result.stdout or '{"messages": []}')["messages"]
    return [f"{names.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: {m.get('message')} "
            f"{m.get('extract', '')!r}" for m in messages if m.get("type") == "error"]


def test_public_pages_are_valid_html(client, demo, tmp_path):
    pages = {path: client.get(path).get_data(as_text=True) for path in both_languages()}
    pages["/en/missing/ (404)"] = client.get("/en/missing/").get_data(as_text=True)
    pages["/lv/missing/ (404)"] = client.get("/lv/missing/").get_data(as_text=True)
    assert check_html(pages, tmp_path) == []
