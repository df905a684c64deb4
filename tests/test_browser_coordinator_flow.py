"""Chromium, a fresh demo database: the coordinator's whole week, screenshot by screenshot.

Log in, edit a volunteer, plan the week (timed: under 3 s from the click to the
grid), pin someone, re-plan, publish, mark a cancellation, apply a suggested
replacement, download the XLSX and the ICS.
"""

from __future__ import annotations

import io
import re
import time
from datetime import date

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from playwright.sync_api import expect

from planner.core.domain import default_week
from planner.core.labels import plural
from planner.core.validate import validate, why_not_eligible
from planner.engine import repair as gaps
from planner.present.gaps import published_choices
from planner.services.week import build_problem
from planner.store import db, plans
from planner.store.roster import list_volunteers
from planner.store.settings import load_settings
from tests.fixtures.browser import choose, edit_first_phone, go, shot
from tests.test_browser_signin import APP, log_in

pytestmark = pytest.mark.browser

GRID = "[data-testid='stTable']"


def test_the_coordinators_week_end_to_end(fresh_streamlit_server, app_page, artifacts):
    page, url = app_page, fresh_streamlit_server.database_url
    page.set_viewport_size({"width": 1400, "height": 1000})
    log_in(page, fresh_streamlit_server.url, "coordinator")
    expect(page.get_by_role("heading", name="Plan the week")).to_be_visible()
    shot(page, artifacts, "flow-01-signed-in")

    # Edit a volunteer: the first row's phone, typed into the roster grid.
    go(page, "Roster")
    expect(page.get_by_role("heading", name="Roster")).to_be_visible()
    edit_first_phone(page, "816-555-0177")
    expect(page.get_by_text("Saved: 1 volunteer changed, 0 added.")).to_be_visible()
    with db.session(url) as s:
        assert list_volunteers(s)[0].phone == "816-555-0177"
    shot(page, artifacts, "flow-02-volunteer-edited")

    # Plan the week, timed from the click to the grid on screen.
    go(page, "Plan the week")
    plan_button = page.get_by_role("button", name="Plan", exact=True)
    expect(plan_button).to_be_visible()
    started = time.monotonic()
    plan_button.click()
    expect(page.get_by_text("New plan (not saved yet)")).to_be_visible()
    expect(page.locator(GRID).first).to_contain_text("Morning 09:00-13:00")
    seconds = time.monotonic() - started
    print(f"\nplanning the demo week in the browser took {seconds:.2f} s (click to grid)")
    (artifacts / "flow-plan-seconds.txt").write_text(f"{seconds:.3f}\n")
    shot(page, artifacts, "flow-03-planned")

    # Pin someone who can take the first slot, then re-plan around the pin.
    with db.session(url) as s:
        week = default_week(date.today(), load_settings(s).open_weekdays)
        problem = build_problem(s, week)
    first = min(problem.slots, key=lambda sl: sl.start)
    person = next(v for v in sorted(problem.volunteers, key=lambda v: v.name.casefold())
                  if v.trained and why_not_eligible(v, first) is None)
    box = page.get_by_label("Volunteer", exact=True).first  # the slot is the first one already
    box.click()
    box.fill(person.name)
    box.press("Enter")  # the first option that starts with the name, "(on this slot)" or not
    expect(box).to_have_value(re.compile(f"^{re.escape(person.name)}"))
    page.get_by_role("button", name="Pin to this slot", exact=True).click()
    expect(page.get_by_text(f"Pinned {person.name} to")).to_be_visible()
    page.get_by_role("button", name="Re-plan", exact=True).click()
    expect(page.get_by_text("New plan (not saved yet)")).to_be_visible()
    expect(page.locator(GRID).first).to_contain_text(f"{person.name} (trained) (pinned)")
    shot(page, artifacts, "flow-04-pinned-and-replanned")

    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text(re.compile(r"^Published as version 1\."))).to_be_visible()
    shot(page, artifacts, "flow-05-published")

    # Mark a cancellation on a slot someone else can fill (worked out the way the page does).
    with db.session(url) as s:
        problem = build_problem(s, week)
        published = plans.latest_published(s, week)
    assert published is not None and any(a.volunteer == person.id for a in published.assignments)
    current = list(published.assignments)
    gone, label = next((a, text) for a, text in published_choices(problem, current)
                       if gaps.suggestions(problem, [x for x in current if x != a], a.slot,
                                           exclude=[a.volunteer]))
    go(page, "Gaps")
    expect(page.get_by_role("heading", name="Gaps and cancellations")).to_be_visible()
    choose(page, "Who cannot make it", label)
    page.get_by_label("Reason (optional, kept in the history)").fill("sick child")
    page.get_by_role("button", name="Mark cancellation", exact=True).click()
    expect(page.get_by_text("Cancellation marked")).to_be_visible()
    expect(page.get_by_text(re.compile(r"cannot make it \(sick child\)\."))).to_be_visible()
    shot(page, artifacts, "flow-06-cancellation-marked")

    kept = [x for x in current if x != gone]
    best = gaps.suggestions(problem, kept, gone.slot, exclude=[gone.volunteer])[0]
    choose(page, "Replacement", f"{best.name} ({plural(best.assigned_this_week, 'slot')} this week)")
    page.get_by_role("button", name="Apply", exact=True).first.click()
    expect(page.get_by_text(re.compile(r"^Ask .* first: "))).to_be_visible()  # their phone or email
    shot(page, artifacts, "flow-07-ask-the-replacement")
    page.get_by_role("button", name=re.compile(r" said yes: publish$")).click()
    expect(page.get_by_text(re.compile(r" replaces .* Published as version 3\."))).to_be_visible()
    expect(page.get_by_text("No open gaps this week.")).to_be_visible()
    with db.session(url) as s:
        latest = plans.latest_published(s, week)
    assert latest is not None and latest.version == 3 and gone not in latest.assignments
    assert len([a for a in latest.assignments if a.slot == gone.slot]) == len(
        [a for a in published.assignments if a.slot == gone.slot])
    shot(page, artifacts, "flow-08-replacement-applied")

    # Download the week's schedule as XLSX and ICS.
    go(page, "Imports/exports")
    expect(page.get_by_role("heading", name="Imports and exports")).to_be_visible()
    expect(page.get_by_text("Exports published version 3")).to_be_visible()
    files = {}
    for name in ("Schedule (XLSX)", "Calendar (ICS)"):
        with page.expect_download() as download:
            page.locator("[data-testid='stDownloadButton']").filter(has_text=name).first.click()
        target = artifacts / f"flow-{download.value.suggested_filename}"
        download.value.save_as(target)
        files[name] = target.read_bytes()
    sheet = load_workbook(io.BytesIO(files["Schedule (XLSX)"]))["Schedule"]
    assert sheet.max_row - 1 == len(latest.assignments)
    events = list(Calendar.from_ical(files["Calendar (ICS)"]).walk("VEVENT"))
    assert len(events) == len(latest.assignments)
    shot(page, artifacts, "flow-08-downloads")
    assert page.locator(APP).count() == 1
    with db.session(url) as s:  # the published result is within the rules
        assert validate(build_problem(s, week), list(latest.assignments)) == []
