"""The web app for athletes and coaches: accounts, dashboard, activities, the coach's view, privacy.

The admin stays for coaches' power use; this site is what people use day to day.
Views are thin: they authorise with :mod:`web.accounts.scoping`, then call the
analytics queries and the import service, and render.
"""
