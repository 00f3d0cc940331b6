"""Domain modules of the weekly meeting: each knows its own tables and none imports another."""
