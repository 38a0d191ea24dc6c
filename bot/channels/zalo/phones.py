"""Phone numbers as Zalo gives them (84…) and as the dossiers keep them (0…)."""

from __future__ import annotations


def local_phone(phone: str | None) -> str | None:
    """Zalo gives 84xxxxxxxxx; dossiers keep 0xxxxxxxxx."""
    if not phone:
        return phone
    digits = phone.strip().lstrip("+")
    return "0" + digits[2:] if digits.startswith("84") and digits.isdigit() else phone


def international_phone(phone: str) -> str:
    """ZNS wants 84… (never 0…)."""
    return "84" + phone[1:] if phone.startswith("0") else phone
