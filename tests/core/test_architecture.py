"""The shape of the code (issue #18, docs/architecture.md): rooms stay small enough to read.

A ``services`` or ``selectors`` module over 800 lines becomes a package split by sub-domain
(``measures/services/dwangsom.py``, ...), its ``__init__`` re-exporting the public names.
"""

import ast
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
MAX_LINES = 800
SKIP = {".venv", "node_modules", "static", ".git", "migrations", "tests", ".local"}


def _layer_modules() -> list[Path]:
    """Every services/selectors module: ``<app>/services.py`` or a file in ``<app>/services/``."""
    found = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if SKIP & set(rel.parts):
            continue
        if path.stem in ("services", "selectors") or path.parent.name in ("services", "selectors"):
            found.append(path)
    return found


def test_the_layer_modules_are_found():
    names = {str(p.relative_to(ROOT)) for p in _layer_modules()}
    assert "signals/services.py" in names
    assert "measures/services/__init__.py" in names


def test_no_services_or_selectors_module_exceeds_800_lines():
    too_long = {
        str(p.relative_to(ROOT)): n
        for p in _layer_modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"split these into a package by sub-domain (max {MAX_LINES} lines): {too_long}"


# --- the arrows between the rooms: import-linter contracts in pyproject.toml ----------------------


def test_import_contracts_hold():
    """The layers and the forbidden arrows of ``[tool.importlinter]`` (docs/architecture.md)."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


# --- no side doors: models are never looked up by name outside migrations -------------------------

# Files that may call ``apps.get_model``, each with its reason. Migrations always may (STYLE rule 16).
GET_MODEL_ALLOWED = {
    # The one generic label -> model lookup (access log references, break-glass, model labels).
    "vik/core/kinds.py",
    # Generic privacy machinery: retention rules and data-subject requests name record classes by
    # label; defaults.py runs inside data migrations with the historical ``apps``.
    "vik/privacy/services.py",
    "vik/privacy/selectors.py",
    "vik/privacy/defaults.py",
    # bibob sits below measures, so it cannot import measures' DeadlineRule: the deadline-rule
    # table moves beside the calendar in vik/core (issue #18 item 3, branch `arch`), then this goes.
    "bibob/rules.py",
}
# Tools, not apps: the dataset generator writes every app's tables in bulk (docs/performance.md).
GET_MODEL_TOOLS = ("bench/", "scripts/")


def _get_model_calls(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get_model"
    ]


def test_no_model_is_looked_up_by_name_outside_migrations():
    found = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        name = rel.as_posix()
        if {".venv", "node_modules", "migrations", "tests", ".local"} & set(rel.parts):
            continue
        if name in GET_MODEL_ALLOWED or name.startswith(GET_MODEL_TOOLS):
            continue
        if lines := _get_model_calls(path):
            found[name] = lines
    assert not found, (
        "import the model (your own app) or use the owning app's selectors/services/providers "
        f"instead of apps.get_model: {found}"
    )


def test_the_get_model_guard_sees_a_lookup(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('from django.apps import apps\nM = apps.get_model("signals", "Signal")\n')
    assert _get_model_calls(sample) == [2]


def test_the_allowed_get_model_files_exist():
    assert all((ROOT / name).exists() for name in GET_MODEL_ALLOWED)


# --- the public modules rule ------------------------------------------------------------------------

APPS = [
    "subjects",
    "signals",
    "measures",
    "bibob",
    "meetings",
    "registries",
    "reporting",
    "letters",
    "dashboards",
    "plan",
    "api",
]
# What another app may import (STYLE.md, docs/architecture.md); ``models`` only for foreign keys.
PUBLIC = {"selectors", "services", "permissions", "constants", "providers", "models"}
# Pure modules (no ORM, no need-to-know) that other apps may use too.
PURE = {
    "subjects.names",  # name normalisation shared by matching and the seeds
    "bibob.deadlines",  # Bibob term arithmetic, run by measures' deadline calculator
    "measures.deadlines",
    "measures.procedure",
    "measures.calculator",
    "dashboards.suppression",  # small-cell suppression, also for the year report
}
# Known exceptions, each with the reason; keep this short.
EXEMPT = {
    # The retention toolkit moves to vik/privacy (issue #18 item 3, branch `arch`).
    ("bibob.privacy", "subjects.privacy"),
    ("letters.providers", "subjects.privacy"),
    ("measures.privacy", "subjects.privacy"),
    ("meetings.privacy", "subjects.privacy"),
    ("signals.privacy", "subjects.privacy"),
    # The deadline-rule table moves beside the calendar in vik/core (issue #18 item 3).
    ("letters.services", "bibob.rules"),
    # Wiring at start-up: reminders registered as jobs of the app that sends the letters.
    ("letters.apps", "measures.reminders"),
    ("meetings.apps", "measures.reminders"),
    # The registries hook into the subject form and seed on top of the subjects' seed.
    ("registries.views", "subjects.forms"),
    ("registries.seed", "subjects.seed"),
}


def _cross_app_imports():
    import grimp

    graph = grimp.build_graph(*APPS)
    for importer in sorted(graph.modules):
        if ".migrations" in importer:
            continue
        for imported in graph.find_modules_directly_imported_by(importer):
            if importer.split(".")[0] != imported.split(".")[0]:
                yield importer, imported


def test_apps_reach_each_other_only_through_their_public_modules():
    wrong = []
    for importer, imported in _cross_app_imports():
        parts = imported.split(".")
        public = len(parts) >= 2 and parts[1] in PUBLIC
        # Go through the package (``measures.services``), not its sub-domain files.
        if public and len(parts) > 2 and parts[1] in ("services", "selectors"):
            public = False
        if not public and imported not in PURE and (importer, imported) not in EXEMPT:
            wrong.append(f"{importer} -> {imported}")
    assert not wrong, "import another app only through its public modules:\n" + "\n".join(wrong)
