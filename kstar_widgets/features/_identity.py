"""A value's identity for the feature cache: what decides its behaviour, stable across processes.

Code defined in an installed library (site-packages, the standard library, built-ins)
is named by module and qualified name; the user's own code by its content: a function's
bytecode, constants, names, defaults, closure values and the globals it reads; an object
by its class and the state pickle would save (so torchvision transforms by every
parameter, tensors by their bytes). What pickle cannot save (an open file, a lock, an
arbitrary C object) raises ``Unidentifiable``: such a request is not cached.
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
import sys
import sysconfig
import types

_MAX_DEPTH = 100  # nested containers and objects; each costs ~3 Python frames
_SIMPLE = (type(None), bool, int, float, complex, str, bytes)
_LIBRARY_DIRS = tuple(
    os.path.realpath(p) + os.sep
    for key in ("stdlib", "platstdlib", "purelib", "platlib")
    if (p := sysconfig.get_paths().get(key))
)


class Unidentifiable(TypeError):
    """A value the cache key cannot identify reliably."""


def identity(value) -> str:
    """sha256 of ``value``'s identity; raises ``Unidentifiable`` when there is none."""
    tree = _Walker().walk(value)
    return hashlib.sha256(json.dumps(tree, separators=(",", ":")).encode()).hexdigest()


def tensor_bytes(tensor) -> bytes:
    """The raw bytes of a torch tensor (any dtype, any device)."""
    import torch

    return tensor.detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def in_library(module_name) -> bool:
    """True for code of an installed library or built-in; False for the user's own (__main__ too)."""
    if not module_name or module_name == "__main__":
        return False
    module = sys.modules.get(module_name)
    path = getattr(module, "__file__", None)
    if path is None:
        return module is not None  # compiled into the interpreter
    return os.path.realpath(path).startswith(_LIBRARY_DIRS)


def _name(obj) -> str:
    return f"{getattr(obj, '__module__', None)}.{getattr(obj, '__qualname__', None)}"


def _cell(cell):
    """A closure cell's value (a marker while it is still unbound)."""
    try:
        return cell.cell_contents
    except ValueError:
        return _Unbound


class _Unbound:
    """The value of a closure cell not yet assigned."""


def _sorted(trees) -> list:
    """Trees in a stable order (by their JSON text: they may not compare with each other)."""
    return sorted(trees, key=json.dumps)


def _global_names(code) -> set:
    """Names a code object (and the code nested in it) looks up outside its locals."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names


class _Walker:
    """One walk over a value: a JSON-able tree, cycles cut, depth bounded."""

    def __init__(self):
        self.stack: set[int] = set()

    def walk(self, value):
        """The identity tree of any value."""
        if isinstance(value, _SIMPLE):
            return [type(value).__name__, repr(value)]
        if id(value) in self.stack:
            return ["cycle"]
        if len(self.stack) >= _MAX_DEPTH:
            raise Unidentifiable(f"a {type(value).__name__} nested too deeply")
        self.stack.add(id(value))
        try:
            return self._compound(value)
        finally:
            self.stack.discard(id(value))

    def _compound(self, value):
        """The tree of a value that is not a plain scalar."""
        if isinstance(value, (list, tuple)):
            return [type(value).__name__, [self.walk(v) for v in value]]
        if isinstance(value, dict):
            items = _sorted([self.walk(k), self.walk(v)] for k, v in value.items())
            return [type(value).__name__, items]
        if isinstance(value, (set, frozenset)):
            return [type(value).__name__, _sorted(self.walk(v) for v in value)]
        if isinstance(value, types.CodeType):
            return self._code(value)
        if isinstance(value, types.ModuleType):
            return ["module", value.__name__]
        if isinstance(value, enum.Enum):
            return ["enum", _name(type(value)), value.name]
        special = self._array(value)
        if special is not None:
            return special
        if isinstance(value, type):
            return self._class(value)
        if isinstance(value, (types.FunctionType, types.MethodType, types.BuiltinFunctionType)):
            return self._callable(value)
        if isinstance(value, (classmethod, staticmethod)):
            return [type(value).__name__, self.walk(value.__func__)]
        if isinstance(value, property):
            return ["property", self.walk(value.fget), self.walk(value.fset)]
        return self._object(value)

    def _array(self, value):
        """numpy arrays and scalars, torch tensors, dtypes and devices; None for anything else."""
        kind = type(value).__module__.split(".")[0]
        if kind == "numpy":
            import numpy as np

            if isinstance(value, (np.ndarray, np.generic)) and value.dtype != object:
                arr = np.ascontiguousarray(value)
                return ["ndarray", arr.dtype.str, list(arr.shape), _digest(arr.tobytes())]
            if isinstance(value, np.dtype):
                return ["dtype", value.str]
        if kind == "torch":
            import torch

            if isinstance(value, torch.Tensor):
                if value.is_meta or torch.nn.parameter.is_lazy(value):
                    raise Unidentifiable("a tensor without data (meta or lazy)")
                shape = list(value.shape)
                return ["tensor", str(value.dtype), shape, _digest(tensor_bytes(value))]
            if isinstance(value, (torch.dtype, torch.device, torch.layout)):
                return [type(value).__name__, str(value)]
        return None

    def _code(self, code):
        """Bytecode, constants and names of a code object (line numbers left out)."""
        return [
            "code",
            code.co_code.hex(),
            [self.walk(c) for c in code.co_consts],
            list(code.co_names),
            list(code.co_varnames),
            [code.co_argcount, code.co_kwonlyargcount, code.co_flags],
        ]

    def _callable(self, fn):
        """Functions by content (library ones by name), methods with their object, C functions."""
        if isinstance(fn, types.MethodType):
            return ["method", self.walk(fn.__func__), self.walk(fn.__self__)]
        owner = getattr(fn, "__self__", None)
        if isinstance(fn, types.BuiltinFunctionType):
            bound = owner is not None and not isinstance(owner, types.ModuleType)
            return ["builtin", _name(fn), self.walk(owner) if bound else None]
        if in_library(fn.__module__):
            return ["function", _name(fn)]
        cells = [_cell(c) for c in fn.__closure__ or ()]
        scope = fn.__globals__
        reads = {n: scope[n] for n in sorted(_global_names(fn.__code__)) if n in scope}
        return [
            "function",
            _name(fn),
            self._code(fn.__code__),
            self.walk(fn.__defaults__),
            self.walk(fn.__kwdefaults__),
            self.walk(cells),
            self.walk(reads),
        ]

    def _class(self, cls):
        """A library class by name; the user's own by its bases and the namespace it defines."""
        if in_library(cls.__module__):
            return ["class", _name(cls)]
        skip = {"__dict__", "__weakref__", "__doc__", "__module__", "__qualname__"}
        body = {k: v for k, v in vars(cls).items() if k not in skip}
        bases = [self.walk(b) for b in cls.__bases__]
        return ["class", _name(cls), bases, self.walk(body)]

    def _object(self, obj):
        """Any other object by what pickle saves of it: its class, arguments and state."""
        try:
            reduced = obj.__reduce_ex__(4)
        except Exception as exc:
            raise Unidentifiable(f"a {type(obj).__name__} object ({exc})") from None
        if isinstance(reduced, str):  # a module-level singleton, pickled by name
            return ["global", _name(type(obj)), reduced]
        parts = list(reduced[:3])
        parts += [list(it) if it is not None else None for it in reduced[3:5]]
        return ["object", self.walk(type(obj)), self.walk(parts)]
