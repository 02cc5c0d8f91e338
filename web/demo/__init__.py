"""The demo world: a coach and three athletes with a year of deterministic history."""
