"""End-to-end test of the planner's workspace in headless Chromium on a real ``streamlit run`` server
(kind: end-to-end; issue 11's browser test).

What it proves, in a real browser (where widget values live in the page, unlike AppTest): after
"Load example", the Scenario form shows *that* example's values (defect 1: the form used to keep
the previous scenario's AHT and patience), for every bundled example; a value edited and applied
becomes the scenario's and stays in the form; the Schedule view makes a plan and shows the
Gantt chart and the coverage chart; the plan's .xlsx download reads back with openpyxl with its
shifts sheet holding numbers. Screenshots go to ``test-artifacts/``.

Needs Debian's ``chromium`` and the ``playwright`` package (the test fails, never skips, without them).
"""

from __future__ import annotations

import tempfile

import pytest

from dashboard.state import bundled_examples, load_example

from .test_browser_e2e import ARTIFACTS, CHROMIUM_ARGS, PAGE_TIMEOUT_MS, _chromium, server  # noqa: F401 - fixture

pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def _first_aht_channel(scenario) -> str:
    return next(name for name, channel in scenario.channels.items() if channel.aht_seconds is not None)


def _choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the Streamlit selectbox labelled ``label``."""
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()


def _settled(page, field, seconds: float = 60.0) -> str:
    """The field's value once the run has ended (while a run draws the new form, the previous
    form's widget is still shown, faded, under the same label; it is removed when the run ends)."""
    from playwright.sync_api import Error as PlaywrightError

    for _ in range(int(seconds * 4)):
        try:
            if field.count() == 1 and page.get_by_test_id("stStatusWidget").filter(has_text="Running").count() == 0:
                page.wait_for_timeout(250)
                if field.count() == 1:
                    return field.input_value(timeout=1_000)
        except PlaywrightError:  # redrawn between the count and the read: look again
            pass
        page.wait_for_timeout(250)
    raise AssertionError(f"the field did not settle: {field.count()} widgets with its label")


def _settles_to(page, field, expected: str, seconds: float = 60.0) -> str:
    """The field's value once it shows ``expected`` alone (or, after ``seconds``, the last value seen).

    The new form may be drawn a moment after the sidebar names the loaded scenario: polling for
    the expected value avoids reading the previous form in between, and a form stuck on the
    previous scenario's values (the defect this guards against) still fails.
    """
    from playwright.sync_api import Error as PlaywrightError

    seen = None
    for _ in range(int(seconds * 4)):
        try:
            if field.count() == 1:
                seen = field.input_value(timeout=1_000)
                if seen == expected:
                    return seen
        except PlaywrightError:  # the form was redrawn between the count and the read: look again
            pass
        page.wait_for_timeout(250)
    return _settled(page, field) if seen is None else seen


def test_workspace_in_headless_chromium(server):  # noqa: F811 - the fixture
    chromium = _chromium()
    try:
        from playwright.sync_api import expect, sync_playwright

        expect.set_options(timeout=PAGE_TIMEOUT_MS)
    except ImportError:
        pytest.fail("the Python package playwright is missing: pip install playwright", pytrace=False)
    from openpyxl import load_workbook

    ARTIFACTS.mkdir(exist_ok=True)
    examples = list(bundled_examples())
    with tempfile.TemporaryDirectory(prefix="ccplan-chromium-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=chromium, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1500, "height": 1100}, accept_downloads=True)
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(PAGE_TIMEOUT_MS)
            page.goto(server, wait_until="domcontentloaded")
            expect(page.get_by_test_id("stMetric").first).to_be_visible()
            # 1. every bundled example: the form shows its own values
            for label in examples[1:] + examples[:1]:
                scenario = load_example(label)
                _choose(page, "Bundled example", label)
                page.get_by_role("button", name="Load example").click()
                expect(page.get_by_test_id("stSidebar")).to_contain_text(scenario.name)
                channel = _first_aht_channel(scenario)
                field = page.get_by_label(f"{channel}: AHT (seconds)", exact=True)
                expected = f"{scenario.channels[channel].aht_seconds:.2f}"
                assert _settles_to(page, field, expected) == expected, label
                if scenario.channels[channel].patience_seconds is not None:
                    patience = page.get_by_label(f"{channel}: mean patience (seconds; 0 = nobody abandons)", exact=True)
                    expected = f"{scenario.channels[channel].patience_seconds:.2f}"
                    assert _settles_to(page, patience, expected) == expected, label
                assert page.get_by_test_id("stAlertContentError").count() == 0, label
            # 2. edit a value and apply (the default scenario is loaded last)
            scenario = load_example(examples[0])
            channel = _first_aht_channel(scenario)
            new = scenario.channels[channel].aht_seconds + 17
            field = page.get_by_label(f"{channel}: AHT (seconds)", exact=True)
            field.fill(f"{new:g}")
            field.press("Enter")
            page.get_by_role("button", name="Apply changes").click()
            expect(page.get_by_test_id("stSidebar")).to_contain_text("edited in the app")
            assert _settled(page, page.get_by_label(f"{channel}: AHT (seconds)", exact=True)) == f"{new:.2f}"
            assert page.get_by_test_id("stAlertContentError").count() == 0
            page.screenshot(path=str(ARTIFACTS / "workspace-scenario.png"))
            # 3. the Schedule view: a plan with a Gantt chart and a coverage chart
            page.get_by_text("Schedule", exact=True).click()
            page.get_by_role("button", name="Make the schedule").click()
            expect(page.get_by_test_id("stMetric").filter(has_text="Paid hours")).to_be_visible()
            images = page.get_by_test_id("stImage")
            expect(images.nth(1)).to_be_visible()
            assert images.count() >= 2
            assert page.get_by_test_id("stAlertContentError").count() == 0
            page.screenshot(path=str(ARTIFACTS / "workspace-schedule.png"), full_page=True)
            # 4. the .xlsx download reads back
            with page.expect_download() as info:
                page.get_by_role("button", name="Download the plan as Excel (.xlsx)").click()
            path = ARTIFACTS / "workspace-schedule.xlsx"
            info.value.save_as(str(path))
        finally:
            context.close()
    book = load_workbook(path, read_only=True)
    names = book.sheetnames
    assert "intervals" in names and any(name.startswith("shifts ") for name in names)
    sheet = book[next(name for name in names if name.startswith("shifts "))]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    headcounts = [row[header.index("headcount")] for row in rows[1:]]
    assert headcounts and all(isinstance(v, int) and v > 0 for v in headcounts)
