"""SQLite: write transactions queue for one writer connection and begin IMMEDIATE; readers never wait for them."""

from __future__ import annotations

import asyncio
import gc
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from db.engine import SessionFactory, create_engine, create_session_factory

THREADS = 8  # as many as the worker's activity thread pool
TASKS_PER_THREAD = 5
INCREMENTS_PER_TASK = 4


@pytest.fixture
def sqlite_file(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'writers.db'}"


async def _create_counter(sessions: SessionFactory) -> None:
    async with sessions() as session, session.begin():
        await session.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"))
        await session.execute(text("INSERT INTO counter (id, n) VALUES (1, 0)"))


async def _increment(sessions: SessionFactory, times: int) -> None:
    """Read, then write what was read plus one: a lost update shows as a missing increment."""
    for _ in range(times):
        async with sessions() as session, session.begin():
            n = await session.scalar(text("SELECT n FROM counter WHERE id = 1"))
            await asyncio.sleep(0)  # let every other task reach its own read here
            await session.execute(text("UPDATE counter SET n = :n WHERE id = 1"), {"n": n + 1})


async def _count(sessions: SessionFactory) -> int:
    async with sessions() as session:
        return await session.scalar(text("SELECT n FROM counter WHERE id = 1"))


async def _with_sessions(url: str, work) -> object:
    engine = create_engine(url)
    try:
        return await work(create_session_factory(engine))
    finally:
        await engine.dispose()


async def test_concurrent_writers_of_one_process_lose_no_write(sqlite_file: str) -> None:
    async def run(sessions: SessionFactory) -> int:
        await _create_counter(sessions)
        tasks = THREADS * TASKS_PER_THREAD
        await asyncio.gather(*(_increment(sessions, INCREMENTS_PER_TASK) for _ in range(tasks)))
        return await _count(sessions)

    assert await _with_sessions(sqlite_file, run) == THREADS * TASKS_PER_THREAD * INCREMENTS_PER_TASK


async def test_writers_in_many_threads_with_their_own_engines_lose_no_write_and_never_see_a_lock(
    sqlite_file: str,
) -> None:
    """Each thread is what another process would be: its own event loop, engine and writer connection."""
    await _with_sessions(sqlite_file, _create_counter)
    errors: list[BaseException] = []

    def thread() -> None:
        async def tasks(sessions: SessionFactory) -> None:
            await asyncio.gather(*(_increment(sessions, INCREMENTS_PER_TASK) for _ in range(TASKS_PER_THREAD)))

        try:
            asyncio.run(_with_sessions(sqlite_file, tasks))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=thread) for _ in range(THREADS)]
    for t in threads:
        t.start()
    await asyncio.to_thread(lambda: [t.join() for t in threads])

    assert errors == []  # no "database is locked", nor anything else
    assert await _with_sessions(sqlite_file, _count) == THREADS * TASKS_PER_THREAD * INCREMENTS_PER_TASK


async def test_a_reader_reads_the_last_commit_while_a_write_transaction_is_open(sqlite_file: str) -> None:
    async def run(sessions: SessionFactory) -> tuple[str, int, int, int]:
        await _create_counter(sessions)
        async with sessions() as writer, writer.begin():
            await writer.execute(text("UPDATE counter SET n = 41 WHERE id = 1"))
            # Were readers blocked by the open write transaction, this read would wait and fail as locked.
            async with sessions() as reader:
                mode = await reader.scalar(text("PRAGMA journal_mode"))
                timeout = await reader.scalar(text("PRAGMA busy_timeout"))
                during = await _count(sessions)
        return mode, timeout, during, await _count(sessions)

    mode, timeout, during, after = await _with_sessions(sqlite_file, run)
    assert mode == "wal"
    assert timeout > 0
    assert (during, after) == (0, 41)


async def test_a_read_session_that_writes_and_commits_still_writes(sqlite_file: str) -> None:
    """Routes commit an autobegun transaction (no begin()); those writes still land."""

    async def run(sessions: SessionFactory) -> int:
        await _create_counter(sessions)
        async with sessions() as session:
            n = await session.scalar(text("SELECT n FROM counter WHERE id = 1"))
            await session.execute(text("UPDATE counter SET n = :n WHERE id = 1"), {"n": n + 7})
            await session.commit()
        return await _count(sessions)

    assert await _with_sessions(sqlite_file, run) == 7


async def test_a_write_transaction_cancelled_mid_statement_releases_the_write_lock(sqlite_file: str) -> None:
    """As a worker shutdown cancels a running activity: the next writer (another process here) must not wait."""
    running, release = threading.Event(), threading.Event()

    def hold() -> int:
        running.set()
        release.wait(timeout=60)
        return 1

    async def cancelled_writer(sessions: SessionFactory) -> None:
        async with sessions() as session, session.begin():
            await session.execute(text("UPDATE counter SET n = 99 WHERE id = 1"))
            raw = await (await session.connection()).get_raw_connection()
            await raw.driver_connection.create_function("hold", 0, hold)
            await session.execute(text("SELECT hold()"))

    async def run(sessions: SessionFactory) -> None:
        await _create_counter(sessions)
        task = asyncio.create_task(cancelled_writer(sessions))
        await asyncio.to_thread(running.wait, 60)
        task.cancel()  # while SQLite runs the statement
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await task
        # Another engine, as another process would: without the rollback it waited out the busy timeout, then failed.
        await _with_sessions(sqlite_file, lambda other: _increment(other, 1))

    # Whenever the garbage collector runs: until it does, the cancelled statement keeps its closed connection alive.
    gc.disable()
    try:
        await _with_sessions(sqlite_file, run)
    finally:
        gc.enable()
    assert await _with_sessions(sqlite_file, _count) == 1  # the cancelled update rolled back
