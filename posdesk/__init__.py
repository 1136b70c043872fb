"""posdesk: a terminal help desk for a shop's bank POS terminal."""

__version__ = "0.1.0"
