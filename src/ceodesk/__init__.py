"""ceodesk: a keyboard-driven terminal desk for a CEO's weekly operating rhythm."""

__version__ = "0.1.0"
