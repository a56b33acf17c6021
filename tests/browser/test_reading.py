"""Reading a long, heavily noted article in Chromium at phone, tablet, laptop widths."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import ARTICLE, viewport

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def open_article(browser, site):
    """Return a function opening the flagship article in a fresh browser context."""
    contexts = []

    def open_(width: int, **options) -> Page:
        context = browser.new_context(viewport=viewport(width), **options)
        contexts.append(context)
        page = context.new_page()
        page.goto(site.url(ARTICLE))
        if options.get("java_script_enabled", True):
            page.evaluate("document.fonts.ready.then(() => true)")
        return page

    yield open_
    for context in contexts:
        context.close()


def boxes(page: Page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(
        selector,
        """els => els.map(el => {
            const r = el.getBoundingClientRect();
            return {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left,
                    right: r.right, height: r.height, text: el.textContent};
        })""",
    )


def test_wide_screen_shows_every_note_in_the_margin_without_overlap(open_article):
    page = open_article(1440)
    note_count = page.locator(".notes-list > li").count()
    sidenotes = page.locator(".sidenote")
    expect(sidenotes).to_have_count(note_count)
    assert note_count >= 40
    expect(page.locator(".sidenotes")).to_have_attribute("aria-hidden", "true")

    placed = boxes(page, ".sidenote")
    text = boxes(page, ".article-body")[0]
    assert all(box["height"] > 0 for box in placed)
    assert all(box["left"] >= text["right"] for box in placed), "notes in the margin"
    assert all(box["right"] <= 1440 for box in placed), "notes inside the window"
    ordered = sorted(placed, key=lambda box: box["top"])
    for above, below in zip(ordered, ordered[1:], strict=False):
        assert above["bottom"] <= below["top"], (above["text"][:40], below["text"][:40])

    misplaced = page.eval_on_selector_all(
        ".sidenote",
        """els => els.filter(el => {
            const ref = document.getElementById('noteref-' + el.dataset.note);
            const top = ref.getBoundingClientRect().top;
            return el.getBoundingClientRect().top < top - 10;
        }).map(el => el.dataset.note)""",
    )
    assert misplaced == [], "a sidenote never starts above its reference"


def test_wide_screen_keeps_contents_beside_the_text_and_marks_the_current_section(
    open_article,
):
    page = open_article(1440)
    toc = boxes(page, ".toc")[0]
    text = boxes(page, ".article-body")[0]
    assert toc["right"] <= text["left"], "contents sit in the left margin"

    page.evaluate(
        "scrollTo(0, document.getElementById('what-the-ledgers-say')"
        ".getBoundingClientRect().top + scrollY - 40)"
    )
    current = page.locator(".toc a[aria-current]")
    expect(current).to_have_attribute("href", "#what-the-ledgers-say")
    expect(page.locator(".toc")).to_be_in_viewport()


@pytest.mark.parametrize("width", [390, 768], ids=["phone", "tablet"])
def test_narrower_screens_show_contents_first_and_no_sidenotes(open_article, width):
    page = open_article(width)
    expect(page.locator(".sidenote").first).to_be_hidden()
    toc, text = boxes(page, ".toc")[0], boxes(page, ".article-body")[0]
    assert toc["bottom"] <= text["top"], "contents come before the text"
    measure = page.evaluate("document.querySelector('.article-body p').clientWidth")
    assert measure <= width - 30
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_text_measure_stays_within_sixty_to_seventy_five_characters(open_article):
    page = open_article(1440)
    per_line = page.evaluate(
        """() => {
            const p = document.querySelectorAll('.article-body > p')[1];
            const probe = document.createElement('span');
            probe.style.cssText = 'position: absolute; white-space: nowrap';
            probe.textContent = 'abcdefghijklmnopqrstuvwxyz'.repeat(4);
            p.appendChild(probe);
            const width = probe.getBoundingClientRect().width / 104;
            probe.remove();
            return p.clientWidth / width;
        }"""
    )
    assert 60 <= per_line <= 80, per_line


def test_phone_popover_opens_on_tap_and_closes_on_escape_or_tap_outside(open_article):
    page = open_article(390)
    note_text = page.locator("#note-3 p").first.inner_text()[:50]
    reference = page.locator("#noteref-3")

    reference.click()
    popover = page.get_by_role("dialog", name="Note 3")
    expect(popover).to_be_visible()
    expect(popover).to_be_in_viewport()
    expect(popover).to_contain_text(note_text)
    expect(popover).to_be_focused()
    assert "#" not in page.url, "the popover replaces the jump to the endnotes"

    page.keyboard.press("Escape")
    expect(popover).to_have_count(0)
    expect(reference).to_be_focused()

    reference.click()
    expect(popover).to_be_visible()
    page.mouse.click(5, 420)  # the left edge of the page, away from the popover
    expect(popover).to_have_count(0)

    reference.click()
    page.get_by_role("button", name="Close note 3").click()
    expect(popover).to_have_count(0)
    expect(reference).to_be_focused()


def test_phone_popover_works_from_the_keyboard(open_article):
    page = open_article(390)
    reference = page.locator("#noteref-4")
    reference.focus()
    page.keyboard.press("Enter")
    popover = page.get_by_role("dialog", name="Note 4")
    expect(popover).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.note-popover') !== null"), (
        "focus moves into the open note"
    )
    page.keyboard.press("Escape")
    expect(popover).to_have_count(0)
    expect(reference).to_be_focused()
    page.keyboard.press("Tab")  # on to the next thing in the text
    expect(reference).not_to_be_focused()


def test_every_reference_and_back_link_is_in_the_tab_order(open_article):
    page = open_article(1440)
    not_tabbable = page.eval_on_selector_all(
        ".note-ref a, .note-backref",
        "els => els.filter(el => !el.href || el.tabIndex < 0).map(el => el.id)",
    )
    assert not_tabbable == []
    hidden_focusable = page.eval_on_selector_all(
        ".sidenotes a, .sidenotes button", "els => els.filter(el => el.tabIndex >= 0)"
    )
    assert hidden_focusable == []


def test_back_link_returns_to_the_exact_reference_it_came_from(open_article):
    page = open_article(1440)
    # The first note cited more than once (its second reference ends in "-2").
    second_id = page.locator(".article-body a[role=doc-noteref][id$='-2']").first
    second_id = second_id.get_attribute("id")
    number = second_id.split("-")[1]
    second = page.locator(f"#{second_id}")
    note = page.locator(f"#note-{number}")

    second.click()
    expect(page).to_have_url(re.compile(rf"#note-{number}$"))
    expect(note).to_be_in_viewport()
    expect(second).not_to_be_in_viewport()

    note.locator(f".note-backref[href='#{second_id}']").click()
    expect(page).to_have_url(re.compile(rf"#{second_id}$"))
    expect(second).to_be_in_viewport()
    expect(note).not_to_be_in_viewport()


def test_without_javascript_notes_are_reachable_endnotes(open_article):
    page = open_article(390, java_script_enabled=False)
    expect(page.locator(".sidenote")).to_have_count(0)
    expect(page.locator(".theme-toggle")).to_be_hidden()
    reference = page.locator("#noteref-3")
    note = page.locator("#note-3")

    reference.click()
    expect(page).to_have_url(re.compile(r"#note-3$"))
    expect(note).to_be_in_viewport()
    note.locator(".note-backref").first.click()
    expect(page).to_have_url(re.compile(r"#noteref-3$"))
    expect(reference).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_theme_toggle_switches_theme_and_is_remembered(open_article):
    page = open_article(1440, color_scheme="light")
    background = "getComputedStyle(document.body).backgroundColor"
    light = page.evaluate(background)
    toggle = page.get_by_role("button", name="Dark theme")
    expect(toggle).to_have_attribute("aria-pressed", "false")

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    dark = page.evaluate(background)
    assert dark != light
    page.reload()
    assert page.evaluate(background) == dark
    expect(page.get_by_role("button", name="Dark theme")).to_have_attribute(
        "aria-pressed", "true"
    )


def test_system_dark_preference_is_followed_without_a_choice(open_article):
    dark = open_article(390, color_scheme="dark")
    assert dark.evaluate("getComputedStyle(document.body).backgroundColor") == (
        "rgb(26, 25, 23)"
    )


def test_print_shows_the_article_and_its_endnotes_without_navigation(open_article):
    page = open_article(1440)
    page.emulate_media(media="print")
    for hidden in (".site-header nav", ".toc", ".sidenotes", ".site-footer"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator(".notes-list > li").last).to_be_visible()
    expect(page.locator(".note-backref").first).to_be_hidden()
    after = page.evaluate(
        """() => {
            const link = document.querySelector('.notes a[href^="http"], '
                + '.article-body a[href^="http"], .article-footer a[href^="http"]');
            return link && getComputedStyle(link, '::after').content;
        }"""
    )
    assert after is None or "http" in after
    assert page.pdf(format="A4")[:4] == b"%PDF"


def test_article_carries_social_and_structured_metadata(open_article):
    page = open_article(390)
    meta = page.eval_on_selector_all(
        "meta[property], meta[name^='twitter:']",
        "els => Object.fromEntries(els.map(el => "
        "[el.getAttribute('property') || el.name, el.content]))",
    )
    assert meta["og:type"] == "article"
    assert meta["og:title"] == page.locator("h1").inner_text()
    # The demo's flagship has a featured image (a picture of broadsheet.demo.pictures).
    assert meta["twitter:card"] == "summary_large_image"
    site_address = meta["og:url"].split("/articles/")[0]
    assert meta["og:image"].startswith(site_address + "/media/images/")
    assert meta["og:image:alt"].startswith("An abstract print")
    assert meta["article:published_time"]
    data = page.evaluate(
        "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]')"
        ".textContent)"
    )
    assert data["@type"] == "Article"
    assert data["headline"] == meta["og:title"]
    assert {author["@type"] for author in data["author"]} == {"Person"}
    assert data["datePublished"] and data["dateModified"]
    assert data["publisher"]["@type"] == "Organization"
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    assert canonical == meta["og:url"] == data["url"]
