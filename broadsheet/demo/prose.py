"""Seeded, template-driven prose about crafts and sciences for demo essays."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from broadsheet.demo.vocabulary import (
    ARTICLE_TITLES,
    CITIES,
    ERAS,
    FIRST_NAMES,
    JOURNALS,
    NOTE_REMARKS,
    NUMBERS,
    OPENERS,
    ORDINALS,
    PUBLISHERS,
    QUOTES,
    SENTENCES,
    SURNAMES,
    Topic,
)

STRESSABLE = {"not", "never", "only", "always", "itself", "every", "less", "most"}
SMALL_WORDS = {"a", "an", "and", "the", "of", "in", "on", "to", "for", "by", "at"}
_SLOT = re.compile(r"\{(\w+?)(\d?)\}")


def titlecase(text: str) -> str:
    """Capitalise words for a title, leaving short function words alone."""
    words = text.split(" ")
    return " ".join(
        w if (i and w in SMALL_WORDS) or not w else w[0].upper() + w[1:]
        for i, w in enumerate(words)
    )


def with_article(phrase: str) -> str:
    """Prefix "a" or "an" to a noun phrase."""
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def capitalise(text: str) -> str:
    """Upper-case the first letter, skipping leading markup."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
    return text


class Writer:
    """Produces sentences, paragraphs, quotes and notes about one topic.

    With `cite`, a note's source is a Pandoc citation that `cite()` returns (of a
    work in the site bibliography, formatted by the site's CSL style); without
    it, a reference typed out in the same house style, Chicago's notes: bare page
    numbers, en-dash ranges, commas inside quotation marks.
    """

    def __init__(
        self,
        rng: random.Random,
        topic: Topic,
        *,
        cite: Callable[[], str] | None = None,
    ) -> None:
        self.rng = rng
        self.topic = topic
        self.cite = cite
        self._decks: dict[str, list] = {}
        self._facts = list(topic.fact)
        rng.shuffle(self._facts)

    # -- picking -------------------------------------------------------
    def draw(self, name: str, pool: tuple | list) -> object:
        """Take the next item from a shuffled deck, reshuffling when empty."""
        deck = self._decks.get(name)
        if not deck:
            deck = list(pool)
            self.rng.shuffle(deck)
            self._decks[name] = deck
        return deck.pop()

    def name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(SURNAMES)}"

    def year(self) -> int:
        low, high = self.topic.years
        return self.rng.randint(low, high)

    def era(self) -> str:
        year = self.year()
        pattern = self.rng.choice(ERAS)
        return pattern.format(c=ORDINALS[year // 100], d=year // 10 * 10)

    def proper_place(self) -> str:
        """A place with a proper name (for titles), never "a market town"."""
        places = [p for p in self.topic.place if p[:1].isupper()] or ["Antwerp"]
        return self.rng.choice(places)

    def _slot(self, base: str, digit: str, seen: dict[str, str]) -> str:
        key = base.lower()
        slot = f"{key}/{digit}"
        if slot in seen:
            value = seen[slot]
        elif key == "year" and digit and "year/" in seen:
            value = str(int(seen["year/"]) + self.rng.randint(8, 45))
        else:
            taken = [v for k, v in seen.items() if k.split("/")[0] == key]
            value = self._pick(key, taken)
        seen[slot] = value
        return capitalise(value) if base[0].isupper() else value

    def _pick(self, key: str, taken: list[str]) -> str:
        simple = {
            "opener": lambda: (
                self.rng.choice(OPENERS) + ", " if self.rng.random() < 0.4 else ""
            ),
            "name": self.name,
            "year": lambda: str(self.year()),
            "era": self.era,
            "number": lambda: self.rng.choice(NUMBERS),
            "city": lambda: self.rng.choice(CITIES),
            "proper_place": self.proper_place,
            "term": lambda: f"*{self.rng.choice(self.topic.term)}*",
            "site_noun": lambda: self.rng.choice(self.topic.site).split(" ", 1)[-1],
        }
        if key in simple:
            return simple[key]()
        article = key.startswith("a_")
        pool = getattr(self.topic, key[2:] if article else key)
        bare = [t.removeprefix("a ").removeprefix("an ") for t in taken]
        value = self.rng.choice([p for p in pool if p not in bare] or pool)
        return with_article(value) if article else value

    def fill(self, template: str) -> str:
        """Fill every {slot} in a template; distinct picks within one call."""
        seen: dict[str, str] = {}
        text = _SLOT.sub(lambda m: self._slot(m.group(1), m.group(2), seen), template)
        return capitalise(text)

    # -- body ------------------------------------------------------------
    def sentence(self) -> str:
        if self._facts and self.rng.random() < 0.08:
            return self._facts.pop()
        return self.fill(self.draw("sentence", SENTENCES))

    def paragraph(self, low: int = 3, high: int = 6) -> list[str]:
        return [self.sentence() for _ in range(self.rng.randint(low, high))]

    def emphasise(self, sentence: str) -> str:
        """Italicise one stressable word of a sentence, unless it has markup."""
        if "*" in sentence:
            return sentence
        words = sentence.split(" ")
        spots = [i for i, w in enumerate(words[1:-1], 1) if w in STRESSABLE]
        if spots:
            i = self.rng.choice(spots)
            words[i] = f"*{words[i]}*"
        return " ".join(words)

    def heading(self) -> str:
        return self.draw("heading", self.topic.heading)

    def subheading(self) -> str:
        options = (
            lambda: capitalise(self.rng.choice(self.topic.process)),
            lambda: "The " + self.rng.choice(self.topic.thing),
            lambda: self.rng.choice(self.topic.place).removeprefix("a ").title(),
            lambda: capitalise(self.rng.choice(self.topic.quality)),
        )
        return capitalise(self.rng.choice(options)())

    def quote(self) -> list[str]:
        """A block quote from an invented historical writer (lines of Markdown)."""
        text = " ".join(self.fill(self.draw("quote", QUOTES)) for _ in range(2))
        return [f"> {text}", ">", f"> — {self.name()}, {self.year()}"]

    def bullet_list(self) -> list[str]:
        intro = self.fill(
            self.rng.choice(
                (
                    "A typical week at {site} involved, in roughly this order:",
                    "The inventory from {place} lists, among other things:",
                    "The tasks that fell to the {maker} included:",
                )
            )
        )
        items = self.rng.sample(self.topic.process, k=min(4, len(self.topic.process)))
        return (
            [intro, ""]
            + [f"- {capitalise(i)};" for i in items[:-1]]
            + [f"- and, finally, {items[-1]}."]
        )

    def table(self) -> list[str]:
        makers = capitalise(self.rng.choice(self.topic.makers))
        product = capitalise(self.rng.choice(self.topic.product))
        start = self.rng.randint(self.topic.years[0], self.topic.years[1] - 80)
        lines = [
            self.fill("The figures for {place}, such as they are, look like this:"),
            "",
            f"| Year | {makers} | {product} (estimated) |",
            "| ---: | ---: | ---: |",
        ]
        count, output = self.rng.randint(3, 9), self.rng.randint(200, 900)
        for step in range(self.rng.randint(3, 5)):
            lines.append(f"| {start + step * 20} | {count} | {output:,} |")
            count += self.rng.randint(0, 4)
            output = int(output * self.rng.uniform(1.1, 1.8))
        return lines

    # -- notes -----------------------------------------------------------
    def book_title(self) -> str:
        t = self.topic
        pattern = self.rng.choice(
            (
                "{m} and {m2}: {p} of {pl}, {y}\u2013{y2}",
                "The {a} {th}: Essays on {pr}",
                "A History of {ths} in {pl}",
                "{mk} and Their {ths}",
                "{q} and {q2}: Studies in {pr}",
            )
        )
        y = self.year()
        two = self.rng.sample(t.material, 2)
        twoq = self.rng.sample(t.quality, 2)
        return titlecase(
            pattern.format(
                m=two[0],
                m2=two[1],
                p=self.rng.choice(t.product),
                pl=self.proper_place(),
                y=y,
                y2=y + self.rng.randint(20, 90),
                a=self.rng.choice(t.adj),
                th=self.rng.choice(t.thing),
                pr=self.rng.choice(t.process),
                ths=self.rng.choice(t.things),
                mk=self.rng.choice(t.makers),
                q=twoq[0],
                q2=twoq[1],
            )
        )

    def citation(self) -> str:
        """A note's source, ending in a full stop."""
        if self.cite is not None:
            return self.cite() + "."
        author, pub_year = self.name(), self.rng.randint(1952, 2021)
        page = self.rng.randint(3, 380)
        if self.rng.random() < 0.3:
            journal = self.rng.choice(JOURNALS)
            article = titlecase(self.fill(self.rng.choice(ARTICLE_TITLES)))
            vol = self.rng.randint(1, 60)
            return (
                f"{author}, \u201c{capitalise(article)},\u201d *{journal}* {vol}"
                f" ({pub_year}): {page}\u2013{page + self.rng.randint(8, 30)}."
            )
        where = self.rng.choice(CITIES)
        press = self.rng.choice(PUBLISHERS)
        pages = str(page) if self.rng.random() < 0.6 else f"{page}\u2013{page + 4}"
        return (
            f"{author}, *{self.book_title()}* ({where}: {press}, {pub_year}), {pages}."
        )

    def remark(self) -> str:
        return self.fill(self.draw("remark", NOTE_REMARKS))

    def note(self, kind: str = "simple") -> list[str]:
        """A footnote body as Markdown lines; continuation lines are unindented."""
        roll = self.rng.random()
        first = (
            self.citation()
            if roll < 0.45
            else f"{self.remark()} See {self.citation()}"
            if roll < 0.8
            else self.remark()
        )
        lines = [first]
        if kind == "multi":
            for _ in range(self.rng.randint(1, 2)):
                lines += ["", " ".join(self.paragraph(2, 3))]
        elif kind == "list":
            lines += ["", self.fill("The sources for {place} distinguish:"), ""]
            lines += [
                f"- {capitalise(p)}" for p in self.rng.sample(self.topic.process, 3)
            ]
            lines += ["", self.remark()]
        elif kind == "quote":
            text = self.fill(self.draw("quote", QUOTES))
            lines += [
                "",
                f"In a letter of {self.year()}, {self.name()} put it plainly:",
            ]
            lines += ["", f"> {text}", "", self.citation()]
        return lines


@dataclass(frozen=True)
class Shape:
    """How an article body should be built."""

    words: int
    notes: int
    headings: int = 0
    subheadings: int = 0
    repeats: int = 0
    multi: int = 0
    lists: int = 0
    quotes: int = 0
    word_labels: tuple[str, ...] = ()
    shuffle_definitions: bool = False
    extras: tuple[str, ...] = ()  # "quote", "list", "table" blocks in the body
    intro: tuple[tuple[str, ...], ...] = ()  # hand-written opening paragraphs


def compose_body(writer: Writer, shape: Shape) -> str:
    """Generate a Markdown body with exactly `shape.notes` valid footnotes."""
    rng = writer.rng
    blocks: list[tuple[str, list[str]]] = [("para", list(p)) for p in shape.intro]
    per_section = shape.words // (shape.headings + 1)
    extras = list(shape.extras)
    sub_sections = set(rng.sample(range(1, shape.headings + 1), shape.subheadings))
    total = sum(len(s.split()) for p in shape.intro for s in p)
    for section in range(shape.headings + 1):
        if section:
            blocks.append(("heading", [f"## {writer.heading()}"]))
        goal = shape.words - total if section == shape.headings else per_section
        written = 0
        while written < goal or written == 0:
            if section in sub_sections and written > goal // 2:
                blocks.append(("heading", [f"### {writer.subheading()}"]))
                sub_sections.discard(section)
            para = writer.paragraph()
            if rng.random() < 0.25:
                i = rng.randrange(len(para))
                para[i] = writer.emphasise(para[i])
            blocks.append(("para", para))
            written += sum(len(s.split()) for s in para)
            if extras and section and rng.random() < 0.3:
                kind = extras.pop()
                lines = getattr(writer, {"list": "bullet_list"}.get(kind, kind))()
                blocks.append((kind, lines))
        total += written
    for kind in extras:  # anything not placed yet goes before the last paragraph
        lines = getattr(writer, {"list": "bullet_list"}.get(kind, kind))()
        blocks.insert(len(blocks) - 1, (kind, lines))

    # Footnote references go at the end of sentences, one per sentence.
    repeats = min(shape.repeats, shape.notes * 3) if shape.notes > 1 else 0
    while sum(len(body) for k, body in blocks if k == "para") < shape.notes + repeats:
        blocks.append(("para", writer.paragraph()))
    spots = [
        (b, s)
        for b, (k, body) in enumerate(blocks)
        if k == "para"
        for s in range(len(body))
    ]
    chosen = sorted(rng.sample(spots, shape.notes + repeats))
    first = max(1, shape.notes // 3)  # the first reference is never a repeat
    repeat_at = set(rng.sample(range(first, len(chosen)), repeats))
    labels: list[str] = []
    refs: dict[tuple[int, int], str] = {}
    words = list(shape.word_labels)
    reused: list[str] = []
    number = 0
    for n, spot in enumerate(chosen):
        if n in repeat_at and labels:
            fresh = [x for x in labels if x not in reused] or labels
            label = rng.choice(fresh[:-1] or fresh)
            reused.append(label)
        else:
            if words and rng.random() < 0.3:
                label = words.pop(0)
            else:
                number += 1
                label = str(number)
            labels.append(label)
        refs[spot] = label
    out: list[str] = []
    for b, (kind, body) in enumerate(blocks):
        if kind == "para":
            parts = [
                s + (f"[^{refs[(b, s_i)]}]" if (b, s_i) in refs else "")
                for s_i, s in enumerate(body)
            ]
            out.append(" ".join(parts))
        else:
            out.append("\n".join(body))

    kinds = ["multi"] * shape.multi + ["list"] * shape.lists + ["quote"] * shape.quotes
    kinds += ["simple"] * (len(labels) - len(kinds))
    rng.shuffle(kinds)
    order = list(range(len(labels)))
    if shape.shuffle_definitions:
        rng.shuffle(order)
    for i in order:
        lines = writer.note(kinds[i])
        first, rest = lines[0], lines[1:]
        note = [f"[^{labels[i]}]: {first}"] + [f"    {x}" if x else "" for x in rest]
        out.append("\n".join(note))
    return "\n\n".join(out) + "\n"
