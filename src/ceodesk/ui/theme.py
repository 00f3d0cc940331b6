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
