"""Text pasted into a one-line field is put on one line by the kernel's one rule."""

from ceodesk.core.kernel import text
from ceodesk.ui.screens import form


def test_a_paste_is_put_on_one_line_like_every_title() -> None:
    pasted = "  Call Dana \t about\r\n  the   offer\n"
    assert form.one_line(pasted) == text.one_line(pasted) == "Call Dana about the offer"
