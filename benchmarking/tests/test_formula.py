from decimal import Decimal

import pytest

from benchmarking.formula import FormulaError, evaluate, parse, ratio_parts


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("certificati / fte", {"certificati", "fte"}),
        ("(online / certificati) × 100", {"online", "certificati"}),
        ("costo_totale ÷ residenti", {"costo_totale", "residenti"}),
        ("-a + (b - c) * 2.5", {"a", "b", "c"}),
        ("42", set()),
    ],
)
def test_valid_formulas_parse_and_list_their_codes(text, codes):
    assert parse(text).codes == codes


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a +",
        "__import__('os').system('id')",
        "a ** 2",
        "a if b else c",
        "a.b",
        "a[0]",
        "'testo'",
        "a < b",
        "f(a)",
        "lambda: 1",
        "a // b",
        "a % b",
        "-(" * 40 + "a" + ")" * 40,
        "a + " * 200 + "a",
    ],
)
def test_invalid_formulas_are_refused_with_a_message(text):
    with pytest.raises(FormulaError) as error:
        parse(text)
    assert str(error.value)


def test_evaluation_follows_precedence_and_parentheses():
    formula = parse("(a + b) * 2 - c / 4")
    assert evaluate(formula, {"a": Decimal(1), "b": Decimal(2), "c": Decimal(8)}).value == Decimal(4)


def test_division_by_zero_gives_no_value_and_says_why():
    outcome = evaluate(parse("a / b"), {"a": Decimal(5), "b": Decimal(0)})
    assert (outcome.value, outcome.reason) == (None, "division_by_zero")


def test_missing_inputs_give_no_value_and_name_them():
    outcome = evaluate(parse("a / (b + c)"), {"a": Decimal(5), "c": None})
    assert (outcome.value, outcome.reason, outcome.missing) == (None, "missing", ("b", "c"))


def test_not_applicable_input_propagates():
    outcome = evaluate(parse("a / b"), {"a": "not_applicable", "b": Decimal(2)})
    assert (outcome.value, outcome.reason) == (None, "not_applicable")


def test_zero_is_a_value_not_a_missing_input():
    assert evaluate(parse("a * 1"), {"a": Decimal(0)}).value == Decimal(0)


def test_an_incomplete_formula_says_so_without_a_bogus_position():
    with pytest.raises(FormulaError, match="incompleta"):
        parse("certificati +")


def test_ratio_parts_split_numerator_denominator_and_factor():
    ratio = ratio_parts(parse("(online + sportello_web) / certificati * 100"))
    assert ratio.numerator.codes == {"online", "sportello_web"}
    assert ratio.denominator.codes == {"certificati"}
    assert ratio.factor == 100
    assert ratio_parts(parse("100 × a ÷ b")) is None or ratio_parts(parse("100 * (a / b)")).factor == 100
    assert ratio_parts(parse("a - b")) is None
