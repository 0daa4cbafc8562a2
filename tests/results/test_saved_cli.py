"""compute --save, then report and compare on the saved files, from the command line."""

import numpy as np
import pytest

import kstar_widgets as kw
from kstar_widgets.cli import main


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    rng = np.random.default_rng(0)
    np.save(tmp / "y.npy", np.repeat([0, 1, 2], 50))
    for name in ("a", "b"):
        np.save(tmp / f"{name}.npy", rng.normal(size=(150, 4)))
        args = ["compute", "--features", str(tmp / f"{name}.npy"), "--labels", str(tmp / "y.npy")]
        assert (
            main(
                [
                    *args,
                    "--quiet",
                    "--out",
                    str(tmp / f"{name}.csv"),
                    "--save",
                    str(tmp / f"{name}.kstar"),
                ]
            )
            == 0
        )
    return tmp


def test_compute_saves_the_result_that_load_reopens(saved):
    r = kw.load(saved / "a.kstar")
    assert r.name == "a" and r.n_samples == 150


def test_report_writes_the_page_of_saved_results(saved, capsys):
    assert (
        main(
            [
                "report",
                str(saved / "a.kstar"),
                str(saved / "b.kstar"),
                "--out",
                str(saved / "r.html"),
            ]
        )
        == 0
    )
    assert (
        "report written" in capsys.readouterr().out and (saved / "r.html").stat().st_size > 10_000
    )


def test_compare_prints_the_verdicts(saved, capsys):
    assert main(["compare", str(saved / "a.kstar"), str(saved / "b.kstar")]) == 0
    assert "<Comparison 'a' vs 'b'" in capsys.readouterr().out


def test_a_file_that_is_not_a_result_is_one_line_error(saved, capsys):
    assert main(["compare", str(saved / "a.kstar"), str(saved / "a.csv")]) == 2
    err = capsys.readouterr().err
    assert "not a zip file, so not a saved k* result" in err and "Traceback" not in err
    assert (
        "result.save" not in err
        and "(fix: pass files written by kstar-widgets compute --save)" in err
    )
    assert (
        main(
            [
                "compute",
                "--features",
                str(saved / "a.npy"),
                "--labels",
                str(saved / "y.npy"),
                "--save",
                str(saved / "x.npz"),
            ]
        )
        == 2
    )
    assert "--save" in capsys.readouterr().err
