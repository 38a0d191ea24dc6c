"""The channel-neutral conversation: incoming messages in, replies (text + buttons) out.

One module per feature (procedures, dossiers, ratings, feedback, questions, officials,
menu) and the map that assembles their commands and buttons (router.py). Channels and the
entry point (bot/dispatch.py) import this package; it imports the features' services and
the kernel below it, never a channel, the runtime or the web server (pyproject.toml's
import contract, checked in `make test`).
"""
