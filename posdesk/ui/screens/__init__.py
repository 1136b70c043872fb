"""posdesk's full screens: the main screen with its tabs, and those opened over it."""
