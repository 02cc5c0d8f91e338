"""Reciprocal-rank fusion: merge rankings whose scores are not comparable.

A cosine similarity and a BM25 score live on different scales, so the two lists are merged by rank
alone: ``score(d) = sum over lists of 1 / (k + rank(d))``, ranks from 1, k = 60 (Cormack, Clarke &
Büttcher 2009, "Reciprocal Rank Fusion outperforms Condorcet and individual rank learning methods",
SIGIR '09). An item missing from a list gets nothing from it.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Final, TypeVar

RRF_K: Final = 60

Item = TypeVar("Item", bound=Hashable)


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[Item]], *, k: int = RRF_K, weights: Sequence[float] | None = None
) -> list[tuple[Item, float]]:
    """Items of all ``rankings`` (best first) with their fused score, best first.

    ``weights`` (one per ranking, default 1) scale each list's contribution. Ties keep the order
    of first appearance, so the result is deterministic.
    """
    rank_maps = [{item: rank for rank, item in enumerate(ranking, start=1)} for ranking in rankings]
    return fuse_ranks(rank_maps, k=k, weights=weights)


def fuse_ranks(
    rank_maps: Sequence[Mapping[Item, int]], *, k: int = RRF_K, weights: Sequence[float] | None = None
) -> list[tuple[Item, float]]:
    """The same fusion from explicit 1-based ranks, for when a list assigns some ranks itself."""
    if weights is None:
        weights = [1.0] * len(rank_maps)
    if len(weights) != len(rank_maps):
        raise ValueError("one weight per ranking")
    fused: dict[Item, float] = {}
    for ranks, weight in zip(rank_maps, weights, strict=True):
        for item, rank in ranks.items():
            if rank < 1:
                raise ValueError(f"ranks start at 1, got {rank}")
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda pair: -pair[1])
