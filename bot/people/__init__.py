"""Who is who: citizens' verified contacts, consents, subscriptions; the officials' roster."""
