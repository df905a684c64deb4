"""Benchmark of offers (issue 13): ranking who may take a place, and offering it, for a center's roster.

For 50, 100 and 200 volunteers: a fresh SQLite database with the default
center (open Fri-Sun, two shifts and a dinner a day), a seeded roster (weekly
availability on one to three of the open days, 30% trained, 85% cleared, 80%
with email, 10% on one day's standby list), next week planned by the engine and
published; then someone cancels a morning shift. Timed, in this process, each
the median of 5 runs:

- `ranking`: read the week from the store and rank who can take the place
  without breaking a rule (standby first), as an offer does;
- `offering`: the whole offer in its unit of work: the same ranking, the offer
  and its recipients, one email queued per recipient (rolled back after each run);
- `claim` (one run): an accept link taking the place: lock, re-check, publish, notices.

Target (issue 13): ranking and offering for 200 volunteers under 1 s.
Usage: `python bench/offers.py [--sizes 50 100 200] [--markdown]`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNS = 5
TARGET_SECONDS = 1.0
BASE = "https://planner.example.org"


class _Rollback(Exception):
    """Leaves a timed unit of work without committing it."""


def _center(url: str, volunteers: int, seed: int = 13) -> tuple[date, int]:
    """The seeded center with next week published and a morning cancelled: (week, the gap's id)."""
    from planner.core.domain import CenterSettings, VolunteerRecord, WeeklyWindow, default_week
    from planner.engine import solve
    from planner.services import gaps
    from planner.services.week import build_problem
    from planner.store import cancellations, db, migrate, plans, roster
    from planner.store import offers as stored
    from planner.store.settings import save_settings

    rng = random.Random(seed)
    migrate.migrate(url)
    settings = CenterSettings()
    week = default_week(date.today(), settings.open_weekdays) + timedelta(weeks=1)
    with db.session(url) as s:
        save_settings(s, settings)
        for n in range(volunteers):
            days = rng.sample(list(settings.open_weekdays), rng.choice((1, 1, 2, 3)))
            hours = rng.choice(((9, 17), (9, 13), (13, 18), (9, 18)))
            windows = tuple(sorted(WeeklyWindow.parse(f"{'MonTueWedThuFriSatSun'[d * 3:d * 3 + 3]} "
                                                      f"{hours[0]:02d}:00-{hours[1]:02d}:00") for d in days))
            meals = rng.random() < 0.2
            record = roster.add_volunteer(s, VolunteerRecord(
                f"Volunteer {n:03d}", email=f"v{n:03d}@example.org" if rng.random() < 0.8 else None,
                phone=f"816-555-{n:04d}", does_meals=meals, trained=rng.random() < 0.3,
                check_status="cleared" if rng.random() < 0.85 else "pending",
                max_shifts=rng.choice((1, 1, 2)), max_meals=1 if meals else 0, availability=windows))
            if rng.random() < 0.1 and record.id is not None:
                day = week + timedelta(days=rng.choice(days))
                stored.set_standby(s, record.id, [day], day, day, "bench")
    with db.session(url) as s:
        plan = solve(build_problem(s, week), time_limit=20)
        plans.save_draft(s, week, plan.assignments, actor="bench")
        plans.publish_draft(s, week, actor="bench")
        latest = plans.latest_published(s, week)
    assert latest is not None
    gone = next(a for a in latest.assignments if a.slot.endswith("-am"))
    gaps.cancel(week, gone.slot, gone.volunteer, "", actor="bench")
    with db.session(url) as s:
        [gap] = cancellations.open_gaps(s, week)
    return week, gap.id


def _median_ms(run) -> float:  # noqa: ANN001 - a callable timed RUNS times
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure(volunteers: int, workdir: Path) -> dict[str, object]:
    from planner.services import offers
    from planner.services.keys import link_token
    from planner.services.offers import _known, _ranked
    from planner.services.week import build_problem
    from planner.store import cancellations, db, plans
    from planner.store.settings import load_settings

    url = f"sqlite:///{workdir / f'offers-{volunteers}.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    week, gap_id = _center(url, volunteers)
    found: list[int] = []

    def ranking() -> None:
        with db.session(url, readonly=True) as s:
            gap = cancellations.get_gap(s, gap_id)
            assert gap is not None
            problem = build_problem(s, week)
            latest = plans.latest_published(s, week)
            assert latest is not None
            slot = next(sl for sl in load_settings(s).week_slots(week) if sl.id == gap.slot)
            current, _ = _known(problem, latest.assignments)
            found[:] = [len(_ranked(s, problem, current, slot, [gap.volunteer]))]

    def offering() -> None:
        try:
            with db.session(url) as s:
                report = offers.offer_gap_in(s, gap_id, BASE, "bench")
                assert report.offer is not None
                raise _Rollback
        except _Rollback:
            pass

    rank_ms, offer_ms = _median_ms(ranking), _median_ms(offering)
    with db.session(url) as s:
        report = offers.offer_gap_in(s, gap_id, BASE, "bench")
        assert report.offer is not None
        token = link_token(next(r for r in report.offer.recipients if r.state == "sent").message_key)
    started = time.perf_counter()
    offers.accept(token)
    claim_ms = (time.perf_counter() - started) * 1000
    db.dispose_engine(url)
    return {"volunteers": volunteers, "eligible": found[0], "recipients": len(report.offer.recipients),
            "ranking ms": rank_ms, "offering ms": offer_ms, "claim ms": claim_ms}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200])
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    os.environ.pop("PLANNER_SMTP_HOST", None)  # queue only: sending is the background sender's, not timed
    os.environ.pop("PLANNER_TWILIO_ACCOUNT_SID", None)
    with tempfile.TemporaryDirectory(prefix="planner-bench-offers-") as tmp:
        rows = [measure(n, Path(tmp)) for n in args.sizes]
    columns = ["volunteers", "eligible", "recipients", "ranking ms", "offering ms", "claim ms"]
    if args.markdown:
        print("| " + " | ".join(columns) + " |")
        print("|" + "---:|" * len(columns))
    else:
        print("  ".join(f"{c:>12}" for c in columns))
    for row in rows:
        cells = [f"{row[c]:.0f}" if isinstance(row[c], float) else str(row[c]) for c in columns]
        print("| " + " | ".join(cells) + " |" if args.markdown else "  ".join(f"{c:>12}" for c in cells))
    worst = max(r["offering ms"] for r in rows if r["volunteers"] <= 200)  # type: ignore[type-var]
    print(f"target: ranking and offering for up to 200 volunteers < {TARGET_SECONDS * 1000:.0f} ms: "
          f"{'met' if worst < TARGET_SECONDS * 1000 else 'NOT met'} ({worst:.0f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
