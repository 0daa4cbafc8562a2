"""``kstar-widgets lab``: as root, from a clone, and --dry-run that touches nothing."""

import os

import pytest

from kstar_widgets.cli import _lab, main


def dry_run(capsys, *extra):
    assert main(["lab", "--dry-run", "--no-browser", *extra]) == 0
    captured = capsys.readouterr()
    return captured.out, captured.err


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """This module as if installed in site-packages, its notebooks copied beside it, and the
    working folder outside any clone."""
    site = tmp_path / "site" / "kstar_widgets"
    (site / "notebooks").mkdir(parents=True)
    (site / "cli").mkdir()
    for name in ("01_quickstart.ipynb", "02_teaching_kstar.ipynb"):
        (site / "notebooks" / name).write_text("{}")
    monkeypatch.setattr(_lab, "__file__", str(site / "cli" / "_lab.py"))
    monkeypatch.setattr(_lab, "installed_from", lambda: None, raising=False)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return tmp_path


def test_as_root_allow_root_is_passed_and_said(capsys, monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    out, err = dry_run(capsys)
    assert out.split().count("--allow-root") == 1
    assert "running as root" in err and "--allow-root" in err
    out, _ = dry_run(capsys, "--", "--allow-root")  # given by hand: passed once
    assert out.split().count("--allow-root") == 1
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    out, err = dry_run(capsys)
    assert "--allow-root" not in out and "root" not in err


def test_from_a_clone_its_notebooks_open_in_place(installed, capsys, monkeypatch):
    clone = installed / "clone"
    (clone / "notebooks").mkdir(parents=True)
    (clone / "notebooks" / "01_quickstart.ipynb").write_text("{}")
    (clone / "kstar_widgets").mkdir()
    (clone / "pyproject.toml").write_text('[project]\nname = "kstar-widgets"\n')
    monkeypatch.chdir(clone)
    target = installed / "copies"
    out, err = dry_run(capsys, "--dir", str(target))
    assert f"--ServerApp.root_dir={clone / 'notebooks'}" in out
    assert not target.exists()
    assert "the clone" in err


def test_dry_run_copies_nothing_and_says_what_it_would_copy(installed, capsys):
    target = installed / "copies"
    out, err = dry_run(capsys, "--dir", str(target))
    assert not target.exists()
    assert f"--ServerApp.root_dir={target}" in out
    assert "would copy 2 notebooks" in err
    assert main(["lab", "--no-browser", "--dir", str(target), "--dry-run"]) == 0
    assert not target.exists()
