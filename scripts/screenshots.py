"""Regenerate screenshots/: an SVG and a PNG of every screen on the demo data.

    python scripts/screenshots.py            # needs the "screenshots" extra (cairosvg)

The clock is frozen and the demo company written fresh, so the pictures only change
when the screens do.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.store.db import open_database
from ceodesk.core.demo import write_demo_database
from ceodesk.ui.app import CeodeskApp

FROZEN_NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
OUT = Path(__file__).resolve().parent.parent / "screenshots"

# name -> (screen, terminal size, keys pressed after start)
SHOTS: dict[str, tuple[str, tuple[int, int], tuple[str, ...]]] = {
    "week": ("week", (140, 45), ()),
    "week-80x24": ("week", (80, 24), ()),
    "week-new-block": ("week", (140, 45), ("j", "j", "n", *"Board prep")),
    "week-help": ("week", (140, 45), ("question_mark",)),
    "rocks": ("rocks", (140, 45), ()),
    "rocks-by-team": ("rocks", (140, 45), ("g",)),
    "rock-detail": ("rocks", (140, 45), ("enter",)),
    "big-picture": ("big-picture", (140, 45), ()),
    "scorecard": ("scorecard", (140, 45), ()),
    "scorecard-entry": ("scorecard", (140, 45), ("h", "e", *"12k")),
    "scorecard-trend": ("scorecard", (140, 45), ("g",)),
    "tasks": ("tasks", (140, 40), ()),
    "tasks-80x24": ("tasks", (80, 24), ()),
    "tasks-quick-add": (
        "tasks",
        (140, 40),
        ("n", *"Call Dana about the VP offer tomorrow 3pm !iu 30m"),
    ),
    "tasks-completed": ("tasks", (140, 40), ("c",)),
    "tasks-help": ("tasks", (140, 40), ("question_mark",)),
    "team-members": ("tasks", (140, 40), ("ctrl+p", *"team members", "enter")),
    "settings": ("tasks", (140, 40), ("ctrl+p", *"settings", "enter")),
}


async def shoot(
    name: str, mode: str, size: tuple[int, int], keys: tuple[str, ...], folder: Path
) -> Path:
    path = folder / f"{name}.db"
    write_demo_database(str(path), FROZEN_NOW, time_zone="UTC")
    db = open_database(path)
    app = CeodeskApp(db, clock=frozen_clock(FROZEN_NOW), mode=mode)
    try:
        async with app.run_test(size=size) as pilot:
            for key in keys:
                await pilot.press(key)
            await pilot.pause(0.3)
            svg = OUT / f"{name}.svg"
            app.save_screenshot(filename=svg.name, path=str(OUT))
    finally:
        db.close()
    return svg


def to_png(svg: Path) -> None:
    try:
        import cairosvg
    except ImportError:
        print("cairosvg is not installed: pip install -e '.[screenshots]'", file=sys.stderr)
        raise SystemExit(2) from None
    cairosvg.svg2png(url=str(svg), write_to=str(svg.with_suffix(".png")), output_width=1400)


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for name, (mode, size, keys) in SHOTS.items():
            svg = await shoot(name, mode, size, keys, Path(folder))
            to_png(svg)
            print(f"wrote screenshots/{svg.stem}.svg and .png")


if __name__ == "__main__":
    asyncio.run(main())
