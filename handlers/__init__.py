"""The channel-neutral conversation: incoming messages in, replies (text + buttons) out."""
