"""The Textual user interface. Screens ask core for view objects and send intents back."""
