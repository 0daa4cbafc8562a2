"""The project's configuration does what it promises: the package's warnings are errors in
the suite; the version is written once; the wheel carries the package and the six built
notebooks, nothing generated or ignored, and ``kstar-widgets lab`` finds them there; CI's switch
makes a missing optional extra fail instead of skip."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from conftest import require_extra

import kstar_widgets as kw

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel built from this checkout by the build backend itself (offline, no pip)."""
    build = require_extra("hatchling.build")
    out = tmp_path_factory.mktemp("wheel")
    here = os.getcwd()
    os.chdir(ROOT)  # a PEP 517 backend builds the project in the working directory
    try:
        name = build.build_wheel(str(out))
    finally:
        os.chdir(here)
    return out / name


def test_a_degenerate_space_warning_is_an_error_in_the_suite():
    # attributed to this module (the caller's line), so only a filter by category catches it
    x, y = np.zeros((40, 3)), np.repeat([0, 1], 20)
    with pytest.raises(kw.DegenerateSpaceWarning, match="distance 0"):
        kw.kstar(x, y, progress=False)


def test_the_version_is_written_once():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r"(?m)^version\s*=", pyproject) is None
    assert 'dynamic = ["version"]' in pyproject
    assert re.search(
        r'(?m)^__version__ = "[^"]+"', (ROOT / "kstar_widgets/__init__.py").read_text()
    )


@pytest.mark.slow
def test_the_wheel_carries_the_package_and_the_six_built_notebooks(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    notebooks = sorted(n for n in names if n.startswith("kstar_widgets/notebooks/"))
    assert len(NOTEBOOKS) == 6
    assert notebooks == [f"kstar_widgets/notebooks/{n}" for n in NOTEBOOKS]
    dist_info = f"kstar_widgets-{kw.__version__}.dist-info/"
    assert all(n.startswith(("kstar_widgets/", dist_info)) for n in names), names
    package = {n for n in names if n.startswith("kstar_widgets/") and n not in notebooks}
    assert package <= _source_files(), sorted(package - _source_files())
    metadata = zipfile.ZipFile(wheel).read(dist_info + "METADATA").decode()
    assert f"\nVersion: {kw.__version__}\n" in metadata


def _source_files() -> set[str]:
    """The package's files that git does not ignore: nothing built, cached or generated."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: git cannot tell the ignored files")
    argv = ["git", "ls-files", "--cached", "--others", "--exclude-standard", "kstar_widgets"]
    out = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return set(out.split())


@pytest.mark.slow
def test_lab_copies_the_notebooks_of_the_installed_wheel(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    target = tmp_path / "my notebooks"
    env = {**os.environ, "PYTHONPATH": str(site)}  # the unpacked wheel, not this checkout
    argv = [sys.executable, "-m", "kstar_widgets.cli", "lab", "--dry-run", "--dir", str(target)]
    out = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert f"--ServerApp.root_dir={target}" in out.stdout
    shipped = site / "kstar_widgets" / "notebooks"
    assert f"would copy {len(NOTEBOOKS)} notebooks from {shipped} to {target}" in out.stderr
    assert not target.exists()  # a dry run copies nothing
    copy = f"from kstar_widgets.cli._lab import notebooks_folder; notebooks_folder({str(target)!r})"
    subprocess.run([sys.executable, "-c", copy], cwd=tmp_path, env=env, check=True)
    assert sorted(p.name for p in target.iterdir()) == NOTEBOOKS


def test_a_missing_extra_skips_but_fails_where_ci_requires_extras(monkeypatch):
    monkeypatch.delenv("KSTAR_REQUIRE_EXTRAS", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require_extra("kstar_widgets_no_such_extra")
    monkeypatch.setenv("KSTAR_REQUIRE_EXTRAS", "1")
    with pytest.raises(pytest.fail.Exception, match="KSTAR_REQUIRE_EXTRAS=1 requires"):
        require_extra("kstar_widgets_no_such_extra")
    assert require_extra("numpy").__name__ == "numpy"
