"""The cache key identifies everything that decides the features: a transform's code,
constants, defaults, closure values and state, a torchvision transform's parameters,
a module's weights and buffers. What cannot be identified is not cached."""

import os
import subprocess
import sys

import numpy as np
import pytest

import kstar_widgets as kw
from kstar_widgets.features._identity import identity
from kstar_widgets.utils import _progress

_OUT = dict(capture_output=True, text=True, check=True)

torch = pytest.importorskip("torch")


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.head = torch.nn.Linear(1, 3)

    def forward(self, x):
        return self.head(x.mean(dim=(2, 3)))


def _gray(img):
    return torch.from_numpy(np.asarray(img.convert("L"), dtype=np.float32) / 255.0)[None]


@pytest.fixture
def run(tmp_path):
    torch.manual_seed(0)
    net = Net()

    def extract(transform, model=net):
        return kw.extract(model, transform=transform, limit=12, progress=False, cache_dir=tmp_path)

    return extract


def _differ(run, first, second):
    """The second transform is a miss, and its features are its own."""
    a, b = run(first), run(second)
    assert a.meta["cache"] == "miss" and b.meta["cache"] == "miss"
    assert not np.allclose(a.features, b.features)
    assert run(first).meta["cache"] == "hit" and run(second).meta["cache"] == "hit"
    np.testing.assert_array_equal(run(second).features, b.features)


def _defined(body):
    """A function ``tf`` defined by a cell or script of its own (same module, same name)."""
    namespace = {"_gray": _gray, "__name__": __name__}
    exec(f"def tf(img):\n    return {body}\n", namespace)
    return namespace["tf"]


def test_two_functions_of_the_same_name_are_two_keys(run):
    first, second = _defined("(_gray(img) - 0.5) / 0.2"), _defined("_gray(img)")
    assert (first.__module__, first.__qualname__) == (second.__module__, second.__qualname__)
    _differ(run, first, second)


def test_two_functions_redefined_under_one_name_are_two_keys(run):
    def tf(img):
        return _gray(img) * 3.0

    first = tf

    def tf(img):  # a notebook cell run again after an edit
        return _gray(img)

    _differ(run, first, tf)


def test_two_lambdas_of_one_module_are_two_keys(run):
    _differ(run, lambda img: _gray(img) * 2.0, lambda img: _gray(img))


def test_closure_values_defaults_and_globals_are_in_the_key(run):
    def scaled(factor):
        return lambda img: _gray(img) * factor

    _differ(run, scaled(1.0), scaled(4.0))

    def shifted(img, shift=0.0):
        return _gray(img) + shift

    def shifted_more(img, shift=0.0):
        return _gray(img) + shift

    shifted_more.__defaults__ = (5.0,)
    shifted_more.__name__ = shifted_more.__qualname__ = shifted.__qualname__
    _differ(run, shifted, shifted_more)


def test_callable_objects_and_bound_methods_by_their_state(run):
    class Scale:
        def __init__(self, factor):
            self.factor = factor

        def __call__(self, img):
            return _gray(img) * self.factor

        def apply(self, img):
            return _gray(img) + self.factor

    _differ(run, Scale(1.0), Scale(3.0))
    _differ(run, Scale(1.0).apply, Scale(3.0).apply)


def test_torchvision_transforms_by_every_parameter(run):
    from torchvision.transforms import v2

    def pipeline(dtype):
        return v2.Compose(
            [
                v2.Grayscale(),
                v2.PILToTensor(),
                v2.ToDtype(dtype, scale=True),
                v2.ToDtype(torch.float32),
            ]
        )

    # ToDtype's repr leaves the dtype out: uint8 -> float16 rounds, -> float64 does not
    assert repr(pipeline(torch.float16)) == repr(pipeline(torch.float64))
    a, b = run(pipeline(torch.float16)), run(pipeline(torch.float64))
    assert a.meta["cache"] == b.meta["cache"] == "miss"
    assert a.meta["cache_path"] != b.meta["cache_path"]
    assert run(pipeline(torch.float16)).meta["cache"] == "hit"
    _differ(run, v2.Lambda(lambda img: _gray(img) * 2.0), v2.Lambda(lambda img: _gray(img)))


