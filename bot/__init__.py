"""MotCua: the one-stop desk in the messaging apps citizens already use.

The core in this package knows no messaging platform: channels turn their
updates into calls on the dialog and render the replies it returns.
"""

__version__ = "0.1.0"
