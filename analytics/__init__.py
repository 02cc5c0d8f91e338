"""The analytics engine: pure running-physiology formulas (`analytics.metrics`) today.

Its SQLAlchemy store, the Django → analytics sync, the queries and the activity
file readers are not built yet (see the analytics and import issues).
"""
