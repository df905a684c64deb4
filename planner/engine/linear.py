"""A solver-neutral integer linear model.

The plan model is written once against this small class and handed to CP-SAT
or HiGHS by `planner.engine.backends`, so the two back ends solve exactly the
same model and can be measured against each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Terms = dict[int, int]


@dataclass
class Expr:
    """A linear expression: sum of coef * var, plus a constant."""

    terms: Terms = field(default_factory=dict)
    constant: int = 0

    def add(self, var: int, coef: int = 1) -> Expr:
        self.terms[var] = self.terms.get(var, 0) + coef
        return self

    def value(self, values: list[int]) -> int:
        return self.constant + sum(c * values[v] for v, c in self.terms.items())


@dataclass
class Row:
    terms: Terms
    lower: int | None
    upper: int | None


@dataclass
class LinearModel:
    names: list[str] = field(default_factory=list)
    lower: list[int] = field(default_factory=list)
    upper: list[int] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    # Set when a row without variables cannot hold (e.g. 0 >= 2).
    infeasible: bool = False

    def var(self, name: str, lower: int = 0, upper: int = 1) -> int:
        self.names.append(name)
        self.lower.append(lower)
        self.upper.append(upper)
        return len(self.names) - 1

    def add(self, terms: Terms, lower: int | None = None, upper: int | None = None) -> None:
        """lower <= sum(terms) <= upper; a side left None is open."""
        if terms:
            self.rows.append(Row(terms, lower, upper))
        elif (lower is not None and lower > 0) or (upper is not None and upper < 0):
            self.infeasible = True

    def at_most(self, expr: Expr, bound: int) -> None:
        self.add(dict(expr.terms), upper=bound - expr.constant)

    @property
    def size(self) -> tuple[int, int]:
        return len(self.names), len(self.rows)


@dataclass
class Level:
    """One level of a lexicographic objective, minimised in turn."""

    name: str
    expr: Expr
    # False for the soft level: it is solved on its own (CP-SAT's work budget,
    # HiGHS's LP-first stage), never merged with the contract's levels.
    must_prove: bool = True
