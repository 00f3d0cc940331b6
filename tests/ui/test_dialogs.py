"""Dialogs under a fast typist: keys sent with no pause between them, and pastes.

``typed_at_once`` hands the keys to the app the way a terminal does when they arrive in
one read (tmux ``send-keys Enter Enter``, a paste without bracketed paste): all queued
before the app handles the first.
"""

from __future__ import annotations

from datetime import date, time

from textual import events
from textual.widgets import Input, Static
from ui_support import FROZEN_NOW, patience, typed_at_once

from ceodesk.core.domain.people import set_active
from ceodesk.core.domain.planner import week_plan
from ceodesk.core.domain.tasks import task_board
from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens.task_dialogs import DelegateScreen, QuickAddScreen
from ceodesk.ui.screens.tasks import TasksScreen
from ceodesk.ui.screens.week import WeekScreen
from ceodesk.ui.screens.week_dialogs import ActualScreen, BlockFormScreen
from ceodesk.ui.widgets.task_list import TaskList

SATURDAY = date(2026, 11, 28)


def pasted(app: CeodeskApp, text: str) -> None:
    driver = app._driver
    assert driver is not None
    event = events.Paste(text)
    event.set_sender(app)
    driver.send_message(event)


async def settle(pilot) -> None:
    """Wait until every key queued has been handled: no screen is still opening (holding
    keys for itself) and no message waits in the app, its screens or their widgets, three
    looks in a row (a busy machine takes more looks)."""
    app = pilot.app
    quiet = 0
    for _ in patience(500, 10.0):
        await pilot.pause()
        pumps = [app, *app.screen_stack, *(w for s in app.screen_stack for w in s.walk_children())]
        opening = app._held or any(not getattr(s, "ready", True) for s in app.screen_stack)
        if not opening and all(p._message_queue.empty() for p in pumps):
            quiet += 1
            if quiet >= 3:
                return
        else:
            quiet = 0


def titles(app: CeodeskApp) -> list[str]:
    board = task_board(app.db, app.now())
    trays = (board.unsorted, *board.quadrants)
    return [t.title for q in trays for t in (*q.tasks, *q.done)]


def blocks_on(app: CeodeskApp, day: date) -> list[tuple[time, str]]:
    days = {d.day: d for d in week_plan(app.db, "2026-W48", FROZEN_NOW).days}
    return [(b.start, b.title) for b in days[day].blocks]


async def test_two_quick_enters_in_quick_add_store_one_task_and_keep_running(app) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("n", *"Hello tomorrow")
        typed_at_once(app, "enter", "enter")
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert titles(app).count("Hello") == 1
        # The second Enter was typed into the dialog: it does not open an edit underneath.
        assert isinstance(app.screen, TasksScreen)


async def test_two_quick_enters_through_pilot_press_store_one_task(app) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("n", *"Hello tomorrow")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert app.is_running
        assert titles(app).count("Hello") == 1


async def test_keys_typed_while_quick_add_opens_go_into_it(app) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        before = titles(app)
        # "m", "d", "l", "e" would move, complete, step and edit on the Tasks screen.
        typed_at_once(app, "n", *"Send deck to Dale tomorrow")
        await settle(pilot)
        assert isinstance(app.screen, QuickAddScreen)
        assert app.screen.query_one(Input).value == "Send deck to Dale tomorrow"
        typed_at_once(app, "enter")
        await settle(pilot)
        assert sorted(titles(app)) == sorted([*before, "Send deck to Dale"])


async def test_keys_wait_for_a_key_whose_way_to_its_binding_is_slow(app, monkeypatch) -> None:
    # On a loaded machine, "n" took over a second to reach its binding as Tasks opened
    # (typed into one list while the first load moved the focus to another); the keys
    # typed after it were let go after a second and overtook it: "Call" moved the cursor
    # and the space completed a task, before the n of "Dana" opened quick add and
    # stored a task "a fri".
    import asyncio

    import ceodesk.ui.app as app_module

    monkeypatch.setattr(app_module, "KEY_TURN_LIMIT_SECONDS", 0.01)
    slow = ["n"]

    async def on_key(self: TaskList, event: events.Key) -> None:
        if self.id == "unsorted" and event.key in slow:  # n, slow on its way up...
            slow.clear()
            self.screen.query_one("#q1", TaskList).focus()  # ...as the focus moves on
            await asyncio.sleep(0.5)

    monkeypatch.setattr(TaskList, "on_key", on_key, raising=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        app.screen.query_one("#unsorted", TaskList).focus()
        await settle(pilot)
        before = task_board(app.db, app.now())
        typed_at_once(app, "n", *"Call", "space", *"Dana", "space", *"fri", "enter")
        await settle(pilot)
        after = task_board(app.db, app.now())
        assert after.open_count == before.open_count + 1  # nothing completed
        assert "Call Dana" in titles(app)


async def test_keys_waiting_their_turn_keep_their_order_whoever_hands_them_on(
    app, monkeypatch
) -> None:
    # "Half typed" showed as "Hlf typeda" in a pseudo-terminal under load: the waiting
    # keys were handed on by two calls at once (the key before done, the dialog ready),
    # and the a, handed on while the H was still on its way, waited again as a key
    # typed last.
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, QuickAddScreen)
        one_at_a_time = CeodeskApp._one_key_at_a_time
        once = [True]

        def and_hand_on_again(self, screen, target) -> None:
            one_at_a_time(self, screen, target)
            if once:  # another call to hand the waiting keys on, queued behind them
                once.clear()
                self.call_later(self._hand_held_keys, screen)

        monkeypatch.setattr(CeodeskApp, "_one_key_at_a_time", and_hand_on_again)
        typed_at_once(app, *"Half")
        await settle(pilot)
        assert app.screen.query_one(Input).value == "Half"


