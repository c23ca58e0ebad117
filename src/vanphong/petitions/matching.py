"""Repeats and duplicates: the letters on file from the same person or about the same matter.

A new letter is linked to the best match (`Petition.similar_to`), and marked a repeat when that one
is about the same matter and was already answered (`petitions.intake.register_petition`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from rapidfuzz import fuzz, process

from vanphong.core.text import fold
from vanphong.petitions.identities import Identity, open_sender
from vanphong.petitions.models import Petition, PetitionKind

# Fuzzy matching of repeat and duplicate letters (scores 0-100 of rapidfuzz on folded text).
SAME_NAME = 90
SAME_ADDRESS = 80
SAME_CONTENT = 80
MATCH_YEARS = 5


@dataclass(frozen=True)
class Match:
    petition: Petition
    score: int
    same_person: bool
    same_matter: bool


def find_similar(
    organisation: Any,
    identity: Identity,
    summary: str,
    kind: str,
    exclude: int | None = None,
    limit: int = 20,
) -> list[Match]:
    """Petitions on file from the same person or about the same matter, the best `limit` first.

    Names, addresses and content are compared folded (no diacritics, đ→d) with rapidfuzz, whose
    loops over all candidates run in C; the sealed identities of the last few years' petitions are
    opened in memory for it (bench/petitions_similar.py).

    A denunciation is never matched by its sender, in either direction: a "same person" link would
    tell whoever sees the other letter's sender who the denouncer is, and would let anyone confirm a
    guessed name by registering a letter under it (the denouncer's identity is protected by the Law on
    Denunciations 2018). Denunciations are matched by their matter only.
    """
    today = timezone.localdate()
    since = today.replace(year=today.year - MATCH_YEARS, day=1)
    # With the letters of the committees it succeeded (FACTS §1).
    candidates = Petition.objects.filter(
        Q(organisation=organisation) | Q(organisation__successor=organisation), received_on__gte=since
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    rows = list(candidates.values_list("pk", "sender_sealed", "search_text", "organisation", "kind"))
    name, address, content = fold(identity.name), fold(identity.address), fold(summary)
    person: set[int] = set()
    if name and kind != PetitionKind.DENUNCIATION:
        sealed = [
            (pk, token, org)
            for pk, token, _text, org, other_kind in rows
            if token and other_kind != PetitionKind.DENUNCIATION
        ]
        others = [open_sender(token, org) for _pk, token, org in sealed]
        # One fold of the joined text instead of one per row (identities hold no newlines).
        names = fold("\n".join(other.name for other in others)).split("\n")
        addresses = fold("\n".join(other.address for other in others)).split("\n")
        for _name, _score, index in process.extract(
            name, names, scorer=fuzz.token_sort_ratio, score_cutoff=SAME_NAME, limit=None
        ):
            if (
                not address
                or not addresses[index]
                or fuzz.token_set_ratio(address, addresses[index]) >= SAME_ADDRESS
            ):
                person.add(sealed[index][0])
    matter: dict[int, int] = {}
    if content:
        texts = [row[2] for row in rows]
        for _text, score, index in process.extract(
            content, texts, scorer=fuzz.token_sort_ratio, score_cutoff=SAME_CONTENT, limit=None
        ):
            matter[rows[index][0]] = int(score)
    scores = {pk: max(matter.get(pk, 0), 100 if pk in person else 0) for pk in person | set(matter)}
    best = sorted(scores, key=lambda pk: (-scores[pk], -pk))[:limit]
    found = Petition.objects.in_bulk(best)
    return [Match(found[pk], scores[pk], pk in person, pk in matter) for pk in best]
