"""Strava: connect an athlete's account, backfill their history, take the webhook's pushes."""
