"""Print each analytics query as PostgreSQL receives it, with its EXPLAIN ANALYZE plan.

    python -m bench.explain [--activities 200000]

Fills a throwaway PostgreSQL store like bench.analytics_queries, runs every
query for one athlete while recording the statements the driver executes,
then explains each one. The output is the source of docs/analytics.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, event

from analytics import db, queries
from bench.analytics_queries import fill
from bench.common import postgres_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--activities", type=int, default=200_000)
    args = parser.parse_args()
    with postgres_database("foulee_bench_explain") as url:
        engine = db.make_engine(url)
        db.upgrade(engine)
        athlete_ids = fill(engine, args.activities)
        athlete = athlete_ids[len(athlete_ids) // 2]
        today = dt.datetime.now(dt.UTC).date()
        calls: dict[str, Callable[[Connection], object]] = {
            "weekly_dashboard": lambda conn: queries.weekly_dashboard(conn, athlete, 12, today),
            "performance_trends": lambda conn: queries.performance_trends(conn, athlete, 12, today),
            "zones_analysis": lambda conn: queries.zones_analysis(conn, athlete, 12, today),
            "predict_race": lambda conn: queries.predict_race(conn, athlete, 10_000, today=today),
            "training_load": lambda conn: queries.training_load(conn, athlete, 90, today),
            "personal_records": lambda conn: queries.personal_records(conn, athlete),
            "estimate_vma": lambda conn: queries.estimate_vma(conn, athlete, 12, today),
            "volume_vs_efficiency": lambda conn: queries.volume_vs_efficiency(conn, athlete, 26, today),
        }
        with engine.connect() as conn:
            for name, call in calls.items():
                statements: list[tuple[str, Any]] = []

                def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
                    statements.append((statement, parameters))  # noqa: B023 (read before the next loop)

                event.listen(engine, "before_cursor_execute", record)
                call(conn)
                event.remove(engine, "before_cursor_execute", record)
                print(f"## {name}\n")
                for statement, parameters in statements:
                    if statement.lstrip().upper().startswith("SELECT"):
                        plan = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, COSTS OFF) {statement}", parameters)
                        print(
                            f"```sql\n{statement.strip()}\n```\n\n```\n"
                            + "\n".join(row[0] for row in plan)
                            + "\n```\n"
                        )
        engine.dispose()


if __name__ == "__main__":
    main()
