"""The rules, one module or package per domain word; none imports another."""
