"""Chromium: the coordinator uploads a roster CSV, sees the preview and imports every row.

AppTest cannot drive `st.file_uploader`, so this is the one end-to-end test of an import click.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import ROOT
from tests.test_browser_signin import log_in

pytestmark = pytest.mark.browser


def test_roster_csv_upload_preview_then_import(fresh_streamlit_server, app_page, artifacts):
    page = app_page
    log_in(page, fresh_streamlit_server.url, "coordinator")
    page.get_by_role("link", name="Imports/exports").click()
    expect(page.get_by_role("heading", name="Import the roster")).to_be_visible()
    page.locator("input[type=file]").first.set_input_files(ROOT / "tests" / "data" / "roster.csv")
    button = page.get_by_role("button", name="Import: 5 to add, 0 to update")
    expect(button).to_be_visible()
    page.screenshot(path=artifacts / "import-1-preview.png", full_page=True)
    button.click()
    expect(page.get_by_text("Imported: 5 added, 0 updated.")).to_be_visible()
    page.screenshot(path=artifacts / "import-2-done.png", full_page=True)
