"""The kstar-widgets command: demo, compute, lab, --help, --version, errors."""

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import kstar_widgets as kw
from kstar_widgets.cli import main
from kstar_widgets.synthetic import pattern_space


@pytest.fixture
def arrays(tmp_path):
    x, y = pattern_space("fractured", dim=8, random_state=0)
    np.save(tmp_path / "X.npy", x)
    np.save(tmp_path / "y.npy", y)
    return tmp_path, x, y


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and kw.__version__ in capsys.readouterr().out
    for argv, expect in (
        (["--help"], "demo"),
        (["demo", "--help"], "--epochs"),
        (["compute", "--help"], "--features"),
        (["lab", "--help"], "--no-browser"),
    ):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 0 and expect in capsys.readouterr().out


def test_no_command_prints_help_and_returns_2(capsys):
    assert main([]) == 2
    assert "compute" in capsys.readouterr().out


def test_console_script_is_installed():
    script = Path(sys.executable).with_name("kstar-widgets")
    out = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"kstar-widgets {kw.__version__}"


def test_compute_writes_csv_json_and_report(arrays, capsys):
    tmp, x, y = arrays
    expected = kw.kstar(x, y, method="exact", progress=False).concepts
    args = [
        "compute",
        "--features",
        str(tmp / "X.npy"),
        "--labels",
        str(tmp / "y.npy"),
        "--quiet",
        "--method",
        "exact",
    ]
    assert main([*args, "--out", str(tmp / "t.csv"), "--report", str(tmp / "r.html")]) == 0
    table = pd.read_csv(tmp / "t.csv", index_col="concept")
    assert table.loc["target", "pattern"] == "Fractured"
    np.testing.assert_allclose(table.loc[list(expected.index), "skewness"], expected["skewness"])
    assert (tmp / "r.html").stat().st_size > 100_000
    assert main([*args, "--out", str(tmp / "t.json"), "--metric", "cosine"]) == 0
    records = json.loads((tmp / "t.json").read_text())
    assert {r["concept"] for r in records} == set(y) and "pattern" in records[0]
    assert main(args) == 0  # no --out: the table goes to stdout
    assert "target" in capsys.readouterr().out


@pytest.mark.parametrize(
    "change, message",
    [
        ({"--features": "missing.npy"}, "not found"),
        ({"--labels": "short.npy"}, "one label per row"),
        ({"--out": "t.txt"}, "must end in .csv or .json"),
        ({"--out": "nofolder/t.csv"}, "does not exist"),
        ({"--labels": "objects.npy"}, "save labels as ints or fixed-width strings"),
        ({"--features": "flat.npy"}, "shape \\(n, d\\)"),
    ],
)
def test_compute_errors_say_what_to_fix(arrays, capsys, change, message):
    tmp, x, y = arrays
    np.save(tmp / "short.npy", y[:-3])
    np.save(tmp / "objects.npy", np.array(list(y), dtype=object), allow_pickle=True)
    np.save(tmp / "flat.npy", x[:, 0])
    opts = {"--features": "X.npy", "--labels": "y.npy", **change}
    argv = ["compute", "--quiet"] + [a for k, v in opts.items() for a in (k, str(tmp / v))]
    assert main(argv) == 2  # what the user gave: nothing computed, nothing written
    err = capsys.readouterr().err
    assert err.startswith("kstar-widgets compute: error:")
    assert re.search(message, err), err


def test_demo_runs_reports_and_reuses_its_cache(tmp_path, capsys):
    argv = [
        "demo",
        "--epochs",
        "1",
        "--cache-dir",
        str(tmp_path / "cache"),
        "--quiet",
        "--out",
        str(tmp_path / "demo.html"),
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out
    for text in (
        "pixels",
        "random CNN",
        "trained CNN",
        "robust CNN",
        "mean skewness Γ",
        "held-out accuracy",
        "accuracy under fgsm (eps 0.1)",
        "weights cache: miss",
    ):
        assert text in out, text
    per_concept = out.split("Per concept")[1].split("Whole latent space")[0]
    assert sum(line.strip()[:1].isdigit() for line in per_concept.splitlines()) == 10
    assert (tmp_path / "demo.html").stat().st_size > 100_000
    assert main([*argv[:-2], "--no-report", "--markdown"]) == 0
    again = capsys.readouterr().out
    assert "weights cache: hit" in again
    # the README's table, printed by the command, rows named as the demo names them
    markdown = again.split("As Markdown:")[1]
    rows = [line.split("|")[1].strip() for line in markdown.splitlines() if line.startswith("| ")]
    assert rows == ["latent space", "pixels", "random CNN", "trained CNN", "robust CNN"]
    assert "| under FGSM (ε 0.1) |" in markdown and "torch " in markdown and "timm " in markdown
    # the same numbers, and the same verdicts from intervals, from the cache
    assert "Verdicts, from paired bootstrap intervals" in out
    verdicts = out.split("Verdicts")[1].split("\n\n")[0]
    assert "random CNN" in verdicts and "Δ share Fractured" in verdicts and "[" in verdicts

    def whole_and_verdicts(text):
        block = text.split("Whole latent space")[1]
        return block.split("\n\n")[0], block.split("Verdicts")[1].split("\n\n")[0]

    assert whole_and_verdicts(out) == whole_and_verdicts(again)


def test_demo_rejects_bad_options(tmp_path, capsys):
    assert main(["demo", "--epochs", "0"]) == 2
    assert "at least 1 epoch" in capsys.readouterr().err
    assert main(["demo", "--out", str(tmp_path / "no" / "r.html")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_lab_dry_run_opens_the_quickstart_in_the_source_tree(capsys):
    assert main(["lab", "--dry-run", "--no-browser", "--port", "8899", "--", "--allow-root"]) == 0
    cmd = capsys.readouterr().out
    assert cmd.rstrip().endswith("--allow-root")
    root = Path(__file__).resolve().parents[2] / "notebooks"
    assert "-m jupyterlab" in cmd and "01_quickstart.ipynb" in cmd
    assert f"--ServerApp.root_dir={root}" in cmd and "--port=8899" in cmd and "--no-browser" in cmd


def test_lab_copies_installed_notebooks_without_overwriting(tmp_path, monkeypatch):
    from kstar_widgets.cli import _lab

    shipped = tmp_path / "site" / "notebooks"
    shipped.mkdir(parents=True)
    for name in ("01_quickstart.ipynb", "02_teaching_kstar.ipynb"):
        (shipped / name).write_text("{}")
    monkeypatch.setattr(_lab, "shipped_notebooks", lambda: shipped)
    monkeypatch.setattr(_lab, "find_clone", lambda: None)
    target = tmp_path / "mine"
    target.mkdir()
    (target / "01_quickstart.ipynb").write_text("my edits")
    assert _lab.notebooks_folder(target) == target
    assert (target / "01_quickstart.ipynb").read_text() == "my edits"
    assert (target / "02_teaching_kstar.ipynb").read_text() == "{}"
