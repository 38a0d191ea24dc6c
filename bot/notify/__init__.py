"""Notifications: the outbox written with each change, drained by a channel's sender."""
