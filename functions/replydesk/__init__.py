"""replydesk: reads replies to advocacy campaigns and labels each one's stance."""

__version__ = "0.1.0"
