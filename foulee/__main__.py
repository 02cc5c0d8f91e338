"""`python -m foulee` is the same as the `foulee` command."""

from foulee.cli import main

raise SystemExit(main())
