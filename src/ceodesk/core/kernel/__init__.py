"""Errors, the clock and the one local now, the dates/times/durations grammar."""
