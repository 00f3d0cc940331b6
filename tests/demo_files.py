"""Files written once per worker and copied per test: every test still has a file of its
own, without paying for the same demo company again (writing one is most of a UI test's
setup). tests/conftest.py starts and stops the template folder for the session."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ceodesk.core.demo import write_demo_database
from ceodesk.core.demo.large import HistorySize

_templates: dict[object, Path] = {}
_folder: list[Path] = []


def start(folder: Path) -> None:
    _folder[:] = [folder]
    _templates.clear()


def stop() -> None:
    _folder.clear()
    _templates.clear()


def copy_of(path: Path, key: object, make: Callable[[Path], object]) -> Path:
    """``make(file)`` once per worker for ``key`` (hashable, naming everything ``make``
    depends on), then a copy of that file at ``path``."""
    template = _templates.get(key)
    if template is None:
        assert _folder, "templates are made inside a test session"
        template = _folder[0] / f"template-{len(_templates)}.db"
        make(template)
        for extra in ("-wal", "-shm", "-journal"):  # closed: nothing may be left beside it
            assert not template.with_name(template.name + extra).exists(), extra
        _templates[key] = template
    shutil.copy(template, path)  # the contents and the permissions (0600)
    return path


def demo_copy(
    path: Path,
    now: datetime,
    *,
    time_zone: str | None = "UTC",
    history: HistorySize | None = None,
) -> Path:
    """A demo company at ``path``, as ``write_demo_database(path, now, time_zone,
    history)`` writes it."""

    def make(file: Path) -> None:
        write_demo_database(str(file), now, time_zone=time_zone, history=history)

    return copy_of(path, ("demo", now, time_zone, history), make)
