"""Channel adapters: Telegram, the terminal chat, later Zalo. The core imports none of them."""
