"""Chromium: the coordinator's pages as issue 14 fixed them, followed the way a coordinator works.

Two demos, one browser session each:
- the default test demo (no past weeks): the empty states of Reports, Check-in and the what-if
  buffer, the kiosk, then planning the week with its real shortage, pins, the wall chart, the
  roster, gaps and the audit log;
- a demo with two past weeks published and attended: Reports, Check-in and the no-show buffer
  filled in.
What the pages should show is worked out here from the database and the rules, not from the
page's own helpers.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from planner.core.clock import center_now
from planner.core.domain import default_week, monday_of
from planner.core.labels import day_label, plural, slot_column, slot_title
from planner.core.problem import Assignment, Problem, Slot
from planner.core.validate import why_not_eligible
from planner.engine import repair
from planner.present.gaps import published_choices
from planner.services.week import build_problem
from planner.store import cancellations, db, plans
from planner.store.roster import get_volunteer, list_volunteers
from planner.store.settings import load_settings
from tests.fixtures.browser import StreamlitServer, choose, demo_server, go, settled, shot, table_rows
from tests.test_browser_signin import APP, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESK = {"width": 1400, "height": 1000}
TABLE = "[data-testid='stTable']"
FRAME = "[data-testid='stDataFrame']"
ERROR = "[data-testid='stAlertContentError']"
CHART = "[data-testid='stVegaLiteChart']"
DOWNLOAD = "[data-testid='stDownloadButton']"
# The one date style: `Fri 4 Dec`; anything like 2026-12-04, 12/4 or "December 4" is another style.
MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
DAY_STYLE = re.compile(rf"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{{1,2}} ({MONTHS})$")
OTHER_DATE_STYLES = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}\b|\b(January|February|March|April|"
                               r"June|July|August|September|October|November|December)\b")
IDS = re.compile(r"\bv\d+\b|\bvolunteer \d+\b")
# The grid's colours (planner.present.plan.GRID_COLOURS) as the browser computes them.
RED, YELLOW, GREEN = "rgb(253, 226, 225)", "rgb(255, 244, 214)", "rgb(227, 244, 232)"
COVERAGE = re.compile(r"^(Short: )?(\d+) of (\d+)")
NEW_NAME = "Rhea Q."


@pytest.fixture
def default_demo() -> Iterator[StreamlitServer]:
    with demo_server(history_weeks=0) as server:
        yield server


@pytest.fixture
def demo_with_history() -> Iterator[StreamlitServer]:
    with demo_server(history_weeks=2) as server:
        yield server


def _sees(page: Page, text: str | re.Pattern[str]) -> None:
    expect(page.get_by_text(text)).to_be_visible()


def _type_date(page: Page, label: str, day: date) -> None:
    """Type a date into a YYYY-MM-DD date input, as a person does: year, month, day, then click away."""
    page.get_by_role("spinbutton", name=f"year, {label}").click()
    page.keyboard.type(day.strftime("%Y%m%d"))
    page.locator("h1").first.click()  # the input sends its value when it loses focus


def _week(url: str) -> tuple[date, Problem]:
    with db.session(url) as s:
        week = default_week(date.today(), load_settings(s).open_weekdays)
        return week, build_problem(s, week)


def _free_then(problem: Problem, slot: Slot, on: set[str]) -> list[str]:
    """Names of the people off the slot whose availability (time off counted) holds it."""
    return [v.name for v in problem.volunteers
            if v.id not in on and slot.kind in v.does and v.cap(slot.kind) > 0
            and any(w.contains(slot.start, slot.end) for w in v.available)]


# ---------------------------------------------------------------- before anything is published


def _empty_states(page: Page) -> None:
    """No history yet: each page says what will appear there, and when."""
    expect(page.get_by_role("button", name="Plan", exact=True)).to_be_visible()
    settled(page)
    assert page.get_by_text("Staff above minimum").count() == 0  # no no-show buffer without check-ins
    assert page.get_by_text("Measured no-show rates").count() == 0
    go(page, "Reports")
    _sees(page, "No published shift has ended in this period yet. Hours, coverage and no-show rates appear "
                "here after the first published shift ends, from the check-ins taken at the kiosk.")
    assert page.locator(CHART).count() == 0
    go(page, "What-if")
    _sees(page, re.compile(r"^The buffer starts at a default of \d+%: no check-in history yet\.$"))
    go(page, "Check-in")
    expect(page.get_by_role("heading", name="Check-in and attendance")).to_be_visible()
    _sees(page, "Nobody is on the published plan that day. Publish the week on Plan the week: the people on "
                "it then appear here to check in, and you can correct their times.")


def _kiosk(page: Page, url: str, artifacts) -> None:
    """The tablet shows only check-in: no Log out, no menu, not even after a reload; leaving needs the
    coordinator's password."""
    with db.session(url) as s:
        today = center_now(load_settings(s).timezone).date()
    page.get_by_role("button", name="Open kiosk mode", exact=True).click()
    welcome = page.get_by_role("heading", name=f"Welcome! {day_label(today)}")
    for reloaded in (False, True):
        if reloaded:
            page.reload()
            page.wait_for_selector(APP)
        expect(welcome).to_be_visible()
        expect(page.get_by_text("Nobody is on today's published plan. Names appear here on the days of a "
                                "published week.")).to_be_visible()
        settled(page)
        assert page.get_by_role("button", name="Log out").count() == 0
        assert page.get_by_role("link", name="Plan the week").count() == 0
    shot(page, artifacts, "pages-kiosk")
    page.get_by_text("Coordinator: leave kiosk mode").click()
    page.get_by_label("Your password").fill("not-the-password")
    page.get_by_role("button", name="Leave kiosk mode").click()
    expect(page.get_by_text("Wrong password: the kiosk stays open.")).to_be_visible()
    expect(welcome).to_be_visible()
    assert page.get_by_role("button", name="Log out").count() == 0
    page.get_by_label("Your password").fill("demo")
    page.get_by_role("button", name="Leave kiosk mode").click()
    expect(page.get_by_role("heading", name="Check-in and attendance")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


# ---------------------------------------------------------------- the week


def _plan_and_publish(page: Page, url: str, artifacts) -> None:
    """The demo week has a real shortage: every cell under its target is explained, naming the people."""
    go(page, "Plan the week")
    page.get_by_role("button", name="Plan", exact=True).click()
    expect(page.get_by_text("New plan (not saved yet)")).to_be_visible()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text(re.compile(r"^Published as version 1\."))).to_be_visible()
    expect(page.get_by_role("heading", name="Published version 1")).to_be_visible()
    shot(page, artifacts, "pages-plan")
    week, problem = _week(url)
    with db.session(url) as s:
        published = plans.latest_published(s, week)
    assert published is not None
    on: dict[str, set[str]] = {}
    for a in published.assignments:
        on.setdefault(a.slot, set()).add(a.volunteer)
    slots = {(day_label(sl.day), slot_column(sl)): sl for sl in problem.slots}

    # The grid is the table headed by the day's slots (a list of people to call may come first).
    grid = page.locator(TABLE).filter(has=page.locator("thead th", has_text=slot_column(problem.slots[0])))
    rows = table_rows(grid)
    header, body = rows[0], rows[1:]
    colours = grid.locator("tbody td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c).backgroundColor)")
    under_target: dict[tuple[str, str], str] = {}
    for r, row in enumerate(body):
        assert DAY_STYLE.match(row[0]), row[0]
        for c, cell in enumerate(row[1:]):
            match = COVERAGE.match(cell)
            assert match, cell
            short, n, target = bool(match.group(1)), int(match.group(2)), int(match.group(3))
            slot = slots[(row[0], header[c + 1])]
            people = on.get(slot.id, set())
            trained = sum(problem.volunteer(v).trained for v in people)
            assert short == (len(people) < slot.min or trained < slot.min_trained), cell
            colour = colours[r * (len(header) - 1) + c]
            assert colour == (RED if short else YELLOW if n < target else GREEN), (cell, colour)
            if short or n < target:
                under_target[(row[0], header[c + 1])] = f"{n} of {target}"
    assert any(c == RED for c in colours), "the demo week has a real shortage"
    legend = page.get_by_text(re.compile(r"^Red, marked Short: "))
    expect(legend).to_be_visible()
    for word in ("Red", "Yellow", "Green", "Short", "(trained)", "(pinned)"):  # each colour and mark
        assert word in legend.inner_text(), word

    expect(page.get_by_role("heading", name="Why slots are short")).to_be_visible()
    why_rows = table_rows(page.locator(TABLE).filter(has=page.get_by_role("columnheader", name="Why")))
    assert why_rows[0] == ["Day", "Slot", "Coverage", "Short", "Why"]
    assert {(r[0], r[1]): r[2] for r in why_rows[1:]} == under_target  # every short cell, and only those
    for day, column, _, _, why in why_rows[1:]:
        assert DAY_STYLE.match(day) and not IDS.search(why), (day, why)
        free = _free_then(problem, slots[(day, column)], on.get(slots[(day, column)].id, set()))
        for name in free:  # everyone who could come then is named, with what keeps them off
            assert name in why or re.search(r"\b\d+ volunteers (is|are|have|has|could)\b", why), (name, why)
        if not free:
            assert re.search(r"(Only \d+ volunteers? (is|are)|Nobody on the roster is) available then",
                             why), why

    text = page.locator("[data-testid='stMain']").inner_text()
    assert not OTHER_DATE_STYLES.search(text), OTHER_DATE_STYLES.search(text)
    week_box = page.get_by_label("Week", exact=True)
    expect(week_box).to_have_value(re.compile(rf"^Week of {re.escape(day_label(week))} {week.year}"))


