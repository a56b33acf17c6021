"""The demo bibliography: invented, neutral works the demo's long articles cite.

Every author, title, publisher and journal here is made up; no real text is
quoted. Keys are stable so the demo corpus can cite them as [@key, p. N].
"""

# ruff: noqa: E501  (a data table reads best one work per line)

from __future__ import annotations

from typing import Any

# (key, type, authors, title, container or publisher, year, pages)
_WORKS = [
    ("marlow1998", "book", ["Marlow, Agnes"], "The Long Press: Printing in Small Towns", "Harbour Press", 1998, "1-312"),
    ("quill2004", "article-journal", ["Quill, Tobias", "Fenn, Ruth"], "Rag paper and its discontents", "Journal of Paper History", 2004, "201-230"),
    ("oake2011", "chapter", ["Oake, Hester"], "Sourdough in the guild era", "A Baker's Companion", 2011, "45-67"),
    ("harrow1987", "book", ["Harrow, Mara"], "Type Foundries of the Northern Coast", "Crumb Books", 1987, "1-288"),
    ("pennick2002", "article-journal", ["Pennick, Jonas"], "Watermarks as evidence of trade routes", "Paper and Trade Review", 2002, "14-39"),
    ("vasquez2015", "book", ["Vasquez, Ines"], "Ink and Iron: A Workshop History", "Ledger & Sons", 2015, "1-404"),
    ("okafor2019", "article-journal", ["Okafor, Chidi"], "Letterpress spacing and the reader's eye", "Studies in Typography", 2019, "77-102"),
    ("lindqvist1994", "book", ["Lindqvist, Sigrid"], "Rye, Salt and Smoke: Northern Breads", "Harbour Press", 1994, "1-256"),
    ("tanaka2008", "chapter", ["Tanaka, Emi"], "Proof correction in the jobbing shop", "Essays on the Small Press", 2008, "112-140"),
    ("moreau1979", "book", ["Moreau, Luc"], "Paper Mills of the River Valleys", "Crumb Books", 1979, "1-360"),
    ("brandt2013", "article-journal", ["Brandt, Greta"], "Woodcut borders in provincial almanacs", "Print Quarterly Notes", 2013, "5-28"),
    ("costa2021", "article-journal", ["Costa, Rui"], "Leavening agents before commercial yeast", "Journal of Food Crafts", 2021, "301-322"),
    ("ivers1990", "book", ["Ivers, Nell"], "Broadside Ballads and Their Printers", "Ledger & Sons", 1990, "1-220"),
    ("whitcombe2006", "thesis", ["Whitcombe, Osric"], "Apprenticeship in the bakers' guilds", "Harbour College", 2006, "1-198"),
    ("marlow2003", "article-journal", ["Marlow, Agnes"], "Small presses and the price of paper", "Journal of Paper History", 2003, "88-107"),
    ("fenn2010", "book", ["Fenn, Ruth"], "The Ream and the Quire: Counting Paper", "Harbour Press", 2010, "1-198"),
    ("lind1999", "chapter", ["Lind, Paul"], "The oven as workshop", "A Baker's Companion", 1999, "12-44"),
    ("quill2012", "report", ["Quill, Tobias"], "Survey of surviving hand presses", "Paper Standards Board", 2012, "1-64"),
    ("harbourgazette1871", "article-newspaper", [], "New steam press installed at the Gazette", "The Harbour Gazette", 1871, "3"),
    ("okafor2016", "book", ["Okafor, Chidi", "Tanaka, Emi"], "Margins: A Short History of White Space", "Crumb Books", 2016, "1-240"),
    ("pennick2017", "article-journal", ["Pennick, Jonas"], "The chemistry of iron gall ink", "Studies in Typography", 2017, "33-58"),
    ("vasquez2001", "chapter", ["Vasquez, Ines"], "Women compositors in the port towns", "Essays on the Small Press", 2001, "60-89"),
    ("brandt1998", "book", ["Brandt, Greta"], "Almanacs for Farmers and Bakers", "Ledger & Sons", 1998, "1-176"),
    ("costa2009", "article-journal", ["Costa, Rui"], "Grain prices and the loaf", "Journal of Food Crafts", 2009, "12-31"),
    ("moreau1985", "article-journal", ["Moreau, Luc"], "Felts, moulds and the vatman's craft", "Paper and Trade Review", 1985, "101-125"),
    ("ivers2014", "webpage", ["Ivers, Nell"], "A catalogue of ballad sheets", "Broadside Archive", 2014, ""),
    ("lindqvist2020", "article-journal", ["Lindqvist, Sigrid"], "Starter cultures kept for a century", "Journal of Food Crafts", 2020, "140-166"),
    ("harrow2000", "chapter", ["Harrow, Mara"], "Punchcutting by hand", "Essays on the Small Press", 2000, "1-27"),
    ("tanaka2018", "book", ["Tanaka, Emi"], "The Proofreader's Desk", "Harbour Press", 2018, "1-232"),
    ("whitcombe2012", "article-journal", ["Whitcombe, Osric"], "Guild ordinances on loaf weight", "Print Quarterly Notes", 2012, "44-70"),
    ("guild1902", "manuscript", [], "Minute book of the Printers' Benevolent Society", "County Record Office", 1902, ""),
    ("fenn1996", "article-journal", ["Fenn, Ruth"], "Laid and wove: telling papers apart", "Paper and Trade Review", 1996, "9-30"),
]  # fmt: skip

# Keys for the four themes of the demo corpus, so an article cites its own field.
THEMES = {
    "printing": ["marlow1998", "harrow1987", "okafor2019", "tanaka2008", "brandt2013",
                 "ivers1990", "marlow2003", "quill2012", "harbourgazette1871",
                 "vasquez2001", "harrow2000", "tanaka2018", "guild1902"],
    "typography": ["okafor2016", "okafor2019", "harrow2000", "harrow1987", "tanaka2018"],
    "paper": ["quill2004", "pennick2002", "moreau1979", "fenn2010", "pennick2017",
              "moreau1985", "fenn1996", "marlow2003"],
    "bread": ["oake2011", "lindqvist1994", "costa2021", "whitcombe2006", "lind1999",
              "brandt1998", "costa2009", "lindqvist2020", "whitcombe2012"],
}  # fmt: skip


def _name(text: str) -> dict[str, str]:
    family, _, given = text.partition(", ")
    return {"family": family, "given": given}


def demo_works() -> list[dict[str, Any]]:
    """Return the demo bibliography as CSL-JSON items (32 invented works)."""
    items = []
    for key, kind, authors, title, venue, year, pages in _WORKS:
        item: dict[str, Any] = {
            "id": key,
            "type": kind,
            "title": title,
            "issued": {"date-parts": [[year]]},
        }
        if authors:
            item["author"] = [_name(author) for author in authors]
        if kind in ("book", "report", "thesis"):
            item["publisher"] = venue
        elif kind == "manuscript":
            item["archive"] = venue
        else:
            item["container-title"] = venue
        if kind == "chapter":
            item["editor"] = [{"family": "Lind", "given": "Paul"}]
            item["publisher"] = "Crumb Books"
        if kind == "webpage":
            item["URL"] = f"https://example.org/ballads/{key}"
        if pages and kind not in ("book", "thesis", "report"):
            item["page"] = pages
        items.append(item)
    return items
