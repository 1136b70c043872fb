"""posdesk's dialogs, one a file, each imported when it is first opened."""
