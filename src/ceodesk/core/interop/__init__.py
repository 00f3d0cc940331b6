"""Moving the user's data in and out of ceodesk: files other programs (and other ceodesk
databases) read and write.

- ``tables``: which tables an export holds and how their rows are named in one: by
  their UUIDs, with every reference written as the UUID of the row it names;
- ``rows``: reading every table into those plain rows, and merging such rows into a
  database in one transaction (matched by UUID, added or updated, never deleted);
- ``ceodesk_json``: the JSON export of everything and its import (``ceodesk export
  --format json`` / ``ceodesk import FILE``).

Formats for a part of the data (a week as Markdown or iCalendar, tasks from Taskwarrior
or CSV) produce or consume the same plain rows, so they key on the same UUIDs.
"""
