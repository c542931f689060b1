"""The layering (README, Architecture), checked on the source.

The kernel ``nora_social.core`` imports no app and nothing else of the project.
The apps import only leftward, ``accounts`` ← ``channels_registry`` ←
``activity_plans``, ``moderation`` ← ``archive``, and ``activity_plans`` and
``moderation`` not each other; an app reacts to a later app's events through
hooks it offers, never by importing it. From the top package ``nora_social`` an
app takes only the kernel and the Celery app (configuration, like settings).
Imports inside functions count too: a lazy import is still a dependency.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("accounts", "channels_registry", "activity_plans", "moderation", "archive")
RANK = {"accounts": 1, "channels_registry": 2, "activity_plans": 3, "moderation": 3, "archive": 4}
KERNEL = "nora_social.core"
# What an app may take from the top package besides the kernel.
TOP_ALLOWED = ("nora_social.celery",)


def imports_of(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.extend((node.lineno, f"{node.module}.{a.name}") for a in node.names)
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names)
    return found


def modules(package: str):
    for path in sorted((ROOT / package.replace(".", "/")).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def violations_of_app(app: str) -> list[str]:
    found = []
    for path in modules(app):
        for line, name in imports_of(path):
            top = name.split(".")[0]
            where = f"{path.relative_to(ROOT)}:{line} imports {name}"
            if top == "nora_social":
                if not within(name, KERNEL) and not any(within(name, t) for t in TOP_ALLOWED):
                    found.append(f"{where} (only the kernel {KERNEL} and the Celery app)")
            elif top in RANK and top != app and RANK[top] >= RANK[app]:
                found.append(f"{where} (rightward or sideways)")
    return found


def violations_of_kernel() -> list[str]:
    found = []
    for path in modules(KERNEL):
        for line, name in imports_of(path):
            top = name.split(".")[0]
            if top in RANK or (top == "nora_social" and not within(name, KERNEL)):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return found


def test_the_kernel_imports_no_app():
    assert list(modules(KERNEL)), "the kernel package is missing"
    assert violations_of_kernel() == []


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_leftward_and_the_kernel(app):
    assert violations_of_app(app) == []


def test_the_check_finds_a_rightward_and_a_kernel_import(tmp_path, monkeypatch):
    """The rules above are not vacuous: planted imports are found."""
    (tmp_path / "accounts").mkdir()
    (tmp_path / "accounts" / "bad.py").write_text(
        "def f():\n    from archive import services\n    from nora_social import views\n"
    )
    (tmp_path / "nora_social" / "core").mkdir(parents=True)
    (tmp_path / "nora_social" / "core" / "bad.py").write_text("import moderation.models\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert [v.split(" (")[0] for v in violations_of_app("accounts")] == [
        "accounts/bad.py:2 imports archive.services",
        "accounts/bad.py:3 imports nora_social.views",
    ]
    assert violations_of_kernel() == ["nora_social/core/bad.py:1 imports moderation.models"]


def label_branches(package: str) -> list[str]:
    """Comparisons with another app's model label ("moderation.Question"): the
    archive asks the record-kind registry instead (nora_social.core.records)."""
    labels = [f"{app}." for app in APPS if app != package]
    found = []
    for path in modules(package):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            for side in (node.left, *node.comparators):
                value = side.value if isinstance(side, ast.Constant) else None
                if isinstance(value, str) and value.startswith(tuple(labels)):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {value}")
    return found


def test_the_archive_never_branches_on_another_apps_model_label(tmp_path, monkeypatch):
    assert label_branches("archive") == []
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "bad.py").write_text(
        'def f(record):\n    return record._meta.label == "moderation.Question"\n'
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert label_branches("archive") == ["archive/bad.py:2 moderation.Question"]
