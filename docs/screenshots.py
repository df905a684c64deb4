"""Take the README's screenshots from the demo center: `.venv/bin/python docs/screenshots.py`.

Starts `streamlit run serve.py` on a free port with a fresh demo database (six
past weeks of history included), drives Debian's Chromium as each role would,
and writes the PNG files into docs/. Tests never write into docs/; this script
is run by hand when the pages change.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(port: int, database: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "PLANNER_DEMO": "1"}
    command = [str(ROOT / ".venv/bin/streamlit"), "run", "serve.py", "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def _settled(page: Page) -> None:
    """Wait until Streamlit has finished the run (its running indicator gone) and drawn what it sent."""
    page.wait_for_timeout(500)
    expect(page.locator("[data-testid='stStatusWidget']")).to_have_count(0)
    page.wait_for_timeout(1500)


def _log_in(page: Page, url: str, username: str) -> None:
    page.goto(url)
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill("demo")
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.locator("h1").first).to_be_visible()


def main() -> int:
    expect.set_options(timeout=60_000)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        server = _serve(port, Path(tmp) / "demo.sqlite3")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                desk = browser.new_page(viewport={"width": 1400, "height": 2600})
                _log_in(desk, url, "coordinator")
                desk.get_by_role("button", name="Plan", exact=True).click()
                expect(desk.get_by_text("New plan (not saved yet)")).to_be_visible()
                _settled(desk)
                desk.mouse.move(5, 5)
                top = {"x": 0, "y": 0, "width": 1400, "height": 1500}
                desk.screenshot(path=DOCS / "screenshot.png", clip=top)
                desk.get_by_role("button", name="Publish", exact=True).click()  # the volunteer's week
                expect(desk.get_by_text("Published as version 1.")).to_be_visible()

                # An invitation, as the Outbox shows the email that goes out (the link itself is never
                # stored, so the Outbox cannot show it).
                desk.get_by_role("link", name="Roster", exact=True).first.click()
                expect(desk.get_by_role("heading", name="Invitations")).to_be_visible()
                _settled(desk)
                invite = desk.get_by_role("combobox", name="Volunteers to invite (or invite again)")
                invite.click()
                invite.fill("not invited")
                desk.get_by_role("option", name="(not invited)").first.click()
                desk.keyboard.press("Escape")
                desk.get_by_role("button", name="Email invitations (1)").click()
                sent = re.compile(r"^Invitation (queued for|emailed to) 1 volunteer")
                expect(desk.get_by_text(sent)).to_be_visible()
                desk.get_by_role("link", name="Outbox", exact=True).first.click()
                desk.get_by_text("Read a message").click()
                message = desk.get_by_role("combobox", name="Message")
                message.click()
                message.press_sequentially("invitation")  # after the publish's notices
                desk.keyboard.press("Enter")
                email = desk.locator("[data-testid='stExpander']").filter(has_text="Read a message")
                expect(email.locator("[data-testid='stText']")).to_be_visible()
                _settled(desk)
                email.screenshot(path=DOCS / "invitation-email.png")

                lead = browser.new_page(viewport={"width": 1400, "height": 2200})
                _log_in(lead, url, "leadership")
                lead.get_by_role("button", name="Compute", exact=True).click()
                expect(lead.get_by_role("heading", name="Opening more days together")).to_be_visible()
                expect(lead.locator("[data-testid='stVegaLiteChart']").first).to_be_visible()
                expect(lead.locator("[data-testid='stDataFrame']").first).to_be_visible()
                _settled(lead)
                lead.wait_for_timeout(5000)  # the charts and tables draw a while after they appear
                lead.screenshot(path=DOCS / "whatif.png", full_page=True)

                phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
                _log_in(phone, url, "volunteer")
                expect(phone.get_by_text("I can't make it").first).to_be_visible()
                _settled(phone)
                phone.screenshot(path=DOCS / "volunteer-phone.png", full_page=True)

                # The public sign-up page as a newcomer's phone shows it, tall enough for the whole form.
                newcomer = browser.new_page(viewport={"width": 390, "height": 1900})  # 390 px wide
                newcomer.goto(f"{url}/volunteer")
                expect(newcomer.get_by_role("button", name="Sign up")).to_be_visible()
                newcomer.get_by_text("Volunteer on four-hour shifts").click()
                for day in (4, 3):
                    newcomer.locator(f".st-key-volunteer_day_{day}").get_by_role(
                        "button", name="Morning 09:00-13:00").click()
                _settled(newcomer)
                newcomer.screenshot(path=DOCS / "volunteer-page-phone.png")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    print("written: docs/screenshot.png, docs/invitation-email.png, docs/whatif.png, "
          "docs/volunteer-phone.png, docs/volunteer-page-phone.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
