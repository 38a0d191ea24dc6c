"""The `motcua` commands other than `run`, one module per kind of work.

bot/cli.py parses the command line and calls them; each returns the exit code
and prints its own one-line errors (README: exit codes).
"""


class UsageError(Exception):
    """Invalid use of a command: one line on stderr, exit 2."""
