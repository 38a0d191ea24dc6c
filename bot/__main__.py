"""`python -m bot` is `motcua`."""

from bot.cli import main

raise SystemExit(main())
