"""Ranking the newest matches: BM25 in Python, the same on every database."""

from __future__ import annotations

from vanphong.search.backends import backend
from vanphong.search.query import Query

K1, B, EXACT_WEIGHT = 1.2, 0.75, 3.0
# What ranking reads of an entry's token streams: characters of the exact one, bytes of the folded one
# (the same for Vietnamese, which folds to ASCII): the title, the summary and about a page and a half.
RANK_CHARS = 4096


def rank(query: Query, ids: list[int], idfs: list[float]) -> list[tuple[int, float]]:
    """`ids` best first (then newest first), with their scores; `idfs`: the IDF of each term of the
    query (engine.idfs).

    BM25 over word and phrase frequencies in the folded text, each weighted by its IDF, plus the same
    over the exact text, EXACT_WEIGHT times, for the words typed with diacritics. Lengths in bytes.
    Only the first RANK_CHARS of a text count (the title, the summary and the first pages of its files),
    so a ranking costs the same however long the matching texts are."""
    if not ids:
        return []
    terms = query.include
    # The texts as UTF-8 bytes: counting in bytes gives the same counts, and decoding Vietnamese text
    # into Python strings would cost more than all the rest of the ranking. The folded prefix is read one
    # byte longer: longer than RANK_CHARS, it may end inside a word, which is then left out.
    rows = [
        (entry_id, folded if len(folded) <= RANK_CHARS else folded.rpartition(b" ")[0], exact)
        for entry_id, folded, exact in backend().rank_texts(ids, RANK_CHARS + 1, query.wants_exact)
    ]
    # (column, b" phrase ", weight): the folded phrase of every term, the exact one of those with diacritics.
    specs = [
        (1, f" {' '.join(term.folded)} ".encode(), idf * (K1 + 1))
        for term, idf in zip(terms, idfs, strict=True)
    ]
    specs += [
        (2, f" {' '.join(term.exact)} ".encode(), idf * (K1 + 1) * EXACT_WEIGHT)
        for term, idf in zip(terms, idfs, strict=True)
        if query.wants_exact and term.diacritics
    ]
    average = sum(len(row[1]) for row in rows) / len(rows) or 1
    slope, base = K1 * B / average, K1 * (1 - B)
    scored = []
    for row in rows:
        norm = base + slope * len(row[1])
        padded = (b"", b" %s " % row[1], b" %s " % (row[2] or b""))
        score = 0.0
        for column, phrase, weight in specs:
            frequency = padded[column].count(phrase)
            if frequency:
                score += weight * frequency / (frequency + norm)
        scored.append((row[0], round(score, 6)))
    scored.sort(key=lambda pair: (-pair[1], -pair[0]))
    return scored
