"""How fast the web app's pages are served, on the demo world (a year of history per athlete).

    python -m bench.web_pages [--repeat 50]

Each page is requested through Django's full stack in-process (middleware,
session, the analytics queries, the SVG charts, template rendering), as the
logged-in demo athlete or coach, on SQLite. The network and the browser's own
drawing are left out: the SVG charts need no script, so the browser draws them
with the HTML. Figures: p50 and p95 server time per page, and the page's size.

Baseline: the page's analytics queries alone (``web.site.insights``), which any
front must pay; the rest is the web app's own cost. Target: p95 under 200 ms
for the dashboard, the heaviest page (a page "feels instant" under ~100-200 ms:
Nielsen, "Response Times: The 3 Important Limits", 1993).
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from bench.common import Timing, foulee_on_sqlite, time_calls

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "activities"
DASHBOARD_TARGET_MS = 200.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    with foulee_on_sqlite("foulee-bench-web-"):
        run(args.repeat)


def run(repeat: int) -> None:
    from django.test import Client
    from django.urls import reverse

    from analytics.importing.service import import_file
    from analytics.sync import sync
    from web.accounts.models import User
    from web.demo.athletes import COACH, DEMO_PASSWORD, TEN_K
    from web.demo.world import load_demo
    from web.site import insights

    today = dt.datetime.now(dt.UTC).date()
    load_demo(today)
    athlete = User.objects.get(email=TEN_K.email)
    uploaded = import_file(athlete, (DATA / "fitparse_fenix2_run.fit").read_bytes(), "fenix2.fit")
    sync()
    print(
        f"demo world: {athlete.activities.count()} activities for {athlete}; SQLite; {repeat} requests a page"
    )

    athlete_client = Client(HTTP_HOST="127.0.0.1")
    coach_client = Client(HTTP_HOST="127.0.0.1")
    assert athlete_client.login(username=athlete.email, password=DEMO_PASSWORD)  # noqa: S101
    assert coach_client.login(username=COACH.email, password=DEMO_PASSWORD)  # noqa: S101

    def page(client: Client, url: str) -> tuple[Timing, int]:
        sizes = []

        def get() -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
            sizes.append(len(response.content))

        timing = time_calls(url, [get] * repeat)
        return timing, max(sizes)

    queries = time_calls(
        "dashboard: analytics queries only", [lambda: insights.dashboard(athlete.pk, today)] * repeat
    )
    print(f"\nbaseline\n{queries.line()}")
    print("\npages (full Django stack, in-process)")
    for client, url, target in (
        (athlete_client, reverse("site:dashboard"), DASHBOARD_TARGET_MS),
        (athlete_client, reverse("site:activities"), None),
        (athlete_client, reverse("site:activity", args=[uploaded.activity_id]), None),
        (athlete_client, reverse("site:profile"), None),
        (coach_client, reverse("site:coach"), None),
    ):
        timing, size = page(client, url)
        print(f"{timing.line(target)}   {size / 1024:6.1f} KiB")


if __name__ == "__main__":
    main()
