"""Chromium: leadership drives the what-if page to a rendered chart, and sees counts only.

The answer says what it assumes (minimum or target staffing, which changes it), that nobody on the
roster is free on a candidate day, where the no-show buffer comes from, and how sure each count is.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from planner.core.labels import plural
from planner.store import db
from planner.store.roster import list_volunteers
from planner.store.settings import load_settings
from tests.fixtures.browser import settled, table_rows
from tests.test_browser_signin import APP, log_in
from tests.test_privacy_pages import without_pipeline_counts

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = re.compile(r"\d{3}-\d{3}-\d{4}")
THURSDAY = 3
CERTAIN = {"Proven fewest", "Best found, not proven"}  # plain words, never "yes" / "no"


def _answer_table(page: Page) -> list[list[str]]:
    """The candidate days' table under the answer's heading."""
    heading = page.get_by_role("heading", name=re.compile(r"^Recruits needed \(based on the week of "))
    expect(heading).to_be_visible()
    return table_rows(heading.locator("xpath=following::*[@data-testid='stDataFrame'][1]"))


def _certainty(rows: list[list[str]]) -> None:
    column = rows[0].index("How sure")
    assert rows[1:] and {row[column] for row in rows[1:]} <= CERTAIN, rows


def test_leadership_whatif_renders_a_chart(streamlit_server, app_page, artifacts):
    page = app_page
    page.set_viewport_size({"width": 1280, "height": 1000})
    log_in(page, streamlit_server.url, "leadership")
    expect(page.get_by_role("heading", name="What if we opened more days?")).to_be_visible()
    # Only leadership's page in the menu.
    header = page.locator("header")
    assert header.get_by_text("Roster").count() == 0 and header.get_by_text("Plan the week").count() == 0
    # The first view computes nothing.
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 0
    page.screenshot(path=artifacts / "leadership-1-form.png", full_page=True)

    url = streamlit_server.database_url
    with db.session(url) as s:
        center = load_settings(s)
        nobody_thursday = not any(w.weekday == THURSDAY for v in list_volunteers(s, active_only=True)
                                  for w in v.availability)
    db.dispose_engine(url)
    assert nobody_thursday, "the demo roster gives only the open days"
    shifts = len(center.shift_times())
    # Where the buffer comes from: the measured rate (its value in the field), or a default without history.
    source = page.get_by_text(re.compile(r"^The buffer starts at "))
    expect(source).to_be_visible()
    said = re.fullmatch(r"The buffer starts at (the no-show rate measured at check-in: ([\d.]+)% over \d+ "
                        r"shifts? since \w{3} \d{1,2} \w{3} \d{4}"
                        r"|a default of (\d+)%: no check-in history yet)\.", source.inner_text())
    assert said, source.inner_text()
    start = round(float(said.group(2))) if said.group(2) else int(said.group(3))
    expect(page.get_by_role("spinbutton", name="No-show buffer (%)")).to_have_value(str(start))

    page.get_by_role("button", name="Compute", exact=True).click()
    expect(page.get_by_text("Opening Thursday needs")).to_be_visible(timeout=90_000)
    expect(page.get_by_text(
        f"Each new day is counted at its minimum ({plural(center.shift_min, 'volunteer')} per shift, "
        f"{center.shift_min_trained} of them trained), while the days the center opens now keep at least "
        "today's coverage. A recruit gives at most 1 shift a week.")).to_be_visible()
    expect(page.get_by_text("No current volunteer is free on Thursday: every place there needs a recruit."))\
        .to_be_visible()
    # Nobody free: each place a recruit, one shift each.
    expect(page.get_by_text(re.compile(
        rf"^Opening Thursday needs {shifts * center.shift_min} more volunteers, "
        rf"{shifts * center.shift_min_trained} of them trained"))).to_be_visible()
    _certainty(_answer_table(page))
    charts = page.locator("[data-testid='stVegaLiteChart']")
    expect(charts).to_have_count(2)
    for i in range(2):
        expect(charts.nth(i).locator("canvas, svg").first).to_be_visible()
    expect(page.get_by_text("Opening 7 days a week (adding")).to_be_visible()
    download_button = page.locator("[data-testid='stDownloadButton']").filter(has_text="Download as CSV")
    with page.expect_download() as download:
        download_button.first.click()
    exported = download.value.path().read_text(encoding="utf-8")
    assert exported.startswith("Day,Extra volunteers,") and "Thursday," in exported
    expect(page.get_by_role("heading", name="How fragile is this week?")).to_be_visible()
    page.mouse.move(5, 5)
    page.screenshot(path=artifacts / "leadership-2-chart.png", full_page=True)

    # Counted at the target instead: the answer says so, and needs more people.
    page.get_by_text("its target", exact=True).click()
    page.get_by_role("button", name="Compute", exact=True).click()
    people = plural(center.shift_target, "volunteer")
    at_target = rf"^Each new day is counted at its target \({people} per shift, "
    expect(page.get_by_text(re.compile(at_target))).to_be_visible(timeout=90_000)
    expect(page.get_by_text(re.compile(rf"^Opening Thursday needs {shifts * center.shift_target} more "
                                       "volunteers, "))).to_be_visible()
    settled(page)
    _certainty(_answer_table(page))
    page.screenshot(path=artifacts / "leadership-3-target.png", full_page=True)

    for text in (without_pipeline_counts(page.locator(APP).inner_text()), exported):
        assert "@" not in text and not PHONE.search(text)
        for word in ("cleared", "pending", "expired", "background check"):
            assert word not in text.lower()
