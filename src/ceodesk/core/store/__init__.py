"""Engine, models, migrations, one-transaction actions, the undo log, lookups."""
