"""Where the shop's records live: one place decides it."""

from __future__ import annotations

import os
from pathlib import Path

HOME_VARIABLE = "POSDESK_HOME"


def data_dir(home: str | Path | None = None) -> Path:
    """`--home` when given, else `$POSDESK_HOME`, else the platform's user data folder."""
    if home:
        return Path(home).expanduser()
    if os.environ.get(HOME_VARIABLE):
        return Path(os.environ[HOME_VARIABLE]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("posdesk", appauthor=False))
