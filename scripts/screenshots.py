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

from ceodesk.core.demo import write_demo_database
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.store.db import open_database
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
    "tasks-your-todos": ("tasks", (140, 40), ("o",)),
    "meeting-start": ("meeting", (140, 45), ()),
    "meeting-rock-review": ("meeting", (140, 45), ("enter", "tab", "tab")),
    "meeting-issues": ("meeting", (140, 45), ("enter", *["tab"] * 5)),
    "meeting-issues-80x24": ("meeting", (80, 24), ("enter", *["tab"] * 5)),
    "meeting-conclude": ("meeting", (140, 45), ("enter", *["tab"] * 6)),
    "meeting-presenter": ("meeting", (140, 45), ("enter", *["tab"] * 5, "P")),
    "meeting-presenter-80x24": ("meeting", (80, 24), ("enter", *["tab"] * 5, "P")),
    "issues-list": ("tasks", (140, 40), ("action:issues_list",)),
    "todos": ("tasks", (140, 40), ("action:todos_list",)),
    "decisions-log": ("tasks", (140, 40), ("action:decisions_log",)),
    "past-meetings": ("tasks", (140, 40), ("action:past_meetings",)),
    "agenda-editor": ("tasks", (140, 40), ("action:edit_agenda",)),
    "review": ("review", (140, 45), ()),
    "review-80x24": ("review", (80, 24), ()),
    "review-last-week": ("review", (140, 45), ("left_square_bracket",)),
    "review-month": ("review", (140, 45), ("m",)),
    "review-ceo-update": ("review", (140, 45), ("left_square_bracket", "W")),
}
"""Keys are pressed one by one; "action:NAME" runs an app action (what the palette runs)."""


async def settle(app: CeodeskApp, pilot) -> None:
    """Until the screens' loads (workers) have drawn."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def shoot(
    name: str, mode: str, size: tuple[int, int], keys: tuple[str, ...], folder: Path
) -> Path:
    path = folder / f"{name}.db"
    write_demo_database(str(path), FROZEN_NOW, time_zone="UTC")
    db = open_database(path)
    app = CeodeskApp(db, clock=frozen_clock(FROZEN_NOW), mode=mode)
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            for key in keys:
                if key.startswith("action:"):
                    await app.run_action(key.removeprefix("action:"))
                else:
                    await pilot.press(key)
                await settle(app, pilot)
            app.clear_notifications()
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
