"""Indicator formulas: arithmetic over data-element codes, parsed, never eval'd.

Grammar: numbers, data-element codes (identifiers such as `certificati_emessi`),
`+ - * /` (also `× ÷ −`), unary minus and parentheses. The text is parsed with
Python's `ast` in expression mode and every node is checked against that
whitelist, then evaluated by walking the tree with `Decimal`s; nothing is ever
executed.
"""

import ast
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation, localcontext

from django.utils.translation import gettext as _

MAX_LENGTH = 500
MAX_DEPTH = 30

_TRANSLATE = str.maketrans({"×": "*", "÷": "/", "−": "-", "–": "-", ":": "/"})
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


class FormulaError(ValueError):
    """The formula text is not valid; the message is for the user."""


@dataclass(frozen=True)
class Formula:
    text: str
    tree: ast.expr
    codes: frozenset[str]


@dataclass(frozen=True)
class Outcome:
    """A computed value, or why there is none."""

    value: Decimal | None
    reason: str = ""  # "", "missing", "division_by_zero", "not_applicable", "confidential"
    missing: tuple[str, ...] = ()


def parse(text: str) -> Formula:
    """Parse and check `text`; raise FormulaError with a readable message."""
    cleaned = (text or "").strip().translate(_TRANSLATE)
    if not cleaned:
        raise FormulaError(_("La formula è vuota."))
    if len(cleaned) > MAX_LENGTH:
        raise FormulaError(_("La formula supera %(n)d caratteri.") % {"n": MAX_LENGTH})
    try:
        tree = ast.parse(cleaned, mode="eval").body
    except SyntaxError as error:
        if error.offset and error.offset <= len(cleaned):
            message = _("Formula non valida vicino al carattere %(pos)s.") % {"pos": error.offset}
        else:
            message = _("Formula non valida: è incompleta (manca un numero, un codice o una parentesi).")
        raise FormulaError(message) from None
    codes: set[str] = set()
    _check(tree, codes, depth=0)
    return Formula(text=cleaned, tree=tree, codes=frozenset(codes))


def _check(node: ast.AST, codes: set[str], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise FormulaError(_("La formula è annidata troppo in profondità."))
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        _check(node.left, codes, depth + 1)
        _check(node.right, codes, depth + 1)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        _check(node.operand, codes, depth + 1)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        pass
    elif isinstance(node, ast.Name):
        codes.add(node.id)
    else:
        raise FormulaError(
            _("Nella formula sono ammessi solo numeri, codici di dati elementari, + − × ÷ e parentesi.")
        )


def evaluate(formula: Formula, values: dict[str, Decimal | str | None]) -> Outcome:
    """Compute the formula over `values` (code -> Decimal, or a reason string:
    "not_applicable" / "confidential"; None or absent means missing)."""
    missing = sorted(code for code in formula.codes if values.get(code) is None)
    if missing:
        return Outcome(None, "missing", tuple(missing))
    for reason in ("not_applicable", "confidential"):
        if any(values.get(code) == reason for code in formula.codes):
            return Outcome(None, reason)
    with localcontext() as context:
        context.prec = 28
        context.traps[DivisionByZero] = True
        context.traps[InvalidOperation] = True
        try:
            return Outcome(_walk(formula.tree, values))
        except (DivisionByZero, InvalidOperation, ZeroDivisionError):
            return Outcome(None, "division_by_zero")


def _walk(node: ast.expr, values) -> Decimal:
    if isinstance(node, ast.BinOp):
        left, right = _walk(node.left, values), _walk(node.right, values)
        op = _OPERATORS[type(node.op)]
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        if right == 0:
            raise DivisionByZero
        return left / right
    if isinstance(node, ast.UnaryOp):
        operand = _walk(node.operand, values)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    return Decimal(values[node.id])  # ast.Name, checked by parse()


@dataclass(frozen=True)
class Ratio:
    """A formula of the shape `numerator / denominator × factor`."""

    numerator: Formula
    denominator: Formula
    factor: Decimal


def ratio_parts(formula: Formula) -> Ratio | None:
    """Split a ratio indicator so that the club figure can be the ratio of the
    summed numerators and denominators (never only an average of ratios)."""
    tree, factor = formula.tree, Decimal(1)
    if isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Mult):
        if isinstance(tree.right, ast.Constant) and isinstance(tree.left, ast.BinOp):
            tree, factor = tree.left, Decimal(str(tree.right.value))
        elif isinstance(tree.left, ast.Constant) and isinstance(tree.right, ast.BinOp):
            tree, factor = tree.right, Decimal(str(tree.left.value))
    if not (isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Div)):
        return None

    def part(node: ast.expr) -> Formula:
        codes: set[str] = set()
        _check(node, codes, depth=0)
        return Formula(text=ast.unparse(node), tree=node, codes=frozenset(codes))

    return Ratio(part(tree.left), part(tree.right), factor)
