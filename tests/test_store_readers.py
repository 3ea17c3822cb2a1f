"""Readers beside a writer, and readers of a read-only copy: ``serve`` and ``check``.

A harvest writes while people browse, so the default Datasette mode must see committed
rows without ever answering 500; a database copied somewhere nobody can write (a
read-only mount) must still serve and check, and say what would need write access.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import report_harvester.store.datasette as ds_module
from report_harvester.cli import cli
from report_harvester.store import Store
from report_harvester.store.datasette import make_datasette
from store_factories import body_for, make_report

URL = "http://www.hyyf.gov.cn/zwgk/{}.html"


def ingest(store: Store, n: int) -> None:
    body = body_for(str(n))
    url = URL.format(n)
    store.ingest(make_report(body, url=url, year=2000 + n % 30), body, url=url)


def test_datasette_answers_while_a_writer_commits(tmp_path: Path) -> None:
    db = tmp_path / "reports.db"
    with Store.open(db) as store:
        ingest(store, 0)
    done = threading.Event()

    def writer() -> None:
        with Store.open(db) as store:
            for n in range(1, 120):
                ingest(store, n)
        done.set()

    async def read() -> tuple[list[int], int]:
        ds = make_datasette(db)  # the default serve mode
        await ds.invoke_startup()
        statuses: list[int] = []
        thread = threading.Thread(target=writer)
        thread.start()
        while not done.is_set():
            for path in ("/reports/current_reports.json", "/reports/report_summary"):
                statuses.append((await ds.client.get(path)).status_code)
        thread.join()
        last = (await ds.client.get("/reports.json?sql=select+count(*)+from+reports")).json()
        for database in ds.databases.values():
            database.close()
        return statuses, last["rows"][0][0]

    statuses, count = asyncio.run(read())
    assert len(statuses) > 2 and set(statuses) == {200}
    assert count == 120  # every committed row is visible afterwards


@pytest.fixture
def readonly_dir(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs mounted read-only once the test has written into it (needs root)."""
    mount = tmp_path / "ro"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root, or not allowed)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


def test_check_and_serve_work_on_a_read_only_copy(
    tmp_path: Path, readonly_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = tmp_path / "reports.db"
    with Store.open(original) as store:
        for n in range(3):
            ingest(store, n)
    shutil.copy(original, readonly_dir / "reports.db")
    subprocess.run(["mount", "-o", "remount,ro", str(readonly_dir)], check=True)
    db = readonly_dir / "reports.db"
    before = db.read_bytes()

    writable = CliRunner().invoke(cli, ["check", "--db", str(original)])
    checked = CliRunner().invoke(cli, ["check", "--db", str(db)])
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.startswith("Checked 3 current reports")
    assert checked.stdout == writable.stdout  # the same results, computed but not stored
    assert checked.stderr == (
        f"{db} is read-only: the cross-report results were computed for this summary but not"
        " stored (storing them needs write access to the file and its folder).\n"
    )

    calls: list[bool] = []
    monkeypatch.setattr(ds_module, "serve", lambda path, **kw: calls.append(kw["immutable"]))
    served = CliRunner().invoke(cli, ["serve", "--db", str(db)])
    assert (served.exit_code, calls) == (0, [True])
    assert served.stderr == f"{db} is read-only: serving it as an immutable snapshot.\n"

    async def page() -> int:
        ds = make_datasette(db, immutable=True)
        await ds.invoke_startup()
        status = (await ds.client.get("/reports/current_reports")).status_code
        for database in ds.databases.values():
            database.close()
        return int(status)

    assert asyncio.run(page()) == 200
    assert db.read_bytes() == before
