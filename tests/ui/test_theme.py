"""The theme's colours hold up in the high-contrast case: a projector, a colour-blind eye."""

from __future__ import annotations

import pytest
from rich.style import Style

from ceodesk.ui.theme import (
    CEODESK_THEME,
    MEETING_PHASE,
    PRESENTER_PHASE,
    PRESENTER_THEME,
    SCORECARD_EMPTY,
    SCORECARD_STATUS,
)


def luminance(colour: str) -> float:
    """WCAG relative luminance of "#rrggbb"."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def colour_of(style: str) -> str:
    colour = Style.parse(style).color
    assert colour is not None and colour.triplet is not None
    return colour.triplet.hex


BACKGROUND = CEODESK_THEME.background or "#000000"


@pytest.mark.parametrize("status", list(SCORECARD_STATUS))
def test_every_status_colour_reads_at_4_5_to_1_on_the_background(status):
    assert contrast(colour_of(SCORECARD_STATUS[status][1]), BACKGROUND) >= 4.5


def test_an_empty_week_is_dim_but_still_visible():
    assert contrast(SCORECARD_EMPTY, BACKGROUND) >= 3


def test_statuses_differ_without_colour():
    glyphs = {status: glyph for status, (glyph, _) in SCORECARD_STATUS.items()}
    # On goal (on target or exceeds), slightly behind and off target: three glyphs.
    assert glyphs["exceeds"] == glyphs["on target"]
    assert len({glyphs["on target"], glyphs["slightly behind"], glyphs["off target"]}) == 3
    assert Style.parse(SCORECARD_STATUS["off target"][1]).bold


def test_on_and_off_target_differ_in_lightness_not_only_in_hue():
    on = colour_of(SCORECARD_STATUS["on target"][1])
    off = colour_of(SCORECARD_STATUS["off target"][1])
    assert contrast(on, off) >= 1.5


# -- presenter mode (the meeting's P): a projector washes colours out ------------------

PRESENTER_BACKGROUND = PRESENTER_THEME.background or "#000000"


@pytest.mark.parametrize(
    "colour",
    [
        PRESENTER_THEME.foreground,
        PRESENTER_THEME.primary,
        PRESENTER_THEME.accent,
        PRESENTER_THEME.warning,
        PRESENTER_THEME.error,
        PRESENTER_THEME.success,
    ],
)
def test_every_presenter_colour_reads_at_7_to_1_on_a_projector(colour):
    assert colour is not None and contrast(colour, PRESENTER_BACKGROUND) >= 7


@pytest.mark.parametrize("phase", list(PRESENTER_PHASE))
def test_the_presenter_timer_reads_at_7_to_1_in_every_phase(phase):
    assert contrast(colour_of(PRESENTER_PHASE[phase][1]), PRESENTER_BACKGROUND) >= 7


def test_the_presenter_cursor_row_reads_at_7_to_1():
    variables = PRESENTER_THEME.variables
    cursor = variables["block-cursor-background"]
    assert contrast(variables["block-cursor-foreground"], cursor) >= 7


@pytest.mark.parametrize("phases", [MEETING_PHASE, PRESENTER_PHASE])
def test_a_timers_last_minute_and_overrun_are_marked_without_colour(phases):
    glyphs = {phase: glyph for phase, (glyph, _) in phases.items()}
    assert glyphs["last_minute"] and glyphs["over"] and glyphs["last_minute"] != glyphs["over"]
    assert Style.parse(phases["over"][1]).bold


@pytest.mark.parametrize("phase", list(MEETING_PHASE))
def test_the_meeting_timer_reads_at_4_5_to_1_in_every_phase(phase):
    assert contrast(colour_of(MEETING_PHASE[phase][1]), BACKGROUND) >= 4.5
