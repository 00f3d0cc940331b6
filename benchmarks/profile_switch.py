"""Profile what a screen switch and a keystroke cost in the app (Pilot, headless 140x45,
the benchmarks' frozen clock), to find where the time goes; a script, not a test.

    python benchmarks/profile_switch.py DB                 # median CPU ms of each case
    python benchmarks/profile_switch.py DB --profile cursor --out cursor.prof
    python -c "import pstats; pstats.Stats('cursor.prof').sort_stats('cumtime').print_stats(40)"

DB is a database written as of the benchmarks' Wednesday (``write_databases`` in run.py).
Cases: ``switch`` back to the week with nothing changed (from rocks), ``tasks`` (a
switch to the tasks screen, nothing changed), ``cursor`` (a cursor move on the week),
``redraw`` (back to the week after a change elsewhere: it loads and draws again),
``scorecard`` / ``scorecard-same`` and ``review`` / ``review-same`` (a switch to that
screen redrawing / with nothing changed). The profile sees the event loop's thread only:
a screen's ``load`` runs in a worker thread (its CPU time is in the medians all the same).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import statistics
from pathlib import Path

import run

CASES = {
    # case: (key pressed before, whether the screens are made stale, key measured)
    "switch": ("3", False, "1"),
    "tasks": ("1", False, "2"),
    "cursor": ("1", False, "down"),
    "redraw": ("3", True, "1"),
    "scorecard": ("1", True, "4"),
    "scorecard-same": ("1", False, "4"),
    "review": ("1", True, "6"),
    "review-same": ("1", False, "6"),
    "big-picture": ("1", True, "8"),
    "tasks-redraw": ("1", True, "2"),
    "complete": ("2", False, "x"),
}


async def measure(db_path: Path, times: int, profiled: str | None, out: str) -> dict[str, float]:
    medians: dict[str, float] = {}
    profile = cProfile.Profile()

    async def work(app, pilot) -> None:
        for key in run.screen_keys().values():  # every screen drawn once
            await pilot.press(key)
            await run.settled(pilot)
            await run.dismiss_dialog(app, pilot)
        for case, (before, stale, key) in CASES.items():
            samples = []
            for _ in range(times):
                await pilot.press(before)
                await run.settled(pilot)
                if stale:
                    run.make_stale(app)
                if case == profiled:
                    profile.enable()
                samples.append(await run.cpu_seconds(pilot, key))
                if case == profiled:
                    profile.disable()
            medians[case] = statistics.median(samples) * 1000

    await run.in_app(db_path, work)
    if profiled:
        profile.dump_stats(out)
    return medians


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--times", type=int, default=10, help="samples per case (median)")
    parser.add_argument("--profile", choices=sorted(CASES), help="profile this case")
    parser.add_argument("--out", default="switch.prof", help="where the profile goes")
    args = parser.parse_args()
    medians = asyncio.run(measure(args.db, args.times, args.profile, args.out))
    for case in CASES:
        print(f"{case:14} {medians[case]:7.1f} ms CPU")
    if args.profile:
        print(f"profile of {args.profile} written to {args.out} (the profiler slows it down)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
