"""The command line never ends in a traceback or a half-written output.

Every bad output path is refused before the computation, every bad input before the
computation, each as one line ``kstar-widgets <command>: error: <problem> (fix: <fix>)``;
outputs appear together or not at all.
"""

import csv
import errno
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import kstar_widgets as kw
from kstar_widgets.cli import main
from kstar_widgets.synthetic import pattern_space

FORMULA = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 6)).astype(np.float32)
    y = np.repeat([0, 1, 2], 40)
    np.save(tmp_path / "X.npy", x)
    np.save(tmp_path / "y.npy", y)
    return tmp_path


def compute_argv(tmp, *extra, features="X.npy", labels="y.npy"):
    return [
        "compute",
        "--features",
        str(tmp / features),
        "--labels",
        str(tmp / labels),
        "--quiet",
        "--method",
        "exact",
        *extra,
    ]


@pytest.fixture
def never_computes(monkeypatch):
    """Fail loudly if the command starts the computation (or the demo's models)."""

    def refuse(*args, **kwargs):
        raise AssertionError("the computation started before the error was found")

    monkeypatch.setattr(kw, "kstar", refuse)
    import kstar_widgets.training

    monkeypatch.setattr(kstar_widgets.training, "digits_spaces", refuse)


def one_line_error(capsys, command="compute"):
    """The command's stderr: one line, in the documented form, without a traceback."""
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"kstar-widgets {command}: error: "), err
    return lines[0]


def bad_paths(tmp, suffix):
    """(case, path): a folder that cannot be written, a folder, a missing folder."""
    (tmp / f"folder{suffix}").mkdir()
    return {
        "unwritable": f"/proc/out{suffix}",
        "folder": str(tmp / f"folder{suffix}"),
        "missing parent": str(tmp / "no" / "such" / f"out{suffix}"),
    }


@pytest.mark.parametrize(
    "option, suffix", [("--out", ".csv"), ("--report", ".html"), ("--save", ".kstar")]
)
@pytest.mark.parametrize("case", ["unwritable", "folder", "missing parent"])
def test_bad_output_paths_are_refused_before_computing(
    files, capsys, never_computes, option, suffix, case
):
    before = sorted(p.name for p in files.iterdir())
    path = bad_paths(files, suffix)[case]
    assert main(compute_argv(files, option, path)) == 2
    line = one_line_error(capsys)
    assert option in line and "(fix: " in line, line
    assert {
        "unwritable": "cannot create files",
        "folder": "is a folder",
        "missing parent": "does not exist",
    }[case] in line
    assert sorted(p.name for p in files.iterdir()) == sorted([*before, f"folder{suffix}"])


@pytest.mark.parametrize("case", ["unwritable", "folder", "missing parent"])
def test_demo_and_report_check_their_out_before_working(files, capsys, never_computes, case):
    path = bad_paths(files, ".html")[case]
    assert main(["demo", "--quiet", "--out", path]) == 2
    assert "--out" in one_line_error(capsys, "demo")
    assert main(["report", str(files / "missing.kstar"), "--out", path]) == 2
    assert "--out" in one_line_error(capsys, "report")


