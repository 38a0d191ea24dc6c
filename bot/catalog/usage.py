"""What citizens file here, as a prior on ranking: everyday procedures first.

Three signs, none written by hand procedure by procedure: the bundled catalog (the
desk's everyday list, so a new deployment starts with a sensible prior), the dossiers
in the store (what this desk actually handles), and the procedures officials linked to
citizens' questions (what people ask for in their own words).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

BUNDLED = 0.5  # the everyday list, before any dossier says otherwise
PER_LINK = 0.1  # each question an official linked to the procedure


def prior(
    bundled: Iterable[str], dossiers: dict[str, int], links: Iterable[str]
) -> dict[str, float]:
    """National code (8 characters) -> 0..1."""
    out = dict.fromkeys((c[:8] for c in bundled), BUNDLED)
    most = max(dossiers.values(), default=0)
    for code, n in dossiers.items():
        if n > 0 and most > 0:
            filed = math.log1p(n) / math.log1p(most)
            out[code[:8]] = max(out.get(code[:8], 0.0), filed)
    for code in links:
        out[code[:8]] = min(1.0, out.get(code[:8], 0.0) + PER_LINK)
    return out
