"""Async engine and session factory.

SQLite runs in WAL mode with a busy timeout, and its writes go through one writer connection per engine: a
transaction opened with `session.begin()` runs on that connection and starts with `BEGIN IMMEDIATE`, so writers
of this process queue for it in order instead of polling SQLite's file lock, and a transaction that reads first
never has to upgrade its read snapshot to a write lock (which SQLite refuses with "database is locked" at once
when another connection wrote in between). Every other transaction (autobegun by a first statement) uses the
engine's shared pool, where readers never wait for the writer (WAL) and the driver begins a transaction only at a
write statement, as before. PostgreSQL has one pool and no routing.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, SessionTransactionOrigin

from crmflow.settings import async_database_url

SessionFactory = async_sessionmaker[AsyncSession]

# How long a connection waits for SQLite's write lock (another process's writer), and how long a write
# transaction of this process waits for the writer connection, in seconds.
SQLITE_LOCK_TIMEOUT = 30

# The writer engine of each SQLite engine this module created (disposed with it).
_SQLITE_WRITERS: WeakKeyDictionary[Engine, AsyncEngine] = WeakKeyDictionary()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_LOCK_TIMEOUT * 1000}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _writer_connect(dbapi_connection, record) -> None:
    _sqlite_pragmas(dbapi_connection, record)
    # SQLAlchemy emits BEGIN itself (the "begin" hook below) instead of the driver's implicit one before DML.
    dbapi_connection.isolation_level = None


def _begin_immediate(connection) -> None:
    # Take the write lock at the start; SQLite's busy timeout applies while another process holds it.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _end_transaction(dbapi_connection, _record, _exception) -> None:
    """Roll back a connection that is being invalidated (a statement cancelled mid-way), before it is closed.

    Closing it is not enough: while a cancelled task's traceback still references one of its statements, SQLite
    keeps the closed connection alive, with its transaction and the write lock, until garbage collection runs;
    every other connection meanwhile waits and fails with "database is locked" (seen between tests, after a
    worker shutdown cancelled an activity).
    """
    try:
        dbapi_connection.rollback()
    except Exception:  # noqa: BLE001 - already closed or outside the event loop: nothing left to roll back here
        pass


def _sqlite_writer(url: str) -> AsyncEngine:
    """One connection whose transactions start with BEGIN IMMEDIATE (SQLAlchemy's documented BEGIN hooks)."""
    writer = create_async_engine(
        url,
        connect_args={"timeout": SQLITE_LOCK_TIMEOUT},
        pool_size=1,
        max_overflow=0,
        pool_timeout=SQLITE_LOCK_TIMEOUT,
    )
    event.listen(writer.sync_engine, "connect", _writer_connect)
    event.listen(writer.sync_engine, "begin", _begin_immediate)
    event.listen(writer.sync_engine.pool, "invalidate", _end_transaction)
    return writer


def create_engine(url: str) -> AsyncEngine:
    """An async engine for a plain or driver-qualified URL (on SQLite, with its writer connection beside it)."""
    url = async_database_url(url)
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": SQLITE_LOCK_TIMEOUT})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine.pool, "invalidate", _end_transaction)
        writer = _sqlite_writer(url)
        _SQLITE_WRITERS[engine.sync_engine] = writer
        # Runs inside AsyncEngine.dispose()'s greenlet, so the writer's connection closes with the pool's.
        event.listen(engine.sync_engine, "engine_disposed", lambda _engine: writer.sync_engine.dispose())
        return engine
    return create_async_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def engines_of(engine: AsyncEngine) -> list[AsyncEngine]:
    """The engine and, on SQLite, its writer: everything that runs statements for it (for instrumentation)."""
    writer = _SQLITE_WRITERS.get(engine.sync_engine)
    return [engine] if writer is None else [engine, writer]


class SQLiteRoutingSession(Session):
    """Transactions opened with begin() run on the writer connection; autobegun ones on the shared pool."""

    def __init__(self, *args: Any, writer: AsyncEngine, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.writer = writer.sync_engine

    def get_bind(self, *args: Any, **kwargs: Any) -> Any:
        # Called before autobegin, so no transaction yet means an autobegun one; a savepoint follows its root.
        transaction = self.get_transaction()
        if transaction is not None and transaction.origin is SessionTransactionOrigin.BEGIN:
            return self.writer
        return super().get_bind(*args, **kwargs)


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    """Sessions that keep loaded attributes after commit (results outlive the transaction)."""
    writer = _SQLITE_WRITERS.get(engine.sync_engine)
    if writer is None:
        return async_sessionmaker(engine, expire_on_commit=False)
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=SQLiteRoutingSession, writer=writer)
