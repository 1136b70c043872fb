"""The head office's app: every shop's record in the central database, read-only.

`posdesk --central [DSN]` opens it. It looks and answers keys like the shop's app (the tab bar,
the key bar, `l`, `?`, `q`) and reuses its widgets (the incident table, the filters, the
insights, an incident's page), but it holds no shop's desk: it reads through
`posdesk.desk.head_office.HeadOffice` alone, always in a worker thread, and nothing in it writes.

- `app`: the app, its language and global keys;
- `screen`: the tabs;
- `reading`: what every tab shares: reading in a worker, one line when that fails;
- `incidents`, `escalations`, `compliance`, `insights`: the tabs;
- `incident_page`: one incident, as its shop recorded it.
"""
