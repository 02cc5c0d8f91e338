"""The Celery app, configured from Foulée's settings (``foulee worker``, ``foulee beat`` start it).

``FOULEE_BROKER_URL`` names the broker: Redis (also the result store) or
RabbitMQ (``amqp://``). With no broker, every task runs in-process, in the
caller's thread, the moment it is submitted (Celery's eager mode): ``foulee
run`` then needs nothing else, and an upload's results are in its answer, as
before there were workers.

Delivery is at least once: a message is acknowledged after its task ran
(``acks_late``), and given back to the broker when the worker running it dies
(``reject_on_worker_lost``; on Redis, also after the visibility timeout), so
every task is written to be run twice without doing its work twice.
"""

from __future__ import annotations

from typing import Any, Final

from celery import Celery
from celery.schedules import crontab

from foulee.config import Settings, get_settings

#: Modules whose tasks a worker registers.
TASK_MODULES: Final = ("web.jobs.tasks",)
#: How often the beat runs the incremental analytics sync (catches writes the on-commit sync missed).
SYNC_EVERY_S: Final = 600.0


def configuration(settings: Settings) -> dict[str, Any]:
    """Celery's settings for Foulée's: one place, read by the app and by the tests."""
    broker = settings.broker_url
    on_redis = bool(broker) and broker.startswith(("redis://", "rediss://", "unix://"))  # type: ignore[union-attr]
    return {
        "broker_url": broker or "memory://",
        "result_backend": settings.result_backend or (broker if on_redis else None),
        "result_expires": 86_400,
        "task_always_eager": broker is None,
        # An eager task's error is recorded in its Job (dead letter), never raised into the request.
        "task_eager_propagates": False,
        "task_default_queue": settings.jobs_queue,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        # One message at a time per worker process: a long import does not hold others hostage.
        "worker_prefetch_multiplier": 1,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": {"visibility_timeout": settings.broker_visibility_timeout_s},
        "timezone": "UTC",
        "include": list(TASK_MODULES),
        "beat_schedule": {
            "analytics-sync": {"task": "foulee.sync", "schedule": SYNC_EVERY_S},
            "retention-purge": {"task": "foulee.purge", "schedule": crontab(hour=3, minute=30)},
        },
    }


def create_app(settings: Settings | None = None) -> Celery:
    app = Celery("foulee")
    app.conf.update(configuration(settings or get_settings()))
    return app


app = create_app()
