"""The sync's second pass over activities recorded in a file: samples in, features from samples out.

After a batch's activity rows are written (VDOT, VMA and load from their
summary), the activities that have an original file get:

1. their samples stored, read from the file when the store has none for that
   file's checksum (``analytics.originals``), else reused;
2. a features row from the samples (``analytics.samples.compute``: best
   efforts, time in zones), their VDOT and VMA raised to the best the samples
   show, and their training load recomputed as TRIMP over the samples
   (``load_method = "hr_samples"``).

An unreadable original (deleted from disk, or refused by a stricter reader)
never stops the sync: the activity keeps what its summary gives and its
quality note says why.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, bindparam, select, update

from analytics import bulk, originals, quality
from analytics import samples as sample_codec
from analytics.features import AthleteContext
from analytics.readers import ActivityFileError
from analytics.schema import activity_table, features_table, samples_table

logger = logging.getLogger(__name__)


def refresh_from_files(
    conn: Connection,
    batch: pd.DataFrame,
    activities: pd.DataFrame,
    contexts: Mapping[int, AthleteContext],
) -> None:
    """Store samples and sample features for the rows of ``batch`` that have an original file.

    ``batch`` has the sync's source columns (``original_file``,
    ``file_checksum``); ``activities`` are the rows just written for it
    (:func:`analytics.features.derive`).
    """
    with_file = batch[has_original_file(batch)]
    if with_file.empty:
        return
    ids = [int(value) for value in with_file["id"]]
    stored = _stored(conn, ids)
    loaded: dict[int, pd.DataFrame] = {}
    unreadable: list[int] = []
    legs = with_file["file_leg"] if "file_leg" in with_file else pd.Series(0, index=with_file.index)
    for activity_id, name, checksum, leg in zip(
        ids,
        with_file["original_file"].astype(str),
        with_file["file_checksum"].astype(str),
        legs.fillna(0).astype(int),
        strict=True,
    ):
        kept = stored.get(activity_id)
        if kept is not None and kept[0] == checksum:
            loaded[activity_id] = sample_codec.decode(*kept[1:])
            continue
        try:
            parsed = originals.load(name, checksum, int(leg))
        except (OSError, ActivityFileError) as error:
            logger.warning("activity %s: cannot read its original file: %s", activity_id, error)
            unreadable.append(activity_id)
            continue
        # Features come from the stored (float32) samples, whichever way they arrived,
        # so a later recomputation from the store gives the very same values.
        loaded[activity_id] = _store(conn, activity_id, checksum, parsed.samples)
    _apply(conn, loaded, activities, contexts)
    if unreadable:
        _note(conn, unreadable, "original_unreadable")


def refresh_kept(
    conn: Connection,
    batch: pd.DataFrame,
    activities: pd.DataFrame,
    contexts: Mapping[int, AthleteContext],
    new_ids: set[int],
) -> None:
    """Recompute the sample features of edited rows of ``batch`` that have samples but no file.

    Samples recorded without a file (the demo's, :func:`attach`) are stored under an empty
    checksum; an edit of the activity re-derives its row from the summary, so its features,
    VDOT and TRIMP are computed again from those samples, as for a file. New rows have none.
    """
    edited = batch[~has_original_file(batch) & ~batch["id"].isin(new_ids)]
    if edited.empty:
        return
    stored = _stored(conn, [int(value) for value in edited["id"]])
    loaded = {
        activity_id: sample_codec.decode(*kept[1:]) for activity_id, kept in stored.items() if kept[0] == ""
    }
    _apply(conn, loaded, activities, contexts)


def attach(
    conn: Connection,
    recorded: Mapping[int, pd.DataFrame],
    activities: pd.DataFrame,
    contexts: Mapping[int, AthleteContext],
) -> None:
    """Store samples that came without a file, keyed by activity, and their features.

    ``activities`` are the stored rows of those activities (``id``, ``athlete_id``,
    ``pace_ok``, ``hr_ok``, ``vdot``). The samples are encoded as an import's, and the
    features computed from what will read back, by the same code.
    """
    rows = []
    for activity_id, samples in recorded.items():
        rows.append(
            {
                "activity_id": activity_id,
                "file_checksum": "",
                "encoding": sample_codec.ENCODING,
                "sample_count": len(samples),
                "data": sample_codec.encode(samples),
            }
        )
    if not rows:
        return
    bulk.upsert(conn, samples_table, pd.DataFrame(rows), keys=("activity_id",))
    _apply(
        conn,
        {activity_id: sample_codec.as_stored(samples) for activity_id, samples in recorded.items()},
        activities,
        contexts,
    )


def has_original_file(batch: pd.DataFrame) -> pd.Series:
    """Which rows of ``batch`` (the sync's source columns) name an original file."""
    return batch["original_file"].fillna("").astype(str) != ""


def refresh_athlete(
    conn: Connection,
    athlete_id: int,
    activities: pd.DataFrame,
    contexts: Mapping[int, AthleteContext],
) -> None:
    """Recompute the sample features of an athlete's activities from their stored samples."""
    s, a = samples_table.c, activity_table.c
    rows = conn.execute(
        select(s.activity_id, s.encoding, s.data, s.sample_count)
        .join(activity_table, a.id == s.activity_id)
        .where(a.athlete_id == athlete_id)
    ).all()
    loaded = {
        int(row.activity_id): sample_codec.decode(row.encoding, row.data, row.sample_count) for row in rows
    }
    _apply(conn, loaded, activities, contexts)


def _stored(conn: Connection, ids: list[int]) -> dict[int, tuple[str, str, bytes, int]]:
    s = samples_table.c
    found: dict[int, tuple[str, str, bytes, int]] = {}
    for start in range(0, len(ids), 500):
        query = select(s.activity_id, s.file_checksum, s.encoding, s.data, s.sample_count).where(
            s.activity_id.in_(ids[start : start + 500])
        )
        for row in conn.execute(query):
            found[int(row.activity_id)] = (row.file_checksum, row.encoding, row.data, row.sample_count)
    return found


def _store(conn: Connection, activity_id: int, checksum: str, samples: pd.DataFrame) -> pd.DataFrame:
    """Store ``samples`` for the activity; return them as they will read back."""
    encoded = sample_codec.encode(samples)
    row = {
        "activity_id": activity_id,
        "file_checksum": checksum,
        "encoding": sample_codec.ENCODING,
        "sample_count": len(samples),
        "data": encoded,
    }
    bulk.upsert(conn, samples_table, pd.DataFrame([row]), keys=("activity_id",))
    return sample_codec.decode(sample_codec.ENCODING, encoded, len(samples))


def _apply(
    conn: Connection,
    loaded: Mapping[int, pd.DataFrame],
    activities: pd.DataFrame,
    contexts: Mapping[int, AthleteContext],
) -> None:
    """Write the sample features, VDOT, VMA (and TRIMP loads) of the activities in ``loaded``."""
    if not loaded:
        return
    verdicts = {
        int(activity_id): (int(athlete_id), bool(pace_ok), bool(hr_ok))
        for activity_id, athlete_id, pace_ok, hr_ok in activities[
            ["id", "athlete_id", "pace_ok", "hr_ok"]
        ].itertuples(index=False)
    }
    whole_vdots = {
        int(activity_id): float(vdot)
        for activity_id, vdot in zip(activities["id"], activities["vdot"], strict=True)
        if not np.isnan(vdot)
    }
    feature_rows: list[dict[str, Any]] = []
    bests: list[dict[str, Any]] = []
    loads: list[dict[str, Any]] = []
    failed: list[int] = []
    for activity_id, samples in loaded.items():
        athlete_id, pace_ok, hr_ok = verdicts[activity_id]
        try:
            computed = sample_codec.compute(
                samples,
                contexts[athlete_id].physiology,
                pace_ok=pace_ok,
                hr_ok=hr_ok,
                whole_vdot=whole_vdots.get(activity_id),
            )
        except ValueError:
            # Samples no formula accepts (time running backwards...) must not stop everyone's sync.
            logger.exception("activity %s: cannot compute features from its samples", activity_id)
            failed.append(activity_id)
            continue
        feature_rows.append({"activity_id": activity_id, **computed.row})
        bests.append({"row_id": activity_id, "vdot": computed.vdot, "vma": computed.vma_kmh})
        if computed.trimp is not None:
            loads.append({"row_id": activity_id, "load": computed.trimp})
    if failed:
        _note(conn, failed, "samples_unusable")
    if not feature_rows:
        return
    bulk.upsert(conn, features_table, pd.DataFrame(feature_rows), keys=("activity_id",))
    a = activity_table.c
    conn.execute(
        update(activity_table)
        .where(a.id == bindparam("row_id"))
        .values(vdot=bindparam("vdot"), vma_kmh=bindparam("vma")),
        bests,
    )
    if loads:
        conn.execute(
            update(activity_table)
            .where(a.id == bindparam("row_id"))
            .values(training_load=bindparam("load"), load_method="hr_samples"),
            loads,
        )


def _note(conn: Connection, ids: list[int], code: str) -> None:
    """Append the reason ``code`` (:mod:`analytics.quality`) to these activities' quality notes."""
    a = activity_table.c
    for activity_id in ids:
        note: str = conn.execute(select(a.quality_note).where(a.id == activity_id)).scalar_one()
        conn.execute(
            update(activity_table).where(a.id == activity_id).values(quality_note=quality.join(note, code))
        )
