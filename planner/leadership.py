"""Leadership's what-if answers as tables, sentences, charts and a CSV: no Streamlit, no SQL.

Leadership sees counts only. Nothing here reads or returns a volunteer's name,
contact details or background check, so the page cannot show them by mistake:
fragility comes out as "one volunteer whose absence ..." and slot times.
Texts are plain; the page escapes them before any Markdown widget.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from planner.io.safe_cells import neutralise
from planner.problem import Candidate, Problem, Slot, WhatIf
from planner.views import period_name, plural, slot_title
from planner.whatif import (
    CandidateAnswer,
    Fragility,
    LadderStep,
    combined,
    fragility,
    ladder,
    whatif,
    with_no_show_buffer,
)

NOT_PROVEN = "best found in the time allowed, not proven to be the fewest"


# ---------------------------------------------------------------- words


def meal_word(slots: Iterable[Slot]) -> str:
    """`dinner` when every meal in sight is a dinner (the demo center), else `meal`."""
    names = {period_name(s) for s in slots if s.kind == "meal"}
    return "dinner" if names == {"Dinner"} else "meal"


def percent(rate: float) -> str:
    """`15%` (no `15.0%`)."""
    return f"{round(rate * 100, 1):g}%"


def needs_phrase(answer: CandidateAnswer, meal: str = "dinner") -> str:
    """`4 more volunteers, 1 of them trained, and 1 more dinner provider` (counts must be known)."""
    n, t, m = answer.extra_volunteers or 0, answer.extra_trained or 0, answer.extra_meal_providers or 0
    if n == 0 and m == 0:
        return "no more volunteers: today's roster can staff it"
    parts = []
    if n:
        if n == t == 1:
            parts.append("1 more trained volunteer")
        else:
            people = f"{n} more {'volunteer' if n == 1 else 'volunteers'}"
            if t == n:
                people += ", all of them trained"
            elif t:
                people += f", {t} of them trained"
            parts.append(people)
    if m:
        parts.append(f"{m} more {meal} {'provider' if m == 1 else 'providers'}")
    if len(parts) == 1:
        return parts[0] + ("" if n else "; today's volunteers can staff its shifts")
    return parts[0] + (", and " if "," in parts[0] else " and ") + parts[1]


def _proof(answer: CandidateAnswer) -> str:
    return "" if answer.optimal else f" ({NOT_PROVEN})"


def day_sentence(answer: CandidateAnswer, buffered: CandidateAnswer | None = None, rate: float = 0.0,
                 meal: str = "dinner") -> str:
    """One plain sentence (two with a no-show buffer) about opening one more day."""
    if answer.total is None:
        why = answer.reason or "no plan staffs it"
        text = f"Opening {answer.label} is not possible with recruits like these: {why}."
    else:
        text = f"Opening {answer.label} needs {needs_phrase(answer, meal)}{_proof(answer)}."
    if buffered is not None:
        if buffered.total is None:
            text += f" Allowing for {percent(rate)} no-shows, it is not possible with recruits like these."
        else:
            text += (f" Allowing for {percent(rate)} no-shows: "
                     f"{needs_phrase(buffered, meal)}{_proof(buffered)}.")
    return text


def ladder_sentence(step: LadderStep, open_days: int, meal: str = "dinner") -> str:
    """`Opening 5 days (adding Monday and Tuesday) needs ...`."""
    added = step.labels
    days = added[0] if len(added) == 1 else ", ".join(added[:-1]) + " and " + added[-1]
    return (f"Opening {plural(open_days, 'day')} a week (adding {days}) needs "
            f"{needs_phrase(step.answer, meal)}{_proof(step.answer)}.")


# ---------------------------------------------------------------- tables


def need_columns(meal: str = "dinner") -> list[str]:
    return ["Extra volunteers", "Of them trained", f"Extra {meal} providers"]


def _counts(answer: CandidateAnswer | None) -> list[int | None]:
    if answer is None or answer.total is None:
        return [None, None, None]
    return [answer.extra_volunteers, answer.extra_trained, answer.extra_meal_providers]


def _proven(answer: CandidateAnswer) -> str:
    return "yes" if answer.optimal else "no"


def _table(rows: list[list[object]], columns: list[str]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=columns, dtype=object)
    for col in columns:
        if col.startswith(("Extra ", "Of them")):
            table[col] = table[col].astype("Int64")
    return table


def days_table(answers: Sequence[CandidateAnswer], buffered: Sequence[CandidateAnswer] | None = None,
               rate: float = 0.0, meal: str = "dinner") -> pd.DataFrame:
    """One row per candidate day: the counts, whether proven, and the buffered counts beside them.

    An impossible day has empty counts and its reason under `Note`.
    """
    needs = need_columns(meal)
    columns = ["Day", *needs, "Proven fewest"]
    if buffered is not None:
        columns += [f"{c} ({percent(rate)} no-shows)" for c in needs]
    columns.append("Note")
    by_label = {b.label: b for b in buffered or ()}
    rows = []
    for a in answers:
        row: list[object] = [a.label, *_counts(a), _proven(a)]
        if buffered is not None:
            row += _counts(by_label.get(a.label))
        row.append(a.reason if a.total is None else "")
        rows.append(row)
    return _table(rows, columns)


def ladder_table(steps: Sequence[LadderStep], open_now: int,
                 buffered: Sequence[CandidateAnswer] | None = None, rate: float = 0.0,
                 meal: str = "dinner") -> pd.DataFrame:
    """The cumulative answer: open days a week, the days added so far, and what they need together."""
    needs = need_columns(meal)
    columns = ["Open days", "Days added", *needs, "Proven fewest"]
    if buffered is not None:
        columns += [f"{c} ({percent(rate)} no-shows)" for c in needs]
    rows = []
    for i, step in enumerate(steps):
        row: list[object] = [open_now + i + 1, ", ".join(step.labels), *_counts(step.answer),
                             _proven(step.answer)]
        if buffered is not None:
            row += _counts(buffered[i] if i < len(buffered) else None)
        rows.append(row)
    table = _table(rows, columns)
    table["Open days"] = table["Open days"].astype(int)
    return table


def chart_data(table: pd.DataFrame, x: str, meal: str = "dinner") -> pd.DataFrame:
    """Long form (x, Need, Count) of a days or ladder table; impossible rows left out."""
    needs = need_columns(meal)
    known = table.dropna(subset=needs)
    long = known.melt(id_vars=[x], value_vars=needs, var_name="Need", value_name="Count")
    long["Count"] = long["Count"].astype(int)
    long[x] = long[x].astype(str)
    return long


def needs_chart(table: pd.DataFrame, x: str, meal: str = "dinner", title: str | None = None) -> object:
    """A grouped Altair bar chart: per `x`, extra volunteers / trained / meal providers."""
    import altair as alt

    needs = need_columns(meal)
    order = [str(v) for v in table[x]]
    return (
        alt.Chart(chart_data(table, x, meal))
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:N", sort=order, title=title, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("Need:N", sort=needs),
            y=alt.Y("Count:Q", title="People to recruit", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("Need:N", title=None, sort=needs, legend=alt.Legend(orient="bottom")),
            tooltip=[f"{x}:N", "Need:N", "Count:Q"],
        )
        .properties(height=260)
    )


def csv_bytes(table: pd.DataFrame) -> bytes:
    """UTF-8 CSV for download; text cells that a spreadsheet would run as a formula are neutralised."""
    safe = table.copy()
    for col in safe.columns:
        safe[col] = safe[col].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    buf = io.StringIO()
    safe.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


# ---------------------------------------------------------------- fragility, for leadership


def fragility_sentences(frag: Fragility, problem: Problem) -> list[str]:
    """Key-person risk and shifts without backup, as counts and slot times: never who."""
    lines = []
    if frag.key_people:
        worst = frag.key_people[0][1]
        who = plural(len(frag.key_people), "volunteer is a key person", "volunteers are key people")
        lines.append(f"{who} this week: if the most relied-on one could not come, "
                     f"{plural(worst, 'position')} would go unfilled.")
    else:
        lines.append("No single volunteer's absence would leave a position unfilled this week.")
    titles = [slot_title(problem.slot(s)) for s in frag.no_backup if problem.has_slot(s)]
    if titles:
        lines.append(f"{plural(len(titles), 'slot has', 'slots have')} no backup (nobody else on the roster "
                     f"can step in): {'; '.join(titles)}.")
    else:
        lines.append("Every staffed slot has someone else on the roster who could step in.")
    return lines


# ---------------------------------------------------------------- the whole computation


@dataclass(frozen=True)
class Results:
    """Everything the page shows, kept in the session so a rerun does not solve again."""

    days: tuple[CandidateAnswer, ...]
    buffered: tuple[CandidateAnswer, ...] | None
    steps: tuple[LadderStep, ...]
    buffered_steps: tuple[CandidateAnswer, ...] | None
    risk: tuple[str, ...]  # fragility_sentences: counts and slot times only
    rate: float
    open_now: int
    meal: str

    def days_table(self) -> pd.DataFrame:
        return days_table(self.days, self.buffered, self.rate, self.meal)

    def ladder_table(self) -> pd.DataFrame:
        return ladder_table(self.steps, self.open_now, self.buffered_steps, self.rate, self.meal)

    def sentences(self) -> list[str]:
        by_label = {b.label: b for b in self.buffered or ()}
        return [day_sentence(a, by_label.get(a.label), self.rate, self.meal) for a in self.days]

    def ladder_sentences(self) -> list[str]:
        lines = [ladder_sentence(s, self.open_now + i + 1, self.meal) for i, s in enumerate(self.steps)]
        added = {label for s in self.steps for label in s.labels}
        left = [a.label for a in self.days if a.label not in added]
        if left:
            lines.append(f"Beyond that, {', '.join(left)} cannot be added with recruits like these.")
        return lines


Progress = Callable[[float, str], None]


def only(problem: Problem, candidates: Iterable[Candidate]) -> Problem:
    """The problem with just these what-if candidates (same recruit profile)."""
    assert problem.whatif is not None
    return replace(problem, whatif=WhatIf(tuple(candidates), problem.whatif.recruit),
                   _slot_index={}, _volunteer_index={})


def compute(problem: Problem, *, rate: float = 0.0, open_now: int = 0, time_limit: float | None = None,
            progress: Progress | None = None) -> Results:
    """Every number of the page: one what-if per day (so a progress bar moves), then the ladder.

    With `rate` > 0 each answer is also planned with that no-show rate. The
    buffered ladder opens the plain ladder's days in the same order, so the two
    rows of a step compare like with like.
    """
    assert problem.whatif is not None and problem.whatif.candidates
    candidates = problem.whatif.candidates
    buffered_problem = with_no_show_buffer(problem, rate) if rate > 0 else None
    total = len(candidates) * (2 if buffered_problem else 1) + (3 if buffered_problem else 2)
    done = 0

    def step(text: str) -> None:
        if progress is not None:
            progress(done / total, text)

    def heard(answer: CandidateAnswer) -> None:
        nonlocal done
        done += 1
        step(f"{answer.label} done...")

    step("Each day on its own...")
    plain = whatif(problem, time_limit=time_limit, on_answer=heard)
    days = list(plain.candidates)
    buffered: list[CandidateAnswer] = []
    baseline_buffered = 0
    if buffered_problem is not None:
        step(f"Allowing for {percent(rate)} no-shows...")
        padded = whatif(buffered_problem, time_limit=time_limit, on_answer=heard)
        baseline_buffered = padded.baseline.unfilled
        buffered = list(padded.candidates)
    step("Adding days one at a time, cheapest first...")
    steps = tuple(ladder(problem, time_limit=time_limit, answer=plain))
    done += 1
    buffered_steps = None
    if buffered_problem is not None:
        step(f"The same days, allowing for {percent(rate)} no-shows...")
        buffered_steps = tuple(combined(buffered_problem, list(s.labels), time_limit=time_limit,
                                        baseline_unfilled=baseline_buffered) for s in steps)
        done += 1
    step("Looking for key people and shifts without backup...")
    risk = tuple(fragility_sentences(fragility(problem), problem))
    done += 1
    step("Done.")
    meal = meal_word(s for c in candidates for s in c.slots)
    return Results(tuple(days), tuple(buffered) if buffered_problem else None, steps, buffered_steps,
                   risk, rate, open_now, meal)
