"""The docstring examples of the package run, one test per module that has any.

A test module rather than ``--doctest-modules``: the modules are found from the source (no
import at collection, so ``pytest tests/cli`` stays quick), an example runs under the suite's
warning filters with the same option flags everywhere, and a module whose optional extra is
missing skips (or fails under KSTAR_REQUIRE_EXTRAS=1) instead of breaking collection.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest
from conftest import require_extra

PACKAGE = Path(__file__).resolve().parents[1] / "kstar_widgets"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _modules_with_examples() -> list[str]:
    """Dotted names of the package's modules whose source holds a ``>>>`` example."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if ">>>" in path.read_text(encoding="utf-8"):
            parts = ["kstar_widgets", *path.relative_to(PACKAGE).with_suffix("").parts]
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _import(name: str):
    """Import a package module; a missing third-party module goes through ``require_extra``."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.split(".")[0] == "kstar_widgets":
            raise
        require_extra(exc.name)
        raise


def run_examples(module) -> tuple[int, int, str]:
    """(examples tried, examples failed, doctest's report) for one module's docstrings."""
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report = []
    for test in doctest.DocTestFinder().find(module, module.__name__):
        if test.examples:
            runner.run(test, out=report.append)
    return runner.tries, runner.failures, "".join(report)


def test_the_package_has_examples_to_run():
    names = _modules_with_examples()
    assert "kstar_widgets._kstar" in names and "kstar_widgets.cli" in names, names


@pytest.mark.parametrize("name", _modules_with_examples())
def test_docstring_examples_run(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an example that writes a file writes it here
    tried, failed, report = run_examples(_import(name))
    assert failed == 0, f"{failed} of {tried} examples in {name} failed:\n{report}"
