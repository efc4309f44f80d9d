"""Visibility: rows are invisible after write and after on_checkpoint, visible after commit."""
from eo_harness import (Host, assert_exactly_once, expected_table, read_until, stderr_of,
                        wait_until)


def visible(emu):
    return {r["id"]: r for r in emu.rows("t")}


def states(emu):
    return sorted(s["state"] for l, s in emu.labels().items() if l.startswith("eo-"))


def pause_at(emu, tmp_path, point):
    emu.create_table("t")
    proc = Host(emu, tmp_path / "state", "t", rows=80).spawn(pause=point)
    read_until(proc, "paused " + point)
    return proc


def resume_to_end(emu, proc):
    proc.stdin.write("\n")
    proc.stdin.close()
    assert proc.wait(timeout=120) == 0, stderr_of(proc)
    assert_exactly_once(emu, "t", "eo", [(80, 50, 0)])


def test_written_rows_are_invisible(emu, tmp_path):
    proc = pause_at(emu, tmp_path, "write:30")
    # 31 rows written; 30 of them go out in two load requests (batch_max_rows 15) on the sink's
    # I/O thread, asynchronously: wait until StarRocks received them.
    wait_until(lambda: states(emu) == ["PREPARE"] and emu.stats()["bytes_received"] > 0)
    assert visible(emu) == {}
    resume_to_end(emu, proc)


def test_prepared_rows_are_invisible(emu, tmp_path):
    proc = pause_at(emu, tmp_path, "prepared:1")
    assert visible(emu) == {}
    assert states(emu) == ["PREPARED"]
    resume_to_end(emu, proc)


def test_committed_rows_are_visible(emu, tmp_path):
    proc = pause_at(emu, tmp_path, "committed:1")
    assert visible(emu) == expected_table(40)
    assert states(emu) == ["VISIBLE"]
    resume_to_end(emu, proc)
