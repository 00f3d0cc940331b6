"""Flows that compose domains for one screen or report."""
