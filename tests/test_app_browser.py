"""The app end to end in headless Chromium, over all of ../shared/data: `streamlit run app.py` on a free port.

Two journeys a curriculum designer makes: search 新能源汽车 → a major → its alignment map → the XLSX download;
the seed policy in the reader → its industry 清洁能源 → a major that serves it. Each step asserts on what the
page shows and leaves a screenshot in tests/artifacts/browser/. Without Chromium or Playwright the tests skip
with the reason (`make browser`, `make dev`); under CI=true they fail instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

import pytest

from tests.browser_helpers import (
    ARTIFACTS, require_browser, screenshot, settle, shared_store, streamlit_server, wait_for_graph,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = [pytest.mark.browser, pytest.mark.realdata]
SEED_FILE = "000_63c5338d7d9bffda.txt"
SEED_TITLE_WORDS = "XX自治区职业教育高质量发展"
MAJOR_LINKS = "a[data-testid='stPageLink-NavLink'][href*='%2Fmajor%2F']"
PAGE_LINKS = "a[data-testid='stPageLink-NavLink']"
#: A link's text starts with its Material icon's name (e.g. "factory"): the label is what follows.
ICON_NAME = re.compile(r"^[a-z_]+\s*")


@pytest.fixture(scope="module")
def chromium() -> Path:
    return require_browser()


@pytest.fixture(scope="module")
def app_url(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = shared_store(tmp_path_factory)
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    with streamlit_server(home, log) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, app_url: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(app_url)
    settle(page)
    yield page
    context.close()


def link_label(link: Locator) -> str:
    """A page link's label, without its icon's name."""
    return ICON_NAME.sub("", link.inner_text().strip()).strip()


def main_text(page: Page) -> str:
    """Everything the page's main area shows, as text."""
    return page.locator("[data-testid='stMain']").inner_text()


def test_search_to_a_major_its_alignment_map_and_the_xlsx(page: Page) -> None:
    from openpyxl import load_workbook

    # 1. The landing page: search 新能源汽车.
    assert page.get_by_role("heading", name="检索").is_visible()
    box = page.get_by_label("检索专业、课程、证书、职业、行业、政策条款……")
    box.fill("新能源汽车")
    box.press("Enter")
    page.get_by_text(re.compile(r"\d+ 条结果")).wait_for()
    settle(page)
    assert page.locator(MAJOR_LINKS).count() >= 1, "no major among the results for 新能源汽车"
    link = page.locator(MAJOR_LINKS).first
    hit = link.locator("xpath=ancestor::div[@data-testid='stVerticalBlock'][1]").inner_text()  # its result box
    assert "专业" in hit and "新能源汽车" in hit and "命中方式" in hit, hit
    screenshot(page, "1-1-search")

    # 2. Open the first major in the results: its entity page.
    label, href = link_label(link), link.get_attribute("href")
    code = unquote(href).rsplit("/", 1)[-1]
    link.click()
    page.get_by_role("heading", name=label).wait_for()
    settle(page)
    assert "实体_Entity" in unquote(page.url) and code in unquote(page.url)
    text = main_text(page)
    assert "专业" in text and code in text and "属性" in text and "来源" in text
    wait_for_graph(page)
    screenshot(page, "1-2-major")

    # 3. Its alignment map.
    page.get_by_role("link", name=re.compile("打开课证对应图")).click()
    page.get_by_role("heading", name=re.compile(f"{re.escape(label)}（{code}）")).wait_for()
    settle(page)
    assert f"major={code}" in page.url
    text = main_text(page)
    assert "课证对应图" in text and "课程" in text and "证书" in text and "对应矩阵" in text
    assert page.get_by_role("button", name=re.compile("XLSX")).is_visible()
    screenshot(page, "1-3-alignment-map")
    page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first.wait_for()
    page.get_by_role("tablist").first.evaluate("tabs => tabs.scrollIntoView({block: 'start'})")
    screenshot(page, "1-4-alignment-matrix")

    # 4. Download the XLSX: the exporter's file arrives and opens.
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("XLSX")).click()
    assert download.value.suggested_filename == f"{code}.xlsx"
    saved = ARTIFACTS / download.value.suggested_filename  # kept beside the screenshots
    download.value.save_as(saved)
    assert saved.stat().st_size > 0
    workbook = load_workbook(saved, read_only=True)
    cells = [str(value) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
             for value in row if value is not None]
    workbook.close()
    assert "课证对应矩阵" in workbook.sheetnames and any(label in cell for cell in cells), workbook.sheetnames
    print(f"download: {saved} ({saved.stat().st_size} bytes, sheets {workbook.sheetnames})")
    screenshot(page, "1-5-downloaded")


def test_seed_policy_through_clean_energy_to_a_major(page: Page) -> None:
    # 1. The policy reader, on the seed policy (a draft, so not the reader's default).
    page.get_by_role("link", name="政策 Policy").click()
    page.get_by_role("heading", name="政策阅读器").wait_for()
    settle(page)
    page.get_by_label("文件", exact=True).click()
    page.keyboard.type(SEED_TITLE_WORDS)
    page.keyboard.press("Enter")
    page.get_by_text(SEED_FILE).first.wait_for()
    settle(page)
    text = main_text(page)
    assert "效力：草案" in text and SEED_FILE in text and "目录" in text
    screenshot(page, "2-1-reader")

    # 2. The clause that names 清洁能源: its text, its mentions and the industries it is linked to.
    box = page.get_by_label("筛选条文")
    box.fill("清洁能源")
    box.press("Enter")
    page.get_by_text("«清洁能源» →").first.wait_for()
    settle(page)
    text = main_text(page)
    assert "清洁能源（行业）" in text and "关联行业" in text and "由行业推出的专业与证书" in text
    industries = {link_label(link).split(" ", 3)[-1]: link
                  for link in page.locator(PAGE_LINKS, has_text="«清洁能源» →").all()}
    assert industries, "no industry linked from 清洁能源"
    derived = [link_label(link) for link in page.locator(MAJOR_LINKS).all()]
    # the clean-energy industry that a major in the clause's list serves, and that major
    industry, major = next(((name, item) for item in derived for name in industries if f"（← {name}）" in item),
                           (None, None))
    assert industry, f"no major through {sorted(industries)} in {derived}"
    major_code, major_name = major.split("（← ", 1)[0].split(" ", 1)
    page.get_by_text("关联行业").scroll_into_view_if_needed()
    screenshot(page, "2-2-clean-energy-clause")
    next(iter(industries.values())).evaluate("link => link.scrollIntoView({block: 'center'})")
    screenshot(page, "2-3-clean-energy-industries")

    # 3. Click the industry: its page, with the major among its alignments.
    industries[industry].click()
    page.get_by_role("heading", name=industry, exact=True).wait_for()
    settle(page)
    text = main_text(page)
    assert "实体_Entity" in unquote(page.url) and "/industry/" in unquote(page.url)
    assert "行业" in text and "对齐关系" in text and major_name in text
    wait_for_graph(page)
    major_link = page.locator(f"{PAGE_LINKS}[href*='%2Fmajor%2F{major_code}']").filter(visible=True).first
    major_link.evaluate("link => link.scrollIntoView({block: 'center'})")
    screenshot(page, "2-4-industry")

    # 4. And through to the major's page.
    major_link.click()
    page.get_by_role("heading", name=major_name, exact=True).wait_for()
    settle(page)
    text = main_text(page)
    assert major_code in text and "专业" in text and industry in text
    wait_for_graph(page)
    screenshot(page, "2-5-major")
    print(f"screenshots in {ARTIFACTS}")
