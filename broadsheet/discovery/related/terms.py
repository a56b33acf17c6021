"""An article's weighted terms: words of its indexed text, TF-IDF weighted. Pure.

Hand-written rather than scikit-learn's TfidfVectorizer: the weights must be kept
one article at a time against document frequencies stored in the database (a
vectorizer is fitted to a whole corpus in memory), and all that is needed is a
linear tokenizer, a stop list and one formula (docs/decisions/0024-related-reading.md).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter

# Letters only (no digits, no underscore): one linear pass, nothing to backtrack.
_WORD = re.compile(r"[^\W\d_]+")
MIN_LENGTH = 3
MAX_LENGTH = 40  # longer "words" are noise (and fit the term column)
TOP_TERMS = 24  # terms kept per article: what it is about
# The title says what a piece is about more than any sentence of its body.
FIELD_WEIGHTS = {"title": 3, "subtitle": 2, "body": 1, "notes": 1}

_STOP_TEXT = """
    about above across after again against all almost along also although always
    among and another any anyone anything are around because been before behind
    being below beneath beside besides between beyond both but by came can cannot
    could did does doing done down during each either else enough even ever every
    few for from further had has have having her here hers herself him himself his
    how however into its itself just last least less like made make makes making
    many may might more most much must near neither never next nor not nothing now
    off often once one only onto other others our ours ourselves out over own per
    perhaps quite rather really said same see seen several shall she should since
    some something still such than that the their theirs them themselves then there
    these they thing things this those though through throughout thus till too
    toward towards two under until upon used using very was way ways well were what
    whatever when where whether which while who whom whose why will with within
    without would yet you your yours yourself yourselves first second new old
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


def words(text: str) -> list[str]:
    """The text's words that can say what it is about: lowercased, stop words out,
    a plain plural folded onto its singular."""
    found = []
    for match in _WORD.finditer(text):
        word = match.group().lower()
        if not MIN_LENGTH <= len(word) <= MAX_LENGTH or word in STOP_WORDS:
            continue
        found.append(_singular(word))
    return found


def _singular(word: str) -> str:
    # Only the commonest English plural; no stemmer: a wrong fold joins two
    # subjects, a missed one merely weakens a match.
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-3] + "y" if word.endswith("ies") else word[:-1]
    return word


def term_counts(fields: dict[str, str]) -> Counter[str]:
    """Each term's count over the fields, weighted by field (FIELD_WEIGHTS): the
    terms words() gives, counted. Tokens are counted first and each distinct one
    judged once (an article's thousand words are a few hundred distinct ones)."""
    counts: Counter[str] = Counter()
    for name, weight in FIELD_WEIGHTS.items():
        for token, n in Counter(_WORD.findall(fields.get(name, ""))).items():
            term = _term(token)
            if term is not None:
                counts[term] += n * weight
    return counts


@functools.lru_cache(maxsize=65536)
def _term(token: str) -> str | None:
    word = token.lower()
    if not MIN_LENGTH <= len(word) <= MAX_LENGTH or word in STOP_WORDS:
        return None
    return _singular(word)


def idf(documents: int, with_term: int) -> float:
    """BM25's inverse document frequency: near 0 for a term in every document, so
    boilerplate (a byline's "Article", a recurring phrase) relates nothing."""
    with_term = min(max(with_term, 1), max(documents, 1))
    return math.log(1 + (documents - with_term + 0.5) / (with_term + 0.5))


def top_terms(
    counts: Counter[str], frequencies: dict[str, int], documents: int
) -> dict[str, float]:
    """The TOP_TERMS heaviest terms and their weights, (1 + ln tf) * idf, scaled to
    unit length: two articles' shared terms then sum to a cosine, 1 for the same."""
    weights = {
        term: (1 + math.log(count)) * idf(documents, frequencies.get(term, 1))
        for term, count in counts.items()
    }
    best = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:TOP_TERMS]
    length = math.sqrt(sum(w * w for _, w in best)) or 1.0
    return {term: weight / length for term, weight in best}