def test_an_unwritable_out_ends_in_one_line_from_the_shell(files):
    """The console command itself: no traceback, nothing on stdout, status 2."""
    argv = compute_argv(files, "--out", "/proc/table.csv")
    done = subprocess.run(
        [sys.executable, "-m", "kstar_widgets.cli", *argv], capture_output=True, text=True
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(
        "kstar-widgets compute: error: cannot create files in folder '/proc'"
    )
    assert len(done.stderr.strip().splitlines()) == 1 and "(fix: " in done.stderr


def test_outputs_appear_together_or_not_at_all(files, capsys, monkeypatch):
    """The report fails after the table and the save were written: neither is left behind,
    an older table keeps its contents, and no temporary file remains."""
    import kstar_widgets.widgets

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(kstar_widgets.widgets, "report", full_disk)
    (files / "old.csv").write_text("an older table\n")
    before = sorted(p.name for p in files.iterdir())
    argv = compute_argv(files, "--out", str(files / "old.csv"), "--save", str(files / "r.kstar"))
    assert main([*argv, "--report", str(files / "r.html")]) == 1
    line = one_line_error(capsys)
    assert "no space left on device" in line.lower() and "(fix: " in line
    assert sorted(p.name for p in files.iterdir()) == before
    assert (files / "old.csv").read_text() == "an older table\n"
    # and when everything succeeds, all three appear
    monkeypatch.undo()
    assert main([*argv, "--report", str(files / "r.html")]) == 0
    assert (files / "old.csv").read_text().startswith("concept,") and (files / "r.kstar").is_file()
    assert (files / "r.html").is_file()
    assert not [p for p in files.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("option", ["--features", "--labels"])
def test_broken_npy_files_are_named_for_their_option(files, capsys, never_computes, option):
    other = "--labels" if option == "--features" else "--features"
    (files / "empty.npy").write_bytes(b"")
    pd.DataFrame(np.load(files / "X.npy")).to_csv(files / "table.npy", index=False)
    whole = (files / ("X.npy" if option == "--features" else "y.npy")).read_bytes()
    (files / "cut.npy").write_bytes(whole[: len(whole) - 40])
    name = "features" if option == "--features" else "labels"
    for bad, message in (
        ("empty.npy", "is empty (0 bytes)"),
        ("table.npy", "is not a .npy file"),
        ("cut.npy", "is cut short"),
    ):
        argv = compute_argv(files, **{name: bad})
        assert main(argv) == 2
        line = one_line_error(capsys)
        assert f"{option} " in line and message in line and "(fix: " in line, line
        assert other not in line.split("(fix:")[0], line
    # a text file under a .npy name: said to be text, and how to convert it
    assert main(compute_argv(files, **{name: "table.npy"})) == 2
    line = one_line_error(capsys)
    assert "text" in line and "np.loadtxt" in line and "pickled" not in line


def test_features_of_python_objects_are_not_told_to_save_labels(files, capsys, never_computes):
    np.save(files / "objects.npy", np.empty((120, 6), dtype=object), allow_pickle=True)
    assert main(compute_argv(files, features="objects.npy")) == 2
    line = one_line_error(capsys)
    assert "--features" in line and "labels" not in line and "float" in line


def test_nan_in_the_features_is_found_before_computing(files, capsys, never_computes):
    x = np.load(files / "X.npy")
    x[5, 2], x[17, 0], x[90, 5] = np.nan, np.inf, -np.inf
    np.save(files / "nan.npy", x)
    assert main(compute_argv(files, features="nan.npy")) == 2
    line = one_line_error(capsys)
    assert "NaN or inf in 3 of 120 rows" in line and "5, 17, 90" in line, line
    assert "kstar()" not in line and "--labels" in line.split("(fix:")[1], line


def test_nan_is_found_before_a_dask_cluster_is_started(files, capsys, monkeypatch):
    pytest.importorskip("distributed")
    import kstar_widgets.engines.dask as dask_engines

    def refuse(*args, **kwargs):
        raise AssertionError("a cluster was started before the error was found")

    monkeypatch.setattr(dask_engines, "resolve_client", refuse)
    x = np.load(files / "X.npy")
    x[7, 1] = np.nan
    np.save(files / "nan.npy", x)
    assert main(compute_argv(files, "--backend", "dask", features="nan.npy")) == 2
    assert "NaN or inf in 1 of 120 rows (rows 7; counted from 0)" in one_line_error(capsys)


def test_the_python_message_for_nan_still_speaks_python(files):
    x = np.load(files / "X.npy")
    x[5, 2] = np.nan
    with pytest.raises(ValueError, match=r"before calling kstar\(\)"):
        from kstar_widgets.utils._validation import check_features

        check_features(x)


def test_zero_rows_under_cosine_are_found_before_computing(files, capsys, never_computes):
    x = np.load(files / "X.npy")
    x[3] = 0
    np.save(files / "zero.npy", x)
    assert main(compute_argv(files, "--metric", "cosine", features="zero.npy")) == 2
    line = one_line_error(capsys)
    assert "all-zero" in line and "--metric euclidean" in line and "metric=" not in line


def test_labels_and_threshold_are_checked_before_computing(files, capsys, never_computes):
    np.save(files / "one.npy", np.zeros(120, dtype=int))
    assert main(compute_argv(files, labels="one.npy")) == 2
    assert "--labels" in one_line_error(capsys)
    assert main(compute_argv(files, "--threshold", "-1")) == 2
    assert "--threshold" in one_line_error(capsys)


def test_the_csv_cannot_run_formulas_in_a_spreadsheet(files, capsys):
    names = [
        '=HYPERLINK("http://x.example","y")',
        "+cmd|' /C calc'!A0",
        "@SUM(1)",
        "-2+3",
        "\tx",
        "\rz",
        "plain",
    ]
    x, codes = pattern_space("clustered", n_others=len(names) - 1, dim=4, random_state=0)
    y = np.array(names)[np.unique(codes, return_inverse=True)[1]]  # clustered: negative skewness
    np.save(files / "Xf.npy", x)
    np.save(files / "yf.npy", y)
    argv = compute_argv(files, features="Xf.npy", labels="yf.npy")
    assert main([*argv, "--out", str(files / "t.csv")]) == 0
    with open(files / "t.csv", newline="") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    for cell in cells:
        if cell.startswith(FORMULA):
            float(cell)  # only numbers may start with a sign: -0.53 stays a number
    assert any(cell.startswith("-") for cell in cells)  # a negative skewness is in there
    table = pd.read_csv(files / "t.csv", index_col="concept")
    assert sorted(table.index) == sorted("'" + n if n.startswith(FORMULA) else n for n in names)
    assert table["skewness"].dtype == np.float64
    # JSON is no spreadsheet: its labels stay as they are
    assert main([*argv, "--out", str(files / "t.json")]) == 0
    assert {r["concept"] for r in pd.read_json(files / "t.json").to_dict("records")} == set(names)


def test_negative_int_labels_stay_numbers_in_the_csv(files):
    np.save(files / "yn.npy", np.repeat([-1, 0, 1], 40))
    assert main([*compute_argv(files, labels="yn.npy"), "--out", str(files / "t.csv")]) == 0
    table = pd.read_csv(files / "t.csv", index_col="concept")
    assert table.index.tolist() == [-1, 0, 1]


def test_help_shows_descriptions_and_defaults(capsys):
    with pytest.raises(SystemExit):
        main(["compute", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--metric {euclidean,cosine} " in text and "(default: euclidean)" in text
    assert "--method {auto,exact,approx} " in text and "(default: auto)" in text
    assert "1 - cosine similarity" in text and "estimated 3x faster" in text
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--seed SEED split, weights and shuffling seed (default: 0)" in text


def test_missing_widgets_advise_what_each_command_has(files, capsys, never_computes, monkeypatch):
    monkeypatch.setitem(sys.modules, "kstar_widgets.widgets", None)  # import fails
    assert main(compute_argv(files, "--report", str(files / "r.html"))) == 2
    line = one_line_error(capsys)
    assert "pip install 'kstar-widgets[widgets]'" in line and "drop --report" in line
    assert "--no-report" not in line
    assert main(["demo", "--quiet", "--out", str(files / "d.html")]) == 2
    assert "--no-report" in one_line_error(capsys, "demo")


def test_an_unexpected_error_is_one_line_unless_debug(files, capsys, monkeypatch):
    def bug(*args, **kwargs):
        raise RuntimeError("something inside broke")

    monkeypatch.setattr(kw, "kstar", bug)
    assert main(compute_argv(files)) == 1
    line = one_line_error(capsys)
    assert "RuntimeError: something inside broke" in line and "--debug" in line
    with pytest.raises(RuntimeError, match="something inside broke"):
        main([*compute_argv(files), "--debug"])
    with pytest.raises(RuntimeError, match="something inside broke"):
        main(["--debug", *compute_argv(files)])


def test_known_failures_while_running_are_one_line(files, capsys, monkeypatch):
    def refuse(*args, **kwargs):
        raise ValueError("n_neighbors=5 is too small; pass more.")

    monkeypatch.setattr(kw, "kstar", refuse)
    assert main(compute_argv(files)) == 1
    assert one_line_error(capsys).endswith("n_neighbors=5 is too small; pass more.")

    def out_of_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(kw, "kstar", out_of_memory)
    assert main(compute_argv(files)) == 1
    line = one_line_error(capsys)
    assert "out of memory" in line and "--method approx" in line and "--scheduler" in line


def test_a_memory_error_that_says_why_is_printed_as_it_says(files, capsys, monkeypatch):
    why = "workers exceeded their memory limit of 300.00 MiB; give them at least 1.00 GiB"

    def workers_killed(*args, **kwargs):
        raise MemoryError(why)

    monkeypatch.setattr(kw, "kstar", workers_killed)
    assert main(compute_argv(files)) == 1
    assert one_line_error(capsys).endswith(why)
