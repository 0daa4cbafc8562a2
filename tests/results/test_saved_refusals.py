"""load refuses newer, damaged and foreign files with a message naming the problem and the fix."""

import io
import json
import zipfile

import numpy as np
import pytest
from helpers_saved import censored_result, labelled

import kstar_widgets as kw


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "run.kstar"
    censored_result(*labelled("str")).save(path)
    return path


def _rewrite(path, members: dict):
    """Copy the zip at ``path`` onto itself with members replaced (bytes) or dropped (None)."""
    with zipfile.ZipFile(path) as z:
        kept = {name: z.read(name) for name in z.namelist()}
    kept.update(members)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in kept.items():
            if data is not None:
                z.writestr(name, data)


def _meta(path) -> dict:
    with zipfile.ZipFile(path) as z:
        return json.loads(z.read("meta.json"))


def _npy(arr, **kw) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, **kw)
    return buf.getvalue()


def test_a_newer_format_is_refused_with_the_upgrade_command(saved):
    meta = _meta(saved)
    meta["format_version"] = 2
    meta["written_by"]["kstar_widgets"] = "9.9.0"
    _rewrite(saved, {"meta.json": json.dumps(meta).encode()})
    with pytest.raises(
        ValueError, match=r"written by kstar_widgets 9\.9\.0 with format 2; this is format 1"
    ) as e:
        kw.load(saved)
    assert "pip install -U kstar-widgets" in str(e.value)


def test_a_truncated_file_is_refused(saved):
    data = saved.read_bytes()
    saved.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"not a zip file.*cut short"):
        kw.load(saved)


def test_a_corrupted_member_is_refused_as_damaged(saved):
    with zipfile.ZipFile(saved) as z:
        info = z.getinfo("k.npy")
    data = bytearray(saved.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + 20
    data[start : start + 16] = bytes(16)
    saved.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"is damaged: the member k.npy cannot be read"):
        kw.load(saved)


def test_a_missing_member_is_refused(saved):
    _rewrite(saved, {"intruder.npy": None})
    with pytest.raises(ValueError, match=r"damaged: the member intruder.npy is missing"):
        kw.load(saved)


def test_an_array_of_the_wrong_shape_is_refused(saved):
    _rewrite(saved, {"k_norm.npy": _npy(np.zeros(7))})
    with pytest.raises(
        ValueError, match=r"damaged: k_norm.npy has shape \(7,\), expected \(200,\)"
    ):
        kw.load(saved)


def test_a_pickled_member_is_refused_never_unpickled(saved):
    _rewrite(saved, {"labels.npy": _npy(np.array(["a", 1] * 100, dtype=object), allow_pickle=True)})
    with pytest.raises(ValueError, match=r"labels.npy cannot be read.*allow_pickle"):
        kw.load(saved)


def test_a_garbled_meta_json_is_refused(saved):
    meta = _meta(saved)
    del meta["concepts"]
    _rewrite(saved, {"meta.json": json.dumps(meta).encode()})
    with pytest.raises(ValueError, match=r"damaged: meta.json lacks or garbles 'concepts'"):
        kw.load(saved)
    _rewrite(saved, {"meta.json": b"{not json"})
    with pytest.raises(ValueError, match=r"damaged: meta.json cannot be read"):
        kw.load(saved)


def test_a_zip_that_is_not_a_result_is_refused(tmp_path):
    path = tmp_path / "other.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ValueError, match=r"holds no meta.json: it is not a k\* result"):
        kw.load(path)
    _rewrite(path, {"meta.json": b'{"format": "something.else"}'})
    with pytest.raises(ValueError, match=r"not a k\* result's \(format 'something.else'\)"):
        kw.load(path)


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "k.npy"
    np.save(path, np.arange(5))
    with pytest.raises(ValueError, match=r"not a zip file, so not a saved k\* result"):
        kw.load(path)
    with pytest.raises(FileNotFoundError):
        kw.load(tmp_path / "absent.kstar")
