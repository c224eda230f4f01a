"""The shape of the house, checked: imports flow one way, each mechanism exists once, modules stay readable.

Floors, from the ground: audit → core → people → notifications → approvals | incidents → policydocs →
disclosures.
`socialpolicy` wires them and no app imports it; `bench/` is never imported by an app. Every import is
read, including those inside functions, so a layering break cannot hide in a late import.
"""

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
APPS = ["audit", "core", "people", "notifications", "approvals", "incidents", "policydocs", "disclosures"]
PROJECT = {*APPS, "socialpolicy", "bench", "tests"}
# What each app may import from the project, besides itself.
MAY_IMPORT = {
    "audit": set(),
    "core": {"audit"},
    "people": {"audit", "core"},
    "notifications": {"audit", "core", "people"},
    "approvals": {"audit", "core", "people", "notifications"},
    "incidents": {"audit", "core", "people", "notifications"},
    "policydocs": {"audit", "core", "people", "notifications", "approvals", "incidents"},
    "disclosures": {"audit", "core", "people", "notifications", "approvals", "incidents", "policydocs"},
}
LONGEST_MODULE = 500


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every project module `path` imports, anywhere in the file, as dotted names."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            # `from . import services` imports a module, not a name.
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in PROJECT}


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_the_floors_below_it(app):
    wrong = sorted(
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _modules(app)
        for name in _imports(path)
        if name.split(".")[0] not in MAY_IMPORT[app] | {app}
    )
    assert wrong == []


def test_no_two_modules_import_each_other_even_inside_functions():
    known = {_module_name(path): path for app in APPS for path in _modules(app)}
    graph = defaultdict(set)
    for name, path in known.items():
        for imported in _imports(path):
            # "a.b.c" may name a module or a name in module "a.b".
            target = imported if imported in known else imported.rpartition(".")[0]
            if target in known and target != name and not name.startswith(target + "."):
                graph[name].add(target)
    cycles = set()

    def visit(node, stack, on_stack):
        for nxt in sorted(graph[node]):
            if nxt in on_stack:
                cycle = stack[stack.index(nxt) :]
                start = cycle.index(min(cycle))
                cycles.add(" -> ".join(cycle[start:] + cycle[:start]))
            elif nxt not in done:
                stack.append(nxt)
                on_stack.add(nxt)
                visit(nxt, stack, on_stack)
                on_stack.discard(nxt)
                stack.pop()
        done.add(node)

    done: set = set()
    for node in sorted(known):
        if node not in done:
            visit(node, [node], {node})
    assert sorted(cycles) == [], "\n".join(sorted(cycles))


def test_one_invalid_transition_and_one_transition_helper():
    defined = defaultdict(list)
    for app in [*APPS, "socialpolicy"]:
        for path in _modules(app):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ClassDef) and node.name == "InvalidTransition":
                    defined["InvalidTransition"].append(str(path.relative_to(ROOT)))
                if isinstance(node, ast.FunctionDef) and node.name in {"transition", "_transition", "_move"}:
                    defined["transition"].append(str(path.relative_to(ROOT)))
    assert dict(defined) == {
        "InvalidTransition": ["core/workflow.py"],
        "transition": ["core/workflow.py"],
    }


# `{% if case.status == "closed" %}`, `{% if x.status in ... %}`, `{% if x.status != ... %}`
STATUS_COMPARISON = re.compile(r"{%[^%]*\bstatus\b\s*(==|!=|\bin\b|\bnot in\b)[^%]*%}")


def test_no_template_compares_a_status():
    found = sorted(
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "templates").rglob("*.html")
        for match in STATUS_COMPARISON.finditer(path.read_text())
    )
    assert found == []


def test_no_module_is_longer_than_about_five_hundred_lines():
    long = sorted(
        f"{path.relative_to(ROOT)}: {count} lines"
        for app in [*APPS, "socialpolicy", "bench"]
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and (count := len(path.read_text().splitlines())) > LONGEST_MODULE
    )
    assert long == []


def test_one_template_engine():
    assert [engine["BACKEND"] for engine in settings.TEMPLATES] == [
        "django.template.backends.django.DjangoTemplates"
    ]
    assert getattr(settings, "FORM_RENDERER", "django.forms.renderers.DjangoTemplates").endswith(
        "DjangoTemplates"
    )
