"""Parser processes with a time and memory budget: a runaway call is stopped, the pool
goes on with a fresh worker, and a slow call never holds up another worker's."""

from __future__ import annotations

import asyncio
import os
import sys
import time

import pytest

from report_harvester.fetch.budget import BudgetExceeded, BudgetPool


def run(pool: BudgetPool, *calls: tuple[object, ...]) -> list[object]:
    async def main() -> list[object]:
        try:
            return await asyncio.gather(
                *(pool.run(fn, *args) for fn, *args in calls),  # type: ignore[misc]
                return_exceptions=True,
            )
        finally:
            pool.close()

    return asyncio.run(main())


def test_a_call_returns_its_result() -> None:
    assert run(BudgetPool(1, seconds=10, megabytes=1024), (sorted, [3, 1, 2])) == [[1, 2, 3]]


def test_a_call_over_time_is_stopped_and_the_next_call_gets_a_fresh_worker() -> None:
    pool = BudgetPool(1, seconds=0.5, megabytes=1024)

    async def main() -> tuple[BaseException | None, object]:
        try:
            try:
                await pool.run(time.sleep, 30)
                stopped = None
            except BudgetExceeded as exc:
                stopped = exc
            return stopped, await pool.run(sorted, "cba")
        finally:
            pool.close()

    stopped, after = asyncio.run(main())
    assert isinstance(stopped, BudgetExceeded) and stopped.code == "parse_timeout"
    assert str(stopped) == "parsing took over 0.5s: stopped"
    assert after == ["a", "b", "c"]


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_AS is POSIX")
def test_a_call_over_memory_is_stopped() -> None:
    [result, again] = run(
        BudgetPool(1, seconds=30, megabytes=512), (bytearray, 2 * 1024**3), (len, "abc")
    )
    assert isinstance(result, BudgetExceeded) and result.code == "parse_memory"
    assert again == 3


def test_a_dying_worker_is_reported_and_replaced() -> None:
    [died, again] = run(BudgetPool(1, seconds=30, megabytes=1024), (os._exit, 3), (len, "ab"))
    assert isinstance(died, BudgetExceeded) and died.code == "worker_died"
    assert str(died) == "the parser died (exit 3)"
    assert again == 2


def test_an_exception_in_the_call_is_a_runtime_error() -> None:
    [error] = run(BudgetPool(1, seconds=30, megabytes=1024), (int, "x"))
    assert isinstance(error, RuntimeError)
    assert str(error) == "ValueError: invalid literal for int() with base 10: 'x'"


def test_a_slow_call_does_not_hold_up_the_other_worker() -> None:
    pool = BudgetPool(2, seconds=2, megabytes=1024)
    finished: list[str] = []

    async def slow() -> None:
        try:
            await pool.run(time.sleep, 30)
        except BudgetExceeded:
            finished.append("slow")

    async def quick() -> None:
        await asyncio.sleep(0.2)
        for _ in range(3):
            await pool.run(len, "abc")
        finished.append("quick")

    async def main() -> None:
        try:
            await asyncio.gather(slow(), quick())
        finally:
            pool.close()

    asyncio.run(main())
    assert finished == ["quick", "slow"]


def test_waiting_calls_are_served_by_priority_then_arrival() -> None:
    pool = BudgetPool(1, seconds=10, megabytes=1024)
    order: list[str] = []

    async def call(name: str, priority: int, delay: float) -> None:
        await asyncio.sleep(delay)
        await pool.run(time.sleep, 0.3 if name == "busy" else 0, priority=priority)
        order.append(name)

    async def main() -> None:
        try:
            await asyncio.gather(
                call("busy", 1, 0), call("report", 1, 0.05), call("list", 0, 0.1),
                call("report 2", 1, 0.15),
            )
        finally:
            pool.close()

    asyncio.run(main())
    assert order == ["busy", "list", "report", "report 2"]
