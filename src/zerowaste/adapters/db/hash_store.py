"""The stored Merkle tree's node hashes, read in batches and ranges through the driver."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from zerowaste.ledger.tree import NodeKey

#: A level with this many wanted nodes, dense enough, is read as one index range.
_RANGE_FROM = 64


class SqlHashStore:
    """A `HashStore` over `ledger_nodes`: one log, a fixed size, batched reads on one connection."""

    def __init__(self, connection: Connection, log_id: str, size: int) -> None:
        self._connection = connection
        self._log_id = log_id
        self._size = size

    def leaf_count(self) -> int:
        """Return the number of leaves the log's head row records."""
        return self._size

    def get_node(self, level: int, index: int) -> bytes:
        """Return one stored node hash; raise `LookupError` if it is not stored."""
        found = self.get_nodes([(level, index)])[0]
        if found is None:
            raise LookupError(f"no node ({level}, {index})")
        return found

    def get_nodes(self, keys: Sequence[NodeKey]) -> list[bytes | None]:
        """Return the hashes of `(level, index)` keys, in order, None for any not stored.

        Plain SQL through the driver, answered from the primary key index: on SQLite a
        `UNION ALL` of one select per level (an OR of them makes SQLite scan the table), on
        PostgreSQL one join with the `unnest` of the wanted keys, whose text never changes, so
        psycopg prepares it once and the server stops planning it. A level asking for many
        indexes that lie close together (an audit's batch) reads their range instead.
        """
        if not keys:
            return []
        by_level: dict[int, list[int]] = {}
        for level, index in keys:
            by_level.setdefault(level, []).append(index)
        found: dict[NodeKey, bytes] = {}
        parts: list[str] = []
        parameters: list[Any] = []
        scattered: list[NodeKey] = []
        postgresql = self._connection.dialect.name == "postgresql"
        for level, indexes in by_level.items():
            low, high = min(indexes), max(indexes)
            if len(indexes) >= _RANGE_FROM and high - low < 2 * len(indexes):
                bounds = (self._log_id, level, low, high)
                rows = driver_rows(self._connection, _NODE_RANGE, bounds)
                found.update(((level, index), bytes(value)) for index, value in rows)
                continue
            if postgresql:
                scattered.extend((level, index) for index in indexes)
                continue
            step = _MAX_BOUND - 2  # with the log id and level
            for start in range(0, len(indexes), step):
                chunk = indexes[start : start + step]
                if parameters and len(parameters) + len(chunk) + 2 > _MAX_BOUND:
                    self._read_into(found, parts, parameters)
                    parts, parameters = [], []
                parts.append(_NODE_LIST.replace("{list}", ", ".join(["{}"] * len(chunk))))
                parameters += [self._log_id, level, *chunk]
        if parts:
            self._read_into(found, parts, parameters)
        if scattered:
            levels = [level for level, _ in scattered]
            indexes = [index for _, index in scattered]
            rows = driver_rows(self._connection, _NODE_PAIRS, (levels, indexes, self._log_id))
            found.update(((level, index), bytes(value)) for level, index, value in rows)
        return [found.get(key) for key in keys]

    def get_range(self, level: int, start: int, count: int) -> list[bytes | None]:
        """Return nodes `(level, start)` to `(level, start + count - 1)`, None for any missing.

        One primary-key range read through the driver; with every node there (the usual case)
        the hashes are taken in index order as they come.
        """
        bounds = (self._log_id, level, start, start + count)
        rows = driver_rows(self._connection, _NODE_RUN, bounds)
        if len(rows) == count:  # the key is unique, so these are exactly the `count` nodes
            return [value if type(value) is bytes else bytes(value) for _, value in rows]
        found = {index - start: bytes(value) for index, value in rows}
        return [found.get(offset) for offset in range(count)]

    def _read_into(
        self, found: dict[NodeKey, bytes], parts: list[str], parameters: list[Any]
    ) -> None:
        """Run one `UNION ALL` of per-level node selects through the driver into `found`."""
        rows = driver_rows(self._connection, " UNION ALL ".join(parts), tuple(parameters))
        found.update(((level, index), bytes(value)) for level, index, value in rows)


#: One level's nodes at listed indexes (`{list}` becomes the markers), as plain SQL.
_NODE_LIST = (
    "SELECT level, node_index, hash FROM ledger_nodes"
    " WHERE log_id = {} AND level = {} AND node_index IN ({list})"
)

#: PostgreSQL: the nodes at listed `(level, node_index)` pairs, given as two arrays.
_NODE_PAIRS = (
    "SELECT n.level, n.node_index, n.hash FROM ledger_nodes n"
    " JOIN unnest({}::int[], {}::bigint[]) AS k(level, node_index)"
    " ON n.level = k.level AND n.node_index = k.node_index"
    " WHERE n.log_id = {}"
)

#: The most values bound in one node read (SQLite's historical limit is 999).
_MAX_BOUND = 900


#: A level's nodes between two indexes, as plain SQL (the primary key's range).
_NODE_RANGE = (
    "SELECT node_index, hash FROM ledger_nodes"
    " WHERE log_id = {} AND level = {} AND node_index BETWEEN {} AND {}"
)


def driver_rows(connection: Connection, sql: str, parameters: tuple[Any, ...]) -> list[Any]:
    """Rows of a read as the driver returns them, in the connection's transaction.

    For the audit's bulk reads: no result rows are built, no values processed. `sql` marks
    its positional parameters `{}`; they become the driver's (`?` or `%s`).
    """
    postgresql = connection.dialect.name == "postgresql"
    mark = "%s" if postgresql else "?"
    driver: Any = connection.connection.driver_connection
    # psycopg's binary results hand bytea over as it is, not as hex text to decode.
    cursor: Any = driver.cursor(binary=True) if postgresql else driver.cursor()
    try:
        cursor.execute(sql.format(*[mark] * len(parameters)), parameters)
        return list(cursor.fetchall())
    finally:
        cursor.close()


#: A run of a level's nodes, `[start, end)`, in index order, as plain SQL.
_NODE_RUN = (
    "SELECT node_index, hash FROM ledger_nodes"
    " WHERE log_id = {} AND level = {} AND node_index >= {} AND node_index < {}"
    " ORDER BY node_index"
)
