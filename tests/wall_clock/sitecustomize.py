"""Travel a CLI subprocess's wall clock to where the test session's clock is.

tests/conftest.py puts this folder on PYTHONPATH of the processes it starts and sets
CEODESK_TEST_TODAY to the session's current (travelled) instant, so ``ceodesk`` run as a
subprocess sees the same day as the test that started it. Python imports
``sitecustomize`` at start-up; without the variable this does nothing.
"""

import os

_instant = os.environ.get("CEODESK_TEST_TODAY", "").strip()
if _instant:
    from datetime import datetime

    import time_machine

    time_machine.travel(datetime.fromisoformat(_instant), tick=True).start()
