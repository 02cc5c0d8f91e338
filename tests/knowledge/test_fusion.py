"""Reciprocal-rank fusion, checked against the formula."""

from __future__ import annotations

import pytest

from knowledge.fusion import fuse_ranks, reciprocal_rank_fusion


def test_rrf_adds_one_over_k_plus_rank_from_each_list() -> None:
    fused = dict(reciprocal_rank_fusion([["a", "b", "c"], ["c", "a"]], k=60))
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert fused["b"] == pytest.approx(1 / 62)
    assert fused["c"] == pytest.approx(1 / 63 + 1 / 61)


def test_rrf_orders_by_fused_score_and_an_item_in_both_lists_beats_a_single_first_place() -> None:
    fused = reciprocal_rank_fusion([["x", "both"], ["y", "both"]])
    assert [item for item, _ in fused] == ["both", "x", "y"]


def test_weights_and_explicit_ranks() -> None:
    fused = dict(reciprocal_rank_fusion([["a"], ["b"]], k=10, weights=[2.0, 1.0]))
    assert fused == {"a": pytest.approx(2 / 11), "b": pytest.approx(1 / 11)}
    assert dict(fuse_ranks([{"a": 3}, {"a": 1}], k=10)) == {"a": pytest.approx(1 / 13 + 1 / 11)}
    with pytest.raises(ValueError, match="one weight per ranking"):
        reciprocal_rank_fusion([["a"]], weights=[1.0, 2.0])
    with pytest.raises(ValueError, match="ranks start at 1"):
        fuse_ranks([{"a": 0}])
