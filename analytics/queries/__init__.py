"""Analytics queries: each scoped to one athlete, parameterised, portable across SQLite and PostgreSQL.

Callers pass the athlete id they have already authorised (see
``web.accounts.scoping``); nothing here ever reads more than that athlete's rows.
"""

from analytics.queries.correlations import VolumeEfficiency, volume_vs_efficiency
from analytics.queries.dashboard import RecentRunning, period_totals, recent_running, weekly_dashboard
from analytics.queries.load import FormReading, TrainingLoad, training_load
from analytics.queries.predictions import RacePrediction, predict_race
from analytics.queries.records import personal_records
from analytics.queries.trends import performance_trends
from analytics.queries.vma import VmaEstimate, estimate_vma
from analytics.queries.zones import ZonesAnalysis, zones_analysis

__all__ = [
    "FormReading",
    "RacePrediction",
    "RecentRunning",
    "TrainingLoad",
    "VmaEstimate",
    "VolumeEfficiency",
    "ZonesAnalysis",
    "estimate_vma",
    "performance_trends",
    "period_totals",
    "personal_records",
    "predict_race",
    "recent_running",
    "training_load",
    "volume_vs_efficiency",
    "weekly_dashboard",
    "zones_analysis",
]
