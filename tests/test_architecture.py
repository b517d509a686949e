"""The folders follow the flow (docs/architecture.md): each stage imports only the stages before it, never a later
one, and no two modules import each other round a loop. Read from the source with `ast`, not by importing."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).parents[1]
# The flow, first to last. A stage may import any stage before it (and itself); the CLI and the sample web (a test
# harness standing in for county sites) sit outside it.
STAGES = ("schemas", "harvesters", "warehouse", "audit", "release", "pipelines")
OUTSIDE = {"sampleweb": {"schemas", "harvesters"}, "gongkai_cli": {*STAGES, "sampleweb"}}
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {p.relative_to(ROOT).with_suffix("").as_posix().replace("/", "."): p
             for top in (*STAGES, "sampleweb", "gongkai_cli") for p in (ROOT / top).rglob("*.py")}
    return {name.removesuffix(".__init__"): path for name, path in found.items()}


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules a file imports (anywhere in it: functions' own imports count too)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from pkg import module` imports that module; `from module import name`, the module
            names = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}".removeprefix("gongkai.") in modules
                     else node.module for a in node.names]
        for name in names:
            name = name.removeprefix("gongkai.")  # the stages install as gongkai.<stage>
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                out.add(name)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, modules) - {name} for name, path in modules.items()}


def test_no_stage_imports_a_later_stage():
    upward = []
    for module, imported in _graph().items():
        top = module.split(".")[0]
        allowed = OUTSIDE.get(top) or set(STAGES[:STAGES.index(top) + 1])
        upward += [f"{module} → {other}" for other in sorted(imported) if other.split(".")[0] not in allowed | {top}]
    assert not upward, "imports against the flow (docs/architecture.md):\n" + "\n".join(upward)


def test_no_import_loop_between_modules():
    graph = _graph()
    loops, state = [], defaultdict(int)  # 0 new, 1 on the path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state[nxt] == 1:
                loops.append(" → ".join(path[path.index(nxt):] + [nxt]))
            elif state[nxt] == 0:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if state[node] == 0:
            visit(node, [node])
    assert not loops, "import loops:\n" + "\n".join(loops)


def test_the_checks_catch_an_upward_arrow_and_a_loop(tmp_path):
    """The walker itself: an import of a later stage, and two modules importing each other, are both seen."""
    modules = {"harvesters.a": tmp_path / "a.py", "audit.b": tmp_path / "b.py"}
    modules["harvesters.a"].write_text("from gongkai.audit.b import thing\n")
    modules["audit.b"].write_text("import gongkai.harvesters.a\n")
    assert _imports(modules["harvesters.a"], modules) == {"audit.b"}
    assert _imports(modules["audit.b"], modules) == {"harvesters.a"}


def test_no_product_module_is_over_the_size_a_reader_takes_in():
    long = {name: n for name, path in _modules().items()
            if name.split(".")[0] in (*STAGES, "gongkai_cli") and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines (split them along their seams): {long}"


def test_one_adapter_list_the_registry_detection_and_sample_web_agree_with():
    from gongkai.harvesters.adapters import ADAPTERS
    from gongkai.sampleweb.families import ADAPTER_OF
    from gongkai.schemas.registry import ADAPTERS as REGISTRY_ADAPTERS

    assert tuple(ADAPTERS) == REGISTRY_ADAPTERS, "schemas/registry.py ADAPTERS must name harvesters.adapters' adapters"
    assert all(name == cls.name for name, cls in ADAPTERS.items())
    assert set(ADAPTER_OF.values()) - {None} <= set(ADAPTERS), "a sample family names an adapter that does not exist"
    assert all(cls.signs for name, cls in ADAPTERS.items() if name != "generic"), "a family adapter without signs"


def test_every_stage_is_imported_under_the_gongkai_namespace_and_installed_from_its_folder():
    """The stages install as gongkai.<stage> (pyproject.toml): a bare `import audit` would find another package, or
    this one twice. Every package folder is listed, so a wheel carries it."""
    import tomllib

    bare = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            found = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else []
            bare += [f"{name}: {m}" for m in found if m.split(".")[0] in (*STAGES, "sampleweb")]
    assert not bare, "import the stages as gongkai.<stage>:\n" + "\n".join(bare)
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    folders = {"gongkai." + p.parent.relative_to(ROOT).as_posix().replace("/", ".")
               for top in (*STAGES, "sampleweb") for p in (ROOT / top).rglob("__init__.py")}
    assert set(setup["packages"]) == folders | {"gongkai_cli"}, "pyproject.toml [tool.setuptools] packages must list every package folder"
