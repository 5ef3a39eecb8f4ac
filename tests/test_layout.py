"""The layout the README describes, checked from the code's own imports: areas never import each
other in a circle, and services never reach into an area or the request."""
from __future__ import annotations

import ast
import pathlib

import consult

PACKAGE = pathlib.Path(consult.__file__).parent
AREAS = {path.name for path in PACKAGE.iterdir()
         if path.is_dir() and (path / "__init__.py").exists() and path.name not in ("services", "models")}


def imported_modules(path: pathlib.Path) -> set[str]:
    """The consult modules `path` imports, as dotted names below consult ("site.routes", "services")."""
    here = path.relative_to(PACKAGE).with_suffix("").parts
    package = here if path.name == "__init__.py" else here[:-1]
    package = package[:-1] if path.name == "__init__.py" else package
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[:len(package) - node.level + 1])
                target = base + (node.module.split(".") if node.module else [])
                found |= {".".join(target + [alias.name]) for alias in node.names} if not node.module \
                    else {".".join(target)}
            elif node.module and node.module.startswith("consult."):
                found.add(node.module.removeprefix("consult."))
        elif isinstance(node, ast.Import):
            found |= {alias.name.removeprefix("consult.") for alias in node.names if alias.name.startswith("consult.")}
    return found


def area_of(dotted: str) -> str | None:
    first = dotted.split(".")[0]
    return first if first in AREAS else None


def area_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {area: set() for area in AREAS}
    for area in AREAS:
        for path in (PACKAGE / area).rglob("*.py"):
            graph[area] |= {other for other in map(area_of, imported_modules(path)) if other and other != area}
    return graph


def test_the_areas_are_found():
    assert {"site", "participation", "admin", "workgroup", "moderation", "account", "api"} <= AREAS


def test_no_area_imports_another_in_a_circle():
    graph = area_graph()

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})) for nxt in graph[start])

    circles = sorted(area for area in AREAS if reaches(area, area, {area}))
    assert not circles, {area: sorted(graph[area]) for area in circles}


# Without CONSULT_BASE_URL (development only) links in e-mails use the address the server was reached on.
READS_THE_REQUEST = {"mail.py"}


def test_services_never_import_an_area_or_the_request():
    for path in (PACKAGE / "services").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        areas = {area_of(module) for module in imported_modules(path)} - {None}
        assert not areas, (path.name, areas)
        tree = ast.parse(source)
        names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == "flask"
                 for alias in node.names}
        if path.name not in READS_THE_REQUEST:
            assert not names & {"request", "session", "g"}, (path.name, names)


def test_a_web_worker_does_not_load_the_analysis_libraries(tmp_path):
    """NumPy, SciPy (through datasketch) and scikit-learn are imported where themes and campaigns are
    worked out: loaded with the app they would add some 60 MB to every web worker."""
    import subprocess
    import sys
    code = ("import sys; from consult import create_app; create_app(); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'scipy', 'sklearn', 'datasketch'}))")
    env = {"PATH": "/usr/bin:/bin", "CONSULT_DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
           "CONSULT_INSTANCE_DIR": str(tmp_path / "instance")}
    result = subprocess.run([sys.executable, "-c", code], cwd=PACKAGE.parent, env=env, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
