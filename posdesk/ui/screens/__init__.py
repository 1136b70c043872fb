"""posdesk's screens and dialogs, each imported when it is first opened."""

from pathlib import Path

# Their styles, read by Textual when the first of them opens rather than when posdesk starts.
SCREENS_CSS = Path(__file__).parent / "screens.tcss"
