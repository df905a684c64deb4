"""Leadership's what-if answers as tables, sentences, charts and a CSV: no Streamlit, no SQL.

Leadership sees counts only. Nothing here reads or returns a volunteer's name,
contact details or background check, so the page cannot show them by mistake:
fragility comes out as "one volunteer whose absence ..." and slot times.
Texts are plain; the page escapes them before any Markdown widget.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import pandas as pd

from planner.core.labels import day_label, percent, period_name, plural, slot_title
from planner.core.problem import Problem, Slot
from planner.core.validate import eligible
from planner.engine.whatif import CandidateAnswer, Fragility, LadderStep, Study
from planner.present.applicants import pipeline_sentence

NOT_PROVEN = "best found in the time allowed, not proven to be the fewest"


# ---------------------------------------------------------------- words


def meal_word(slots: Iterable[Slot]) -> str:
    """`dinner` when every meal in sight is a dinner (the demo center), else `meal`."""
    names = {period_name(s) for s in slots if s.kind == "meal"}
    return "dinner" if names == {"Dinner"} else "meal"


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


CERTAINTY = "How sure"
CERTAINTY_HELP = ("Proven fewest: no smaller number of recruits can staff the day; the solver proved it. "
                  "Best found: the time allowed ran out before the proof; the true number may be smaller.")


def _proven(answer: CandidateAnswer) -> str:
    return "Proven fewest" if answer.optimal else "Best found, not proven"


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
    columns = ["Day", *needs, CERTAINTY]
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
    columns = ["Open days", "Days added", *needs, CERTAINTY]
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


# ---------------------------------------------------------------- a study, as the page shows it


def meal_of(study: Study) -> str:
    return meal_word(s for c in (study.problem.whatif.candidates if study.problem.whatif else ())
                     for s in c.slots)


def study_days_table(study: Study) -> pd.DataFrame:
    return days_table(study.days, study.buffered, study.rate, meal_of(study))


def study_ladder_table(study: Study) -> pd.DataFrame:
    return ladder_table(study.steps, study.open_now, study.buffered_steps, study.rate, meal_of(study))


def day_sentences(study: Study, pipeline: Mapping[str, Mapping[str, int]] | None = None) -> list[str]:
    """One line per candidate day; with `pipeline` (stage counts per day), how far the applicants go too."""
    by_label = {b.label: b for b in study.buffered or ()}
    lines = [day_sentence(a, by_label.get(a.label), study.rate, meal_of(study)) for a in study.days]
    if pipeline is None:
        return lines
    return [f"{line} {pipeline_sentence(a.label, pipeline.get(a.label, {}))}"
            for line, a in zip(lines, study.days, strict=True)]


def ladder_sentences(study: Study) -> list[str]:
    meal = meal_of(study)
    lines = [ladder_sentence(s, study.open_now + i + 1, meal) for i, s in enumerate(study.steps)]
    added = {label for s in study.steps for label in s.labels}
    left = [a.label for a in study.days if a.label not in added]
    if left:
        lines.append(f"Beyond that, {', '.join(left)} cannot be added with recruits like these.")
    return lines


def risk_sentences(study: Study) -> list[str]:
    return fragility_sentences(study.fragility, study.problem)


def staffing_assumption(study: Study, level: str) -> str:
    """What the numbers assume, in one sentence a board packet can quote."""
    whatif = study.problem.whatif
    shifts = [s for c in (whatif.candidates if whatif else ()) for s in c.slots if s.kind == "shift"]
    each = "its meals staffed"
    if shifts:  # at level "target" the candidates' minimums were raised to their targets
        each = f"{plural(shifts[0].min, 'volunteer')} per shift"
        if shifts[0].min_trained:
            each += f", {shifts[0].min_trained} of them trained"
    word = "target" if level == "target" else "minimum"
    cap = whatif.recruit.max_shifts if whatif else 1
    return (f"Each new day is counted at its {word} ({each}), while the days the center opens now keep at "
            f"least today's coverage. A recruit gives at most {plural(cap, 'shift')} a week.")


def nobody_free_sentences(study: Study) -> list[str]:
    """A day no current volunteer can work at all: every place there needs a recruit."""
    out = []
    people = study.problem.volunteers
    for cand in study.problem.whatif.candidates if study.problem.whatif else ():
        if not any(eligible(v, s) and v.cap(s.kind) > 0 for s in cand.slots for v in people):
            out.append(f"No current volunteer is free on {cand.label}: every place there needs a recruit.")
    return out


def buffer_source(rate: float | None, shifts: int, since: date | None, default_percent: int) -> str:
    """Where the no-show buffer's starting value comes from."""
    if rate is None or since is None:
        return f"The buffer starts at a default of {default_percent}%: no check-in history yet."
    return (f"The buffer starts at the no-show rate measured at check-in: {percent(rate)} over "
            f"{plural(shifts, 'shift')} since {day_label(since)} {since.year}.")
