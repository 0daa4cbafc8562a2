"""The package's rooms, read from its source: who may import whom, no import circle, small
functions. Every import statement counts, function-local ones included."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "kstar_widgets"
# the verbs and what they return; everything else lives in a room
ROOT_MODULES = {
    "__init__",
    "_kstar",
    "_result",
    "_compare",
    "_null",
    "interpret",
    "synthetic",
    "_saved",
}
ROOMS = {"stats", "utils", "engines", "features", "datasets", "widgets", "training", "cli"}
MAX_FUNCTION_LINES = 60  # code lines, the docstring left out


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ["kstar_widgets", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imported(name: str, path: Path) -> set[str]:
    """Modules of the package that ``name`` (at ``path``) imports anywhere in its code."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            module = ".".join(base + (node.module.split(".") if node.module else []))
            # "from pkg import sub" imports the submodule; "from mod import name" the module
            subs = [f"{module}.{a.name}" for a in node.names if f"{module}.{a.name}" in MODULES]
            targets = subs or [module]
        else:
            continue
        found.update(t for t in targets if t in MODULES and t != name)
    return found


GRAPH = {name: _imported(name, path) for name, path in MODULES.items()}


def _room(module: str) -> str:
    """The first part under kstar_widgets: a room, or a root module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_the_import_graph_has_no_circle():
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                circle = [*stack[stack.index(nxt) :], nxt]
                raise AssertionError("import circle: " + " -> ".join(circle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(GRAPH):
        if node not in state:
            visit(node)


def test_the_root_holds_the_verbs_and_the_rooms():
    entries = {p.stem for p in PACKAGE.glob("*.py")}
    assert entries <= ROOT_MODULES, (
        f"modules at the root that belong in a room: {entries - ROOT_MODULES}"
    )
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert folders <= ROOMS, folders - ROOMS


def _reaches_outside(room: str, allowed: set[str]) -> list[str]:
    return sorted(
        f"{m} -> {t}"
        for m, targets in GRAPH.items()
        if _room(m) == room
        for t in targets
        if _room(t) not in allowed | {room}
    )


def test_the_engines_import_only_the_plumbing_from_the_package():
    assert _reaches_outside("engines", {"utils"}) == []


def test_the_statistics_import_only_the_plumbing():
    assert _reaches_outside("stats", {"utils"}) == []


def test_the_plumbing_imports_nothing_of_the_package():
    assert _reaches_outside("utils", set()) == []


UI = {"bokeh", "anywidget", "ipywidgets", "IPython"}
MODELS = {"torch", "timm", "open_clip", "pynndescent", "numba"}


def test_the_statistics_import_no_torch_and_no_ui_and_the_plumbing_no_ui():
    for name, path in MODULES.items():
        heavy = {"stats": UI | MODELS, "utils": UI}.get(_room(name))
        if heavy is None:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            assert not {n.split(".")[0] for n in names} & heavy, f"{name} imports {names}"


def _long_functions() -> list[str]:
    out = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            lines = node.end_lineno - node.lineno + 1
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                lines -= first.end_lineno - first.lineno + 1
            if lines > MAX_FUNCTION_LINES:
                out.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name} ({lines} lines)")
    return sorted(out)


def test_no_function_runs_over_sixty_lines():
    assert _long_functions() == []
