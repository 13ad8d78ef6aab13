"""bootstrap's own layers: the values, the words, the helpers, the steps, and the run on top.

Every import of a module of ``bootstrap`` counts, type-only (``if TYPE_CHECKING:``) and inside
a function too, as lint-imports counts them: a cycle dodged that way is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bootstrap

PACKAGE = Path(bootstrap.__file__).parent
# What the steps return, frozen; the other modules that need none of ours.
LEAVES = {"results", "toolkit", "bundles", "frontend_build"}
# Every line printed, and how it is printed: they put the values into words, and know no step.
WORDS = {"messages": {"results"}, "progress": {"results", "messages", "watching"}}
STEPS = {
    "preflight",
    "plan",
    "deploy",
    "settle_origin",
    "after_stacks",
    "seed",
    "dry_run",
    "destroy",
}
RUN = "run"


def imports_of(module: str) -> set[str]:
    """The modules of ``bootstrap`` that ``module`` imports, wherever the import is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse((PACKAGE / f"{module}.py").read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == "bootstrap":
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bootstrap."):
            found.add(str(node.module).split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {
                alias.name.split(".")[1]
                for alias in node.names
                if alias.name.startswith("bootstrap.")
            }
    return found


MODULES = sorted(path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__")
HELPERS = set(MODULES) - LEAVES - set(WORDS) - STEPS - {RUN}


def test_every_module_has_a_layer() -> None:
    assert LEAVES | set(WORDS) | STEPS | {RUN} <= set(MODULES)


@pytest.mark.parametrize("module", sorted(LEAVES))
def test_a_leaf_imports_no_module_of_bootstrap(module: str) -> None:
    assert imports_of(module) == set()


@pytest.mark.parametrize(("module", "allowed"), sorted(WORDS.items()))
def test_the_words_import_the_values_and_no_step(module: str, allowed: set[str]) -> None:
    assert imports_of(module) <= allowed


@pytest.mark.parametrize("module", sorted(HELPERS))
def test_a_helper_imports_no_step(module: str) -> None:
    assert not imports_of(module) & (STEPS | {RUN})


@pytest.mark.parametrize("module", MODULES)
def test_only_the_command_imports_the_run(module: str) -> None:
    assert RUN not in imports_of(module)


@pytest.mark.parametrize("module", MODULES)
def test_no_module_of_bootstrap_is_imported_for_type_checking_only(module: str) -> None:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    guarded = [
        ast.unparse(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in ast.walk(block)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bootstrap")
    ]
    assert guarded == []