async def test_typing_a_whole_task_in_one_burst_stores_it_once(app) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        typed_at_once(app, "n", *"Hello tomorrow", "enter", "enter")
        await settle(pilot)
        assert app.is_running
        assert titles(app).count("Hello") == 1
        assert isinstance(app.screen, TasksScreen)


async def test_pasted_line_breaks_become_spaces_and_save_once(app) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("n")
        pasted(app, "Call Dana\nabout the offer\r\n")
        await settle(pilot)
        assert app.screen.query_one(Input).value == "Call Dana about the offer"
        assert isinstance(app.screen, QuickAddScreen)
        typed_at_once(app, "enter", "enter")
        await settle(pilot)
        assert titles(app).count("Call Dana about the offer") == 1
        assert app.is_running


async def test_two_quick_enters_in_edit_task_save_once(app) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, QuickAddScreen)
        before = titles(app)
        typed_at_once(app, *"Call Meridian today", "enter", "enter")  # replaces the text
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, TasksScreen)
        assert titles(app).count("Call Meridian") == 1
        assert len(titles(app)) == len(before)


async def test_two_quick_enters_in_delegate_delegate_once(app) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("g")
        assert isinstance(app.screen, DelegateScreen)
        typed_at_once(app, "enter", "enter")
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, TasksScreen)


async def test_two_quick_enters_in_a_new_block_place_one_block(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("l", "l", "l", "j", "n", *"Board prep")
        typed_at_once(app, "enter", "enter")
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, WeekScreen)
        assert blocks_on(app, SATURDAY) == [(time(10), "Board prep")]


async def test_two_quick_enters_in_actual_record_once(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, ActualScreen)
        typed_at_once(app, "enter", "enter")
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, WeekScreen)


async def test_a_core_refusal_in_the_block_form_is_inline_and_keeps_what_was_typed(
    week_app,
) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("l", "l", "l", "j", "n", *"Board prep")
        app.screen.query_one("#block-duration", Input).value = "20h"
        await pilot.press("enter")
        assert isinstance(app.screen, BlockFormScreen)
        error = str(app.screen.query_one("#block-error", Static).render())
        assert "must end on the day it starts" in error
        assert app.screen.query_one("#block-title", Input).value == "Board prep"
        assert app.screen.focused is app.screen.query_one("#block-duration", Input)
        # Corrected in place, it saves.
        app.screen.query_one("#block-duration", Input).value = "2h"
        await pilot.press("enter")
        assert isinstance(app.screen, WeekScreen)
        assert blocks_on(app, SATURDAY) == [(time(10), "Board prep")]


async def test_a_core_refusal_in_delegate_is_inline_and_keeps_the_dialog(app) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("g")
        assert isinstance(app.screen, DelegateScreen)
        people = app.screen.query_one("#delegate-people")
        person_id = int(people.get_option_at_index(people.highlighted).id)
        set_active(app.db, person_id, False)  # meanwhile, elsewhere
        await pilot.press("enter")
        assert isinstance(app.screen, DelegateScreen)
        error = str(app.screen.query_one("#delegate-error", Static).render())
        assert "not active" in error


async def test_a_screen_digit_then_quick_add_typed_at_once_stores_the_task(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        typed_at_once(app, "2", "n", *"Hello tomorrow", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TasksScreen)
        assert titles(app).count("Hello") == 1
        # And again once the Tasks screen has been shown before.
        typed_at_once(app, "1", "2", "n", *"Again fri", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TasksScreen)
        assert titles(app).count("Again") == 1


async def test_keys_typed_as_the_form_mounts_follow_those_typed_before_it(app, monkeypatch) -> None:
    # "Half typed" typed fast after n in a terminal was stored as "aHlf typed": the H,
    # typed while Tasks was still on n's way, waited for Tasks; the "alf", typed once
    # quick add was up, waited for quick add, which was ready first and took its own
    # keys ahead of the H.
    from ceodesk.ui.screens.form import Dialog

    mounted = Dialog._on_mount
    rest = ["a", "l", "f"]

    def and_type_the_rest(self, event: events.Mount) -> None:
        if rest:  # the next keys arrive as the form is mounted, before it is ready
            typed_at_once(self.app, *rest)
            rest.clear()
        mounted(self, event)

    monkeypatch.setattr(Dialog, "_on_mount", and_type_the_rest)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        typed_at_once(app, "n", "H")
        await settle(pilot)
        assert isinstance(app.screen, QuickAddScreen)
        assert app.screen.query_one(Input).value == "Half"
