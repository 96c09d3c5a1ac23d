"""The published chapter page, the formulary index and the dashboard in a real headless Chromium (Debian's
``chromium``, driven by Playwright with ``executable_path``; no browser download): no console errors, no network
request, the search box filters the rows (across every chapter on the index, with its status and chapter
filters, by keyboard alone), and a screenshot is taken. Skipped only where Chromium cannot be found."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from publish_fixtures import add_cns_chapter, publish_workspace

from harmonise.publish.dashboard import workspace_status, write_dashboard
from harmonise.publish.versions import publish_chapter
from harmonise.workspace.config import load_workspace

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium not found (install Debian's 'chromium' package; .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:  # launch() gives Chromium a fresh temporary profile every time
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_page(browser: Any, path: Path) -> tuple[Any, list[str]]:
    """Open a local file; collect console errors, page errors and any request that is not the file itself."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("request", lambda req: problems.append(f"request: {req.url}") if req.url != path.as_uri() else None)
    page.goto(path.as_uri())
    return page, problems


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Chapters 2 and 4 published (the module fixture runs outside the per-test environment: no PDF asked for)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HARMONISE_SOFFICE", "off")
        root = add_cns_chapter(publish_workspace(tmp_path_factory.mktemp("browser") / "ws"))
        workspace = load_workspace(root)
        publish_chapter(workspace, workspace.chapter("2"), user="anna")
        publish_chapter(workspace, workspace.chapter("4"), user="anna")
        write_dashboard(workspace, workspace_status(workspace))
    return root


def visible_rows(page: Any) -> int:
    return int(page.locator("tr[data-search]:visible").count())


def test_chapter_page_search_and_filter_work_in_chromium(browser: Any, published: Path, tmp_path: Path) -> None:
    page, problems = open_page(browser, published / "published" / "02-cardiovascular" / "v1" / "chapter.html")
    assert visible_rows(page) == 6
    assert page.get_by_label("Search medicines").is_visible()
    page.get_by_label("Search medicines").fill("nicorandil")
    assert visible_rows(page) == 1 and page.locator("#shown").inner_text() == "1 of 6 medicines shown"
    assert page.locator("section[data-section]:visible h2").all_inner_texts() == ["Section 02.06"]
    page.get_by_label("Search medicines").fill("")
    page.get_by_label("Status").select_option("green")
    assert visible_rows(page) == 2  # amlodipine and the drug whose name holds a <script> tag
    assert page.get_by_text("<script>alert(1)</script> Warfarin").is_visible()  # shown as text, never run
    shot = tmp_path / "chapter.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5000
    assert problems == []
    page.close()


def test_dashboard_renders_bars_without_errors(browser: Any, published: Path, tmp_path: Path) -> None:
    page, problems = open_page(browser, published / "reports" / "dashboard.html")
    bar = page.get_by_role("img", name="Chapter 2 Cardiovascular system", exact=False)
    assert bar.count() == 1 and bar.bounding_box()["width"] > 100
    assert page.get_by_role("columnheader", name="By rules", exact=True).count() == 1
    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5000
    assert problems == []
    page.close()


def result_names(page: Any) -> list[str]:
    return [" ".join(t.split()) for t in page.locator("#results tbody th").all_inner_texts()]


def test_index_searches_every_chapter_with_status_and_chapter_filters(
    browser: Any, published: Path, tmp_path: Path
) -> None:
    page, problems = open_page(browser, published / "published" / "index.html")
    assert page.locator("#shown").inner_text() == "10 of 10 medicines shown"
    page.get_by_label("Search all chapters").fill("Amber tablets")  # every word must match, in any field
    assert result_names(page) == ["Bisoprolol 2.5mg tablets", "Zopiclone 7.5mg tablets", "Quetiapine 25mg tablets"]
    page.get_by_label("Search all chapters").fill("")
    page.get_by_label("Status").select_option("red")
    red = ["Amiodarone 100mg tablets", "Atorvastatin 20mg tablets", "Melatonin 2mg modified-release tablets"]
    assert sorted(result_names(page)) == red  # from both chapters
    page.get_by_label("Chapter", exact=True).select_option(label="4 Central nervous system")
    assert result_names(page) == [red[-1]] and page.locator("#shown").inner_text() == "1 of 10 medicines shown"
    row = page.locator("#results tbody tr").first
    assert row.get_by_role("link").inner_text() == "4 Central nervous system"
    assert "Paediatric sleep clinic" in row.inner_text() and "TA999" in row.inner_text()
    badge = row.locator(".badge")
    assert badge.inner_text() == "Red" and badge.evaluate("b => getComputedStyle(b).color") == "rgb(255, 255, 255)"
    page.get_by_label("Status").select_option("")
    page.get_by_label("Chapter", exact=True).select_option("")
    page.get_by_label("Search all chapters").fill("warfarin")
    assert result_names(page) == ["<script>alert(1)</script> Warfarin"]  # shown as text, never run
    shot = tmp_path / "index.png"
    page.get_by_label("Search all chapters").fill("")
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5000
    assert problems == []
    page.close()


def focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement.id || document.activeElement.textContent"))


def test_index_is_usable_by_keyboard_alone(browser: Any, published: Path) -> None:
    page, problems = open_page(browser, published / "published" / "index.html")
    page.keyboard.press("Tab")
    assert focused(page) == "Skip to the search"
    for _ in range(12):  # past the chapters' links to the search box
        if focused(page) == "search":
            break
        page.keyboard.press("Tab")
    assert focused(page) == "search"
    page.keyboard.type("zopiclone")
    assert result_names(page) == ["Zopiclone 7.5mg tablets"]
    page.keyboard.press("Tab")
    assert focused(page) == "status-filter"
    page.keyboard.press("Tab")
    assert focused(page) == "chapter-filter"
    page.keyboard.press("ArrowDown")  # the first chapter: 2, where zopiclone is not
    assert result_names(page) == [] and page.locator("#shown").inner_text() == "0 of 10 medicines shown"
    page.keyboard.press("ArrowDown")  # chapter 4
    assert result_names(page) == ["Zopiclone 7.5mg tablets"]
    page.keyboard.press("Tab")
    assert focused(page) == "4 Central nervous system"  # the result's link to its chapter
    assert problems == []
    page.keyboard.press("Enter")
    page.wait_for_url("**/04-central-nervous-system/v1/chapter.html")
    assert page.get_by_role("heading", level=1).inner_text() == "4 Central nervous system"
    page.close()
