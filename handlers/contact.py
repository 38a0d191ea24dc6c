"""How a citizen reaches the desk when the bot cannot pass something on.

Only what the agencies file says (never a made-up number, never the bot's settings):
the agency's phone when it has one, else every agency's phone that is known.
"""

from __future__ import annotations

from bot.reply import esc
from handlers.context import Turn

MAX_LISTED = 8


def contact_line(turn: Turn, agency_code: str | None = None) -> str:
    """ "\\n☎️ …" with the phone(s) to call, or "" when the file has none."""
    _ = turn.t.gettext
    settings = turn.core.settings
    agency = settings.agency(agency_code)
    if agency is not None and agency.phone:
        return "\n☎️ " + _("Phone: %s") % esc(f"{agency.name}: {agency.phone}")
    known = [a for a in settings.agencies if a.phone][:MAX_LISTED]
    if not known:
        return ""
    listed = "\n".join(f"• {esc(a.name)}: {esc(a.phone)}" for a in known)
    return "\n☎️ " + _("Phone numbers of the desks:") + "\n" + listed
