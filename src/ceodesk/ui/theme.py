"""ceodesk's one registered theme: calm on a projector, readable at 80x24."""

from textual.theme import Theme

CEODESK_THEME = Theme(
    name="ceodesk",
    primary="#4c9be8",
    secondary="#b279a2",
    accent="#f0b429",
    foreground="#e6e6e6",
    background="#14171c",
    surface="#1c2027",
    panel="#262b33",
    success="#54a24b",
    warning="#f0b429",
    error="#e45756",
    dark=True,
    variables={
        "footer-key-foreground": "#f0b429",
        "block-cursor-background": "#2f4b6e",
        "block-cursor-foreground": "#ffffff",
        "block-cursor-text-style": "bold",
    },
)

# -- scorecard --------------------------------------------------------------------------
# A glyph per status, so the grid reads without colour (a projector, a colour-blind
# viewer); the colours keep at least 4.5:1 against the background, and on target and
# off target differ in lightness and weight, not only in hue (tests/ui/test_theme.py).
SCORECARD_STATUS = {
    "exceeds": ("✓", "bold #7bd88f"),
    "on target": ("✓", "#7bd88f"),
    "slightly behind": ("~", "#f0b429"),
    "off target": ("✗", "bold #ff6b6b"),
}
SCORECARD_EMPTY = "#6b7280"  # an empty week's "·"

# -- the weekly meeting -----------------------------------------------------------------
# A timer's phase as a glyph and a colour, so "over" reads without colour too.
MEETING_PHASE = {
    "on_time": ("", "#e6e6e6"),
    "last_minute": ("⚠", "bold #f0b429"),
    "over": ("▲", "bold #ff6b6b"),
}

# Presenter mode (the meeting's P): a projector washes colours out, so white on black,
# every colour at least 7:1 against the background (tests/ui/test_theme.py).
PRESENTER_THEME = Theme(
    name="ceodesk-presenter",
    primary="#ffd60a",
    secondary="#ffffff",
    accent="#ffd60a",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1f1f1f",
    success="#5cff8a",
    warning="#ffd60a",
    error="#ff8080",
    dark=True,
    variables={
        "footer-key-foreground": "#ffd60a",
        "footer-background": "#000000",
        "footer-foreground": "#ffffff",
        "footer-description-foreground": "#ffffff",
        "block-cursor-background": "#ffffff",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
    },
)
PRESENTER_PHASE = {
    "on_time": ("", "bold #ffffff"),
    "last_minute": ("⚠", "bold #ffd60a"),
    "over": ("▲", "bold #ff8080"),
}
