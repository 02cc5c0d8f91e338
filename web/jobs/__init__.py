"""Background jobs: the Celery app, its tasks, and the ``Job`` rows that say how each one went."""
