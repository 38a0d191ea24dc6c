"""Dossier tracking: the store of dossiers (hồ sơ), their import, and the portal sync.

Citizens ask "hồ sơ của tôi đến đâu rồi"; the answer comes from this store, which
is filled by `import_dossiers` (an export file) and `TrackingSync` (a tracking
API), and changed by officials (status, apology with a new date). Every change
yields `DossierEvent`s inside its transaction, so notifications are atomic.

Modules: model (Dossier, statuses), codes and phones (what citizens type),
records (one validated record), reader and batches (export files), importer,
repository (lookups and every write), sync (the tracking API). This package
root imports only the light ones: `from bot.dossiers.importer import ...`.
"""

from bot.dossiers.codes import find_dossier_code, looks_like_dossier_code, normalize_dossier_code
from bot.dossiers.model import FINISHED, STATUS_NAMES, Apology, Dossier, DossierEvent
from bot.dossiers.phones import mask_name, mask_phone, normalize_phone

__all__ = [
    "FINISHED",
    "STATUS_NAMES",
    "Apology",
    "Dossier",
    "DossierEvent",
    "find_dossier_code",
    "looks_like_dossier_code",
    "mask_name",
    "mask_phone",
    "normalize_dossier_code",
    "normalize_phone",
]
