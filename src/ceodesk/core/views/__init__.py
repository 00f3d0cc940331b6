"""Views and flows: plain objects for a screen, composed from several domain modules."""
