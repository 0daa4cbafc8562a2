"""Status lines: stderr in a terminal, stdout in a notebook kernel; download failures as one error."""

import logging
import sys
import types

import pytest
from conftest import require_extra

import kstar_widgets as kw
from kstar_widgets.utils import _progress


@pytest.fixture
def fake_kernel(monkeypatch):
    """An IPython module whose shell has a kernel, as inside ipykernel."""
    shell = types.SimpleNamespace(kernel=object())
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))


def test_say_uses_stderr_in_a_terminal(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: None))
    _progress.say("features from cache /x")
    out, err = capsys.readouterr()
    assert out == "" and err == "kstar_widgets: features from cache /x\n"


def test_say_uses_stdout_in_a_jupyter_kernel(capsys, fake_kernel):
    assert _progress.in_jupyter_kernel()
    _progress.say("features from cache /x")
    out, err = capsys.readouterr()
    assert err == "" and out == "kstar_widgets: features from cache /x\n"


def test_say_is_silent_when_disabled(capsys, fake_kernel):
    _progress.say("nothing", enable=False)
    assert capsys.readouterr() == ("", "")


def test_random_weights_are_announced_once_even_without_progress(capsys, monkeypatch):
    require_extra("timm")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(_progress, "_SAID", set())
    small = dict(image_size=32, limit=8, progress=False, cache=False)
    kw.extract("timm:resnet18", **small)
    kw.extract("timm:resnet18", layer="logits", **small)
    err = capsys.readouterr().err
    assert err.count("timm:resnet18 has random weights (pretrained=False)") == 1


def test_failed_download_logs_become_the_error_not_log_lines(monkeypatch):
    from kstar_widgets.features import _offline

    monkeypatch.setattr(_offline, "hub_offline", lambda: True)
    seen = []

    class Spy(logging.Handler):
        def emit(self, record):
            seen.append(record.getMessage())

    spy = Spy()
    logging.getLogger().addHandler(spy)
    try:
        with pytest.raises(kw.features.WeightsUnavailableError, match="no weights here"):
            with _offline.offline_guard("timm:fake"):
                logging.error("Failed to download weights for tag 'x'")
                logging.getLogger("huggingface_hub").warning("retrying")
                raise OSError("no weights here")
        assert seen == []  # nothing reached the root handlers (the pink ERROR:root box)
        with _offline.held_logs():
            logging.getLogger("timm").warning("kept: loaded with unexpected keys")
        assert seen == ["kept: loaded with unexpected keys"]  # replayed when loading succeeds
    finally:
        logging.getLogger().removeHandler(spy)


def test_random_weights_after_a_failed_download_say_so(monkeypatch):
    from kstar_widgets.features import _offline

    monkeypatch.setattr(_offline, "hub_offline", lambda: True)
    monkeypatch.setattr(_offline, "_UNAVAILABLE", set())
    before = _offline.random_weights_note("timm", "fake")
    assert "pass pretrained=True" in before
    with pytest.raises(kw.features.WeightsUnavailableError):
        with _offline.offline_guard("open_clip:fake/openai"):
            raise OSError("no weights here")
    after = _offline.random_weights_note("open_clip", "fake")
    assert "could not be fetched" in after and "pass pretrained=True" not in after
    assert "pass pretrained=True" in _offline.random_weights_note("timm", "fake")


def test_progress_in_a_kernel_is_one_text_display_updated_in_place(monkeypatch):
    sent = []

    class Publisher:
        def publish(self, data, metadata, *, transient, update):
            sent.append((data, transient["display_id"], update))

    shell = types.SimpleNamespace(kernel=object(), display_pub=Publisher())
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))
    bar = _progress.progress_bar(total=136, desc="training", unit="batch")
    for _ in range(136):
        bar.update(1)  # redrawn at most a few times a second, not 136 times
    bar.close()
    bar.close()
    assert len(sent) == 2 and len({i for _, i, _ in sent}) == 1
    assert [u for *_, u in sent] == [False, True]
    assert all(list(data) == ["text/plain"] for data, *_ in sent)
    assert sent[0][0]["text/plain"].startswith("training: 0/136 batch 0%,")
    assert sent[-1][0]["text/plain"].startswith("training: 136/136 batch in ")


def test_a_long_run_says_up_front_which_engine_runs_and_for_how_long(capsys, monkeypatch):
    """Issue 19: before a run estimated at over 30 s, one line names the engine, the
    problem, the estimate and why; a short run says nothing."""
    import numpy as np

    import kstar_widgets as kw
    from kstar_widgets.engines import ExactEngine

    monkeypatch.setattr(_progress, "in_jupyter_kernel", lambda: False)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(120, 8)), np.repeat([0, 1, 2], 40)
    kw.kstar(x, y, method="exact", progress=True)
    assert "should take" not in capsys.readouterr().err
    monkeypatch.setattr(ExactEngine, "estimate_seconds", lambda self, problem: 120.0)
    kw.kstar(x, y, method="auto", progress=True)
    err = capsys.readouterr().err
    assert "kstar_widgets: exact k* of 120 x 8 should take about 2 min here" in err, err
    assert "(an estimate; auto: exact (est. 120.0 s)" in err, err
    kw.kstar(x, y, method="exact", progress=False)  # progress=False: silent
    assert "should take" not in capsys.readouterr().err
