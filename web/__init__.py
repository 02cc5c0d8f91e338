"""Foulée's Django project: the system of record and the web pages for athletes and coaches."""