def _open_slot(page: Page, problem: Problem, assignments: list[Assignment], slot: Slot) -> list[str]:
    """Choose the slot to put someone on; the people it should offer: those on it, then everyone the rules
    allow there (kind, availability with time off, background check), by name."""
    on = {a.volunteer for a in assignments if a.slot == slot.id}
    expected = sorted([problem.volunteer(v).name + " (on this slot)" for v in on]) + sorted(
        v.name for v in problem.volunteers
        if v.id not in on and v.cap(slot.kind) > 0 and why_not_eligible(v, slot) is None)
    choose(page, "Slot", slot_title(slot))
    box = page.get_by_label("Volunteer", exact=True)  # for a moment, the last slot's list is there too
    expect(box.and_(page.locator(f"[value={json.dumps(expected[0])}]"))).to_be_visible()
    expect(box).to_have_count(1)
    settled(page)
    return expected


def _pick_volunteer(page: Page, name: str) -> None:
    box = page.get_by_label("Volunteer", exact=True)
    box.click()
    box.fill(name)
    page.get_by_role("option", name=re.compile(f"^{re.escape(name)}( \\(on this slot\\))?$")).click()
    expect(box).to_have_value(re.compile(f"^{re.escape(name)}"))
    settled(page)


def _pins_by_hand(page: Page, url: str) -> None:
    """Only eligible people are offered; a refused pin says why in one plain sentence; pin vs add is clear."""
    _sees(page, "Pin: they stay on the slot in every re-plan until you unpin them. Add: they join the plan "
                "shown here, saved as the draft, and a re-plan may move them.")
    week, problem = _week(url)
    with db.session(url) as s:
        published = plans.latest_published(s, week)
    assert published is not None
    shown = list(published.assignments)
    slots = sorted(problem.slots, key=lambda sl: sl.start)
    # The shortest slot: where someone would look for a person to put on it.
    short = min((sl for sl in slots if sl.kind == "shift"),
                key=lambda sl: sum(a.slot == sl.id for a in shown) - sl.min)
    expected = _open_slot(page, problem, shown, short)
    page.get_by_label("Volunteer", exact=True).click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    offered = options.all_inner_texts()
    page.keyboard.press("Escape")
    assert offered == expected
    assert len(offered) < len(problem.volunteers), "people who cannot work the slot are left out"

    page.get_by_role("button", name="Pin to this slot", exact=True).hover()
    expect(page.get_by_text("Kept on this slot in every re-plan, until unpinned.")).to_be_visible()
    page.mouse.move(5, 5)

    # Someone with a cap of one shift, who could work two shifts at different times this week.
    shifts = [sl for sl in slots if sl.kind == "shift"]
    person, first, second = next(
        (v, a, b) for v in sorted(problem.volunteers, key=lambda v: v.name) if v.max_shifts == 1
        for a in shifts for b in shifts
        if a.start < b.start and not a.overlaps(b) and why_not_eligible(v, a) is None
        and why_not_eligible(v, b) is None)
    _open_slot(page, problem, shown, first)
    _pick_volunteer(page, person.name)
    page.get_by_role("button", name="Pin to this slot", exact=True).click()
    expect(page.get_by_text(f"Pinned {person.name} to {slot_title(first)}. Re-plan to fit everyone else "
                            "around it.")).to_be_visible()
    _open_slot(page, problem, shown, second)
    _pick_volunteer(page, person.name)
    page.get_by_role("button", name="Pin to this slot", exact=True).click()
    refusal = page.locator(ERROR)
    expect(refusal).to_have_text(f"Not pinned: {person.name} would be pinned to 2 shifts, more than their "
                                 "weekly cap of 1.")
    assert refusal.count() == 1
    with db.session(url) as s:
        assert [(p.slot, p.volunteer) for p in plans.list_pins(s, week)] == [(first.id, person.id)]