def test_a_module_with_a_non_persistent_buffer_is_keyed_by_it(run):
    class Shifted(Net):
        def __init__(self, shift):
            super().__init__()
            self.register_buffer("shift", torch.tensor(shift), persistent=False)

        def forward(self, x):
            return super().forward(x + self.shift)

    torch.manual_seed(0)
    first = Shifted(0.0)
    torch.manual_seed(0)
    second = Shifted(10.0)
    a, b = run(_gray, first), run(_gray, second)
    assert b.meta["cache"] == "miss" and not np.allclose(a.features, b.features)


def test_a_transform_that_cannot_be_identified_is_not_cached(run, capsys, tmp_path):
    handle = open(tmp_path / "log.txt", "w")  # state no key can identify

    def logged(img):
        handle.write("x")
        return _gray(img)

    _progress._SAID.clear()
    first = run(logged)
    assert first.meta["cache"] == "off" and first.meta["cache_path"] is None
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not cached" in err and "cache=False" in err
    assert run(logged).meta["cache"] == "off"
    assert capsys.readouterr().err == ""  # said once
    handle.close()


def _net_class(body):
    """A Net subclass whose forward is ``body``, as a notebook cell run again defines it."""
    namespace = {"Net": Net, "__name__": __name__}
    exec(f"class Edited(Net):\n    def forward(self, x):\n        return {body}\n", namespace)
    return namespace["Edited"]


def test_a_module_class_of_the_users_is_keyed_by_its_code_and_attributes(run):
    first, second = (
        _net_class("self.head(x.mean(dim=(2, 3)))"),
        _net_class("self.head(x.amax(dim=(2, 3)))"),
    )
    torch.manual_seed(0)
    a = run(_gray, first())
    torch.manual_seed(0)
    b = run(_gray, second())
    assert b.meta["cache"] == "miss" and not np.allclose(a.features, b.features)
    torch.manual_seed(0)
    assert run(_gray, first()).meta["cache"] == "hit"

    class Scaled(Net):
        def forward(self, x):
            return super().forward(x) * self.scale

    torch.manual_seed(0)
    one, three = Scaled(), Scaled()
    three.load_state_dict(one.state_dict())
    one.scale, three.scale = 1.0, 3.0
    a, b = run(_gray, one), run(_gray, three)
    assert b.meta["cache"] == "miss" and not np.allclose(a.features, b.features)


def test_identity_is_stable_across_processes():
    code = (
        "import torch; from torchvision.transforms import v2;"
        "from kstar_widgets.features._identity import identity;"
        "ns = {'__name__': 'cells'};"
        'exec(\'def tf(x, k=2):\\n    return x in {"a", "b", "c", 1.5}\', ns);'
        "pipe = v2.Compose([v2.PILToTensor(), v2.ToDtype(torch.float32, scale=True), ns['tf']]);"
        "print(identity(pipe))"
    )
    seen = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code], env=env, **_OUT)
        seen.add(out.stdout.strip())
    assert len(seen) == 1


def test_the_globals_a_function_reads_are_in_its_identity():
    namespace = {"SCALE": 1.0, "__name__": "cells"}
    exec("def tf(img):\n    return img * SCALE\n", namespace)
    before = identity(namespace["tf"])
    namespace["SCALE"] = 2.0
    assert identity(namespace["tf"]) != before


def test_library_modules_of_another_structure_with_the_same_weights_are_two_keys(run):
    def net(activation):
        torch.manual_seed(0)
        return torch.nn.Sequential(
            torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(3, 4), activation
        )

    relu, tanh = net(torch.nn.ReLU()), net(torch.nn.Tanh())
    a, b = run(None, relu), run(None, tanh)
    assert b.meta["cache"] == "miss" and not np.allclose(a.features, b.features)
    assert run(None, net(torch.nn.ReLU())).meta["cache"] == "hit"  # same structure and weights
