"""Formula measurables: parsed with ast, checked against known names, evaluated per week."""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import cast

from ceodesk.core.domain.scorecard.values import _shown
from ceodesk.core.kernel.errors import InputError

_PLACEHOLDER = "_m{}_"


@lru_cache(maxsize=1024)
def _name_pattern(name: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in name.lower().split()]
    return re.compile(r"(?<![\w])" + r"[\s_]+".join(words) + r"(?![\w])")


def _substitute(formula: str, names: Iterable[str]) -> tuple[str, dict[str, str]]:
    """Replace known names (longest first, any case, "_" for spaces) by placeholders."""
    text = formula.lower()
    placeholders: dict[str, str] = {}
    for name in sorted({n for n in names if n.strip()}, key=len, reverse=True):
        placeholder = _PLACEHOLDER.format(len(placeholders))
        text, count = _name_pattern(name).subn(f" {placeholder} ", text)
        if count:
            placeholders[placeholder] = name
    return text, placeholders


def _parse_formula(formula: str, names: Iterable[str]) -> tuple[ast.expr, dict[str, str]]:
    """The formula's tree and its placeholders' names: parsed once per formula and set
    of names (a scorecard asks for every formula cell of every week shown). The tree is
    only read; the placeholders are the caller's own copy."""
    tree, placeholders = _parsed(formula, tuple(sorted({n for n in names if n.strip()})))
    return tree, dict(placeholders)


@lru_cache(maxsize=512)
def _parsed(formula: str, names: tuple[str, ...]) -> tuple[ast.expr, dict[str, str]]:
    text, placeholders = _substitute(formula, names)
    shown = _shown(formula)
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError):
        raise InputError(f"“{shown}” is not a formula like won / leads.") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id not in placeholders:
                raise InputError(f"“{node.id}” in the formula is not a measurable.")
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise InputError(f"“{shown}” is not a formula like won / leads.")
        elif not isinstance(
            node,
            ast.BinOp
            | ast.UnaryOp
            | ast.Add
            | ast.Sub
            | ast.Mult
            | ast.Div
            | ast.USub
            | ast.UAdd
            | ast.Load,
        ):
            raise InputError(
                f"“{shown}” can only use + - * /, parentheses, numbers and measurables."
            )
    return tree, placeholders


def check_formula(formula: str, known_names: Iterable[str]) -> tuple[str, ...]:
    """The measurables a formula uses, in order of first use; an unknown name or anything
    but + - * /, parentheses and numbers is an InputError."""
    if not formula.strip():
        raise InputError("A formula needs at least one measurable, like won / leads.")
    tree, placeholders = _parse_formula(formula, list(known_names))
    used: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and placeholders[node.id] not in used:
            used.append(placeholders[node.id])
    if not used:
        raise InputError("A formula needs at least one measurable, like won / leads.")
    return tuple(used)


def renamed_in_formula(formula: str, old: str, new: str, names: Iterable[str]) -> str | None:
    """``formula`` with the measurable ``old`` written ``new`` and the rest as typed, or
    None when the result would read otherwise (``new`` taken for more, or less, than the
    places where ``old`` stood). Names are found as check_formula finds them among
    ``names``: the longest first, in any case, with spaces or "_" between their words."""
    known = sorted({n for n in [*names, old] if n.strip()}, key=len, reverse=True)
    taken: list[tuple[int, int]] = []
    renamed: list[tuple[int, int]] = []
    for name in known:
        pattern = re.compile(_name_pattern(name).pattern, re.IGNORECASE)
        for match in pattern.finditer(formula):
            start, end = match.span()
            if any(start < to and since < end for since, to in taken):
                continue  # inside a longer name
            taken.append((start, end))
            if name.lower() == old.lower():
                renamed.append((start, end))
    result = formula
    for start, end in sorted(renamed, reverse=True):
        result = result[:start] + new + result[end:]
    before = _shape(formula, known, {})
    after = _shape(result, [*known, new], {new.lower(): old.lower()})
    return result if before is not None and before == after else None


def _shape(formula: str, names: Iterable[str], alias: Mapping[str, str]) -> str | None:
    """The formula's tree with the names (lower case, ``alias`` applied) it uses in place
    of their placeholders; None when it does not read."""
    try:
        tree, placeholders = _parse_formula(formula, names)
    except InputError:
        return None
    shape = ast.dump(tree)
    for placeholder, name in placeholders.items():
        used = alias.get(name.lower(), name.lower())
        shape = shape.replace(f"id={placeholder!r}", f"id={used!r}")
    return shape


def evaluate_formula(formula: str, values: Mapping[str, float | None]) -> float | None:
    """The formula's value from ``values`` (measurable name -> value, any case); None when
    an input is missing, a division is by zero or the result is not finite."""
    lowered = {name.lower(): value for name, value in values.items()}
    tree, placeholders = _parse_formula(formula, lowered)
    try:
        result = _evaluate(tree, {p: lowered[n] for p, n in placeholders.items()})
    except (ZeroDivisionError, OverflowError, _Missing):
        return None
    return result if math.isfinite(result) else None


class _Missing(Exception):
    pass


def _evaluate(node: ast.expr, inputs: Mapping[str, float | None]) -> float:
    if isinstance(node, ast.Constant):
        return float(cast("float", node.value))  # _parse_formula admits numbers only
    if isinstance(node, ast.Name):
        value = inputs[node.id]
        if value is None:
            raise _Missing
        return value
    if isinstance(node, ast.UnaryOp):
        operand = _evaluate(node.operand, inputs)
        return -operand if isinstance(node.op, ast.USub) else operand
    assert isinstance(node, ast.BinOp)
    left, right = _evaluate(node.left, inputs), _evaluate(node.right, inputs)
    if isinstance(node.op, ast.Add):
        return left + right
    if isinstance(node.op, ast.Sub):
        return left - right
    if isinstance(node.op, ast.Mult):
        return left * right
    return left / right