def _wall_chart(page: Page, url: str, artifacts) -> None:
    """The printable page: one landscape page, days across, each slot's people in its cell."""
    go(page, "Imports/exports")
    expect(page.get_by_role("heading", name="Imports and exports")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Exports published version 1: "))).to_be_visible()
    with page.expect_download() as download:
        page.locator(DOWNLOAD).filter(has_text="Printable page (HTML)").click()
    week, problem = _week(url)
    with db.session(url) as s:
        published = plans.latest_published(s, week)
    assert published is not None
    saved = artifacts / "pages-wall-chart.html"
    download.value.save_as(saved)
    sheet = page.context.new_page()
    sheet.goto(saved.as_uri())
    days = sorted({sl.day for sl in problem.slots})
    columns = sorted({slot_column(sl): sl.start.time() for sl in problem.slots}.items(), key=lambda kv: kv[1])
    assert sheet.locator("thead th").all_inner_texts() == ["Slot", *(day_label(d) for d in days)]
    assert sheet.locator("tbody th").all_inner_texts() == [c for c, _ in columns]
    for r, (column, _) in enumerate(columns):
        cells = sheet.locator("tbody tr").nth(r).locator("td").all_inner_texts()
        for d, day in enumerate(days):
            slot = next(sl for sl in problem.slots if sl.day == day and slot_column(sl) == column)
            names = sorted((problem.volunteer(a.volunteer).name for a in published.assignments
                            if a.slot == slot.id), key=str.casefold)
            assert cells[d].split("\n") == (names or ["(nobody yet)"])
    sheet.screenshot(path=artifacts / "pages-wall-chart.png", full_page=True)
    pdf = sheet.pdf(prefer_css_page_size=True, print_background=True)
    sheet.close()
    (artifacts / "pages-wall-chart.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1, "one page"
    width, height = map(float, re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", pdf).groups())
    assert width > height, "landscape"


# ---------------------------------------------------------------- the roster


def _roster(page: Page, url: str, artifacts) -> None:
    go(page, "Roster")
    expect(page.get_by_role("heading", name="Roster")).to_be_visible()
    with db.session(url) as s:
        records = list_volunteers(s)
    today = date.today()
    people = [r for r in records if r.active and r.does_shifts]
    expired = [r for r in people if r.check_status == "expired"
               or (r.check_status == "cleared" and r.check_expires is not None and r.check_expires < today)]
    pending = [r for r in people if r.check_status == "pending"]
    soon = [r for r in people if r.check_status == "cleared" and r.check_expires is not None
            and today <= r.check_expires <= today + timedelta(days=30)]
    assert expired and pending and soon, "the demo has each kind"
    for start, group in (("Background check expired", expired), ("Background check pending", pending)):
        line = page.get_by_text(re.compile(f"^{start} \\({len(group)}, not planned on shifts\\): "))
        expect(line).to_be_visible()
        for r in group:
            expect(line).to_contain_text(r.name)
    line = page.get_by_text(re.compile(rf"^Background check expiring within 30 days \({len(soon)}\): "))
    for r in soon:
        assert r.check_expires is not None
        expect(line).to_contain_text(f"{r.name} on {day_label(r.check_expires)}")

    # The editor shows 40 people at once (35 px a row), or everyone when fewer.
    editor = page.locator(FRAME).first
    expect(editor).to_be_visible()
    box = editor.bounding_box()
    assert box is not None
    assert box["height"] >= (40 if len(records) >= 40 else len(records) + 1) * 35, box
    assert len(table_rows(editor)) - 1 >= min(len(records), 40)

    # Who is usually free: the open days by period, counted from the weekly availability.
    heading = page.get_by_role("heading", name="Who is usually free")
    expect(heading).to_be_visible()
    overview = table_rows(heading.locator("xpath=following::*[@data-testid='stDataFrame'][1]"))
    with db.session(url) as s:
        center = load_settings(s)
    periods = center.periods()
    assert overview[0] == ["Day", *periods]
    assert [row[0] for row in overview[1:]] == ["Friday", "Saturday", "Sunday"]
    for row in overview[1:]:
        weekday = ["Friday", "Saturday", "Sunday"].index(row[0]) + 4
        for cell, (period, (start, end)) in zip(row[1:], periods.items(), strict=True):
            kind = "meal" if period == "Dinner" else "shift"
            free = [r.name for r in records if r.active and kind in r.does and any(
                w.weekday == weekday and w.start <= start and end <= w.end for w in r.availability)]
            assert cell.split(":")[0] == str(len(free)), (row[0], period, cell)
            for name in free:
                assert name in cell

    # Add a volunteer: a bad email is named and nothing typed is lost; then the person is added.
    page.get_by_text("Add a volunteer", exact=True).click()
    name, email, phone = (page.get_by_label(label, exact=True)
                          for label in ("Name", "Email (optional)", "Phone (optional)"))
    name.fill(NEW_NAME)
    email.fill("rhea.example.org")
    phone.fill("816-555-0199")
    page.get_by_role("button", name="Add to the roster", exact=True).click()
    _sees(page, re.compile(r'^New volunteer, column "Email": .*rhea\.example\.org'))
    expect(page.get_by_text("Nobody was added.")).to_be_visible()
    expect(name).to_have_value(NEW_NAME)
    expect(email).to_have_value("rhea.example.org")
    expect(phone).to_have_value("816-555-0199")
    shot(page, artifacts, "pages-roster-bad-email")
    with db.session(url) as s:
        assert NEW_NAME not in [r.name for r in list_volunteers(s)]
    email.fill("rhea@example.org")
    page.get_by_role("button", name="Add to the roster", exact=True).click()
    expect(page.get_by_text(f"Added {NEW_NAME} to the roster.")).to_be_visible()
    expect(page.get_by_text(f"{len(records) + 1} volunteers, ")).to_be_visible()
    settled(page)
    expect(page.get_by_label("Name", exact=True)).to_have_value("")  # a fresh form for the next person
    with db.session(url) as s:
        added = next(r for r in list_volunteers(s) if r.name == NEW_NAME)
    assert (added.email, added.phone, added.active) == ("rhea@example.org", "816-555-0199", True)

    # Erase a volunteer, on this page: chosen, their name typed to confirm.
    expect(page.get_by_role("heading", name="Erase a volunteer")).to_be_visible()
    choose(page, "Volunteer", NEW_NAME)
    page.get_by_label("Type the volunteer's name to confirm").fill(NEW_NAME)
    page.get_by_role("button", name="Erase permanently", exact=True).click()
    _sees(page, "Erased: the volunteer's name, contacts, availability and account.")
    with db.session(url) as s:
        assert get_volunteer(s, added.id).erased


# ---------------------------------------------------------------- gaps


def _nobody_chosen(page: Page, label: str, placeholder: str) -> None:
    box = page.get_by_label(label, exact=True)
    expect(box).to_have_value("")
    expect(box).to_have_attribute("placeholder", placeholder)


def _gaps(page: Page, url: str, artifacts) -> None:
    """Forms start afresh after each action; the replacement's contacts and a confirmation come before a
    publish; a cancellation can be undone."""
    week, problem = _week(url)
    with db.session(url) as s:
        published = plans.latest_published(s, week)
    assert published is not None
    current = list(published.assignments)
    gone, label = next((a, text) for a, text in published_choices(problem, current)
                       if repair.suggestions(problem, [x for x in current if x != a], a.slot,
                                             exclude=[a.volunteer]))
    kept = [x for x in current if x != gone]
    best = repair.suggestions(problem, kept, gone.slot, exclude=[gone.volunteer])[0]
    go(page, "Gaps")
    expect(page.get_by_role("heading", name="Gaps and cancellations")).to_be_visible()
    reason = page.get_by_label("Reason (optional, kept in the history)")
    _nobody_chosen(page, "Who cannot make it", "Choose the person and slot")
    reason.fill("car trouble")
    page.get_by_role("button", name="Mark cancellation", exact=True).click()
    expect(page.get_by_text("Choose who cannot make it. Nothing was changed.")).to_be_visible()
    expect(reason).to_have_value("car trouble")
    choose(page, "Who cannot make it", label)
    page.get_by_role("button", name="Mark cancellation", exact=True).click()
    _sees(page, f"Cancellation marked: {label}; the gap is listed below with who can fill it.")
    expect(page.get_by_text(re.compile(r"cannot make it \(car trouble\)\.$"))).to_be_visible()
    # The form is fresh again, and nobody is chosen as the replacement.
    expect(reason).to_have_value("")
    _nobody_chosen(page, "Who cannot make it", "Choose the person and slot")
    _nobody_chosen(page, "Replacement", "Choose who to ask")
    expect(page.get_by_role("button", name="Apply", exact=True)).to_be_disabled()

    choose(page, "Replacement", f"{best.name} ({plural(best.assigned_this_week, 'slot')} this week)")
    apply = page.get_by_role("button", name="Apply", exact=True)
    expect(apply).to_have_count(1)  # the run's old copy of the gap's row gone
    apply.click()
    with db.session(url) as s:
        them = get_volunteer(s, int(best.volunteer[1:]))
        assert plans.latest_published(s, week).version == 2, "nothing published before they said yes"
    ask = page.get_by_text(re.compile(rf"^Ask {re.escape(them.name)} first: "))
    expect(ask).to_be_visible()
    for way in (them.phone, them.email):
        if way:
            expect(ask).to_contain_text(way)
    shot(page, artifacts, "pages-gaps-ask")
    page.get_by_role("button", name=f"{them.name} said yes: publish", exact=True).click()
    gone_name = problem.volunteer(gone.volunteer).name
    expect(page.get_by_text(f"{them.name} replaces {gone_name} on {slot_title(problem.slot(gone.slot))}. "
                            "Published as version 3.")).to_be_visible()
    expect(page.get_by_text("No open gaps this week.")).to_be_visible()
    expect(reason).to_have_value("")
    _nobody_chosen(page, "Who cannot make it", "Choose the person and slot")

    # Undo: someone else cancels, then can come after all.
    with db.session(url) as s:
        current = list(plans.latest_published(s, week).assignments)
    back, back_label = next((a, text) for a, text in published_choices(problem, current)
                            if a.volunteer not in (gone.volunteer, best.volunteer))
    back_name = problem.volunteer(back.volunteer).name
    choose(page, "Who cannot make it", back_label)
    page.get_by_role("button", name="Mark cancellation", exact=True).click()
    _sees(page, f"Cancellation marked: {back_label}; the gap is listed below with who can fill it.")
    settled(page)
    page.get_by_role("button", name=f"Undo: {back_name} can come after all").click()
    _sees(page, f"Cancellation undone: {back_name} is back on {slot_title(problem.slot(back.slot))}. "
                "Published as version 5.")
    expect(page.get_by_text("No open gaps this week.")).to_be_visible()
    with db.session(url) as s:
        latest = plans.latest_published(s, week)
        assert latest.version == 5 and back in latest.assignments
        assert cancellations.open_gaps(s, week) == []


# ---------------------------------------------------------------- the audit log


def _audit(page: Page, url: str, artifacts) -> None:
    """People by name (the erased one anonymous), never ids; times in the center's zone."""
    with db.session(url) as s:
        zone = load_settings(s).timezone
    go(page, "Audit log")
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    expect(page.get_by_text(f"Times are the center's ({zone}).", exact=False)).to_be_visible()
    frame = page.locator(FRAME).first
    expect(frame).to_be_visible()
    rows = table_rows(frame)
    assert rows[0] == ["When", "Who", "Kind", "Action", "Target", "Detail"]
    newest = datetime.strptime(rows[1][0], "%Y-%m-%d %H:%M:%S")
    assert abs(newest - center_now(zone)) < timedelta(minutes=5), (rows[1][0], center_now(zone))
    for row in rows[1:]:
        for cell in row:
            assert not IDS.search(cell), row
    shot(page, artifacts, "pages-audit")
    with page.expect_download() as download:
        page.locator(DOWNLOAD).filter(has_text="Download these entries (CSV)").click()
    entries = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    for entry in entries:
        assert not IDS.search(" ".join(entry.values())), entry
    cancelled = [e for e in entries if e["Action"] == "cancellation"]
    assert cancelled and all(IDS.search(e["Target"] + e["Detail"]) is None for e in cancelled)
    assert any(e["Action"] == "volunteer erased" and "an erased volunteer" in e["Target"] + e["Detail"]
               for e in entries), [e for e in entries if "erase" in e["Action"]]


def test_the_coordinators_pages_on_the_default_demo(default_demo, app_page, artifacts):
    page, url = app_page, default_demo.database_url
    page.set_viewport_size(DESK)
    log_in(page, default_demo.url, "coordinator")
    _empty_states(page)
    _kiosk(page, url, artifacts)
    _plan_and_publish(page, url, artifacts)
    _pins_by_hand(page, url)
    _wall_chart(page, url, artifacts)
    _roster(page, url, artifacts)
    _gaps(page, url, artifacts)
    _audit(page, url, artifacts)


def test_reports_checkin_and_the_buffer_fill_in_with_history(demo_with_history, app_page, artifacts):
    page, url = app_page, demo_with_history.database_url
    page.set_viewport_size(DESK)
    with db.session(url) as s:
        zone = load_settings(s).timezone
        last_week = monday_of(center_now(zone).date()) - timedelta(weeks=1)
        friday = last_week + timedelta(days=4)
        attended = [a for a in plans.latest_published(s, last_week).assignments
                    if a.slot.startswith(friday.isoformat())]
    assert attended
    log_in(page, demo_with_history.url, "coordinator")
    _sees(page, re.compile(r"^(Staff above minimum on days with frequent no-shows \(measured: .+%\)"
                           r"|Measured no-show rates are below 10% on every day)"))

    go(page, "Reports")
    expect(page.get_by_role("heading", name="Reports")).to_be_visible()
    _type_date(page, "From", last_week - timedelta(weeks=1))
    for tab in ("Hours", "Coverage", "No-shows and cancellations"):
        page.get_by_role("tab", name=tab).click()
        panel = page.get_by_role("tabpanel", name=tab)
        expect(panel.locator(CHART).first.locator("canvas, svg").first).to_be_visible()
        assert len(table_rows(panel.locator(FRAME).first)) > 1, tab
    assert page.get_by_text("No published shift has ended in this period yet").count() == 0
    shot(page, artifacts, "pages-reports-history")

    go(page, "Check-in")
    expect(page.get_by_role("heading", name="Check-in and attendance")).to_be_visible()
    _type_date(page, "Day", friday)
    expect(page.get_by_role("heading", name="Correct a record")).to_be_visible()
    rows = table_rows(page.locator(FRAME).first)
    assert rows[0] == ["Slot", "Name", "In", "Out", "No-show", "Corrected by"]
    assert len(rows) - 1 == len(attended)
    assert all(re.fullmatch(r"\S+( \S\.)?", row[1]) for row in rows[1:]), rows  # first name, last initial
    assert any(re.fullmatch(r"\d\d:\d\d", row[2]) for row in rows[1:]), "check-in times"

    go(page, "What-if")
    caption = page.get_by_text(re.compile(r"^The buffer starts at the no-show rate measured at check-in: "
                                          r"[\d.]+% over (\d+) shifts? since "))
    expect(caption).to_be_visible()
    assert int(re.search(r"over (\d+) shift", caption.inner_text()).group(1)) > 0
