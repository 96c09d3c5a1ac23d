"""``published/index.html``: every publication rebuilds the whole formulary's page from the latest version of each
chapter (its sealed chapter.csv), with links to each chapter's page and rationale; its medicines are embedded as
inert JSON; rebuilding it gives the same bytes. The search itself is driven in Chromium (test_browser.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from publish_fixtures import SCRIPT_NAME, add_cns_chapter, publish_workspace

from harmonise.publish import publish_chapter
from harmonise.publish.site import write_index
from harmonise.workspace import load_workspace


def published_twice(tmp_path: Path) -> Path:
    """Chapter 2 published, chapter 4 published, chapter 2 published again (version 2)."""
    root = add_cns_chapter(publish_workspace(tmp_path / "ws"))
    workspace = load_workspace(root)
    for chapter in ("2", "4", "2"):
        publish_chapter(workspace, workspace.chapter(chapter), user="anna")
    return root


def embedded(page: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="formulary-data">(.*?)</script>', page, re.S)
    assert found, "the medicines are embedded in the page"
    data: dict[str, object] = json.loads(found.group(1))
    return data


def test_the_index_lists_each_chapters_latest_version_with_working_links(tmp_path: Path) -> None:
    root = published_twice(tmp_path)
    page = (root / "published" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(v\d+)</td>', page)
    assert rows == [("2 Cardiovascular system", "v2"), ("4 Central nervous system", "v1")]
    links = re.findall(r'<a href="([^"]+)"', page)
    assert "02-cardiovascular/v2/chapter.html" in links and "04-central-nervous-system/v1/rationale.docx" in links
    assert not [link for link in links if "/v1/" in link and link.startswith("02-")]  # the older version is not listed
    assert all((root / "published" / link).is_file() for link in links)
    assert "rationale.pdf" not in page  # no LibreOffice in this test: no PDF to link to


def test_every_published_medicine_is_searchable_once_as_published(tmp_path: Path) -> None:
    root = published_twice(tmp_path)
    data = embedded((root / "published" / "index.html").read_text(encoding="utf-8"))
    medicines = data["medicines"]
    assert isinstance(medicines, list)
    names = sorted((m["chapter"], m["drug"]) for m in medicines)
    assert names == sorted(
        [
            ("0", n)
            for n in (
                "Amlodipine 5mg tablets",
                "Amiodarone 100mg tablets",
                "Bisoprolol 2.5mg tablets",
                "Nicorandil 10mg tablets",
                SCRIPT_NAME,
                "Atorvastatin 20mg tablets",
            )
        ]
        + [
            ("1", n)
            for n in (
                "Sertraline 50mg tablets",
                "Zopiclone 7.5mg tablets",
                "Quetiapine 25mg tablets",
                "Melatonin 2mg modified-release tablets",
            )
        ]
    )
    by_name = {m["drug"]: m for m in medicines}
    assert by_name["Amlodipine 5mg tablets"]["notes"] == "+SUM(A1:A9)"  # as published, not as the CSV quotes it ('+SUM)
    assert by_name["Melatonin 2mg modified-release tablets"] | {"chapter": "1"} == {
        "chapter": "1",
        "section": "04.01",
        "drug": "Melatonin 2mg modified-release tablets",
        "formulation": "",  # the current BNF name states form and strength
        "status": "red",
        "label": "Red",
        "line": "",
        "notes": "Paediatric sleep clinic",
        "nice_ta": "TA999",
        "flag": "",
    }
    assert (by_name["Zopiclone 7.5mg tablets"]["status"], by_name["Nicorandil 10mg tablets"]["status"]) == (
        "amber-recommended",
        "retained-both",
    )
    assert by_name["Nicorandil 10mg tablets"]["flag"] == "pending chapter review"


def test_text_from_spreadsheets_is_inert_in_the_index(tmp_path: Path) -> None:
    root = published_twice(tmp_path)
    page = (root / "published" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "\\u003cscript\\u003ealert(1)" in page  # cannot close the data block
    assert page.count("<script") == 2  # the data block and the page's own script
    assert "innerHTML" not in page and "fetch(" not in page and "http" not in page and " src=" not in page


def test_publish_says_where_the_index_is(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from harmonise.cli import app

    root = publish_workspace(tmp_path / "ws")
    result = CliRunner().invoke(app, ["--workspace", str(root), "publish", "--chapter", "2", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["index"] == str(root / "published" / "index.html")


def test_rebuilding_the_index_gives_the_same_bytes(tmp_path: Path) -> None:
    root = published_twice(tmp_path)
    index = root / "published" / "index.html"
    before = index.read_bytes()
    assert write_index(load_workspace(root)) == index
    assert index.read_bytes() == before
