"""Crash matrix: the host (eo_host, a separate process) is killed with SIGKILL at each point of
the checkpoint cycle; a restarted host recovers from its last durable checkpoint, replays from
there, and the table ends equal to the expected one with every row applied exactly once."""
import signal

import pytest

from eo_harness import Host, assert_exactly_once, expected_table, read_until, stderr_of

ROWS = 200  # 5 checkpoints of 40 rows, loads of at most 15 rows


def no_leftovers(emu):
    return {l: s["state"] for l, s in emu.labels().items()
            if s["state"] in ("PREPARE", "PREPARED")}


def finish(emu, host, table, **flags):
    # Recovery alone (before the restarted host writes anything) commits what the restored token
    # names and rolls back everything else.
    proc = host.spawn(pause="open:0", **flags)
    read_until(proc, "paused open:0")
    assert no_leftovers(emu) == {}
    proc.stdin.write("\n")
    proc.stdin.close()
    proc.wait(timeout=240)
    assert proc.returncode == 0, "restarted host failed: %s" % proc.stdout.read()
    code, out, err = host.run(**flags)  # a second recovery of the completed run is a no-op
    assert code == 0, "restarted host failed: %s\n%s" % (out, err)
    assert out[-1] == "done rows=%d" % ROWS
    assert_exactly_once(emu, table, "eo", [(ROWS, 50, 0)])
    return out


@pytest.mark.parametrize("crash", [
    "write:3",       # first epoch, before any checkpoint: fresh restart
    "write:57",      # mid-epoch after checkpoint 1
    "prepared:2",    # prepared, token not stored
    "stored:3",      # token stored, commit not called
    "committed:4",   # committed, next epoch not begun
    "prepared:5",    # the last checkpoint
])
def test_host_killed_at_a_named_point_recovers_exactly_once(emu, tmp_path, crash):
    emu.create_table("t")
    host = Host(emu, tmp_path / "state", "t", rows=ROWS)
    code, out, _ = host.run(crash=crash)
    assert code == -signal.SIGKILL, out
    assert out[-1] == "crash " + crash
    # Only committed checkpoints are visible: nothing of a prepared or open transaction.
    committed = [int(l.split()[1]) for l in out if l.startswith("committed ")]
    visible_rows = 40 * (committed[-1] if committed else 0)
    assert {r["id"]: r for r in emu.rows("t")} == expected_table(visible_rows)
    finish(emu, host, "t")


def test_checkpoint_ids_with_gaps_and_lazy_commits(emu, tmp_path):
    # Label ids (previous checkpoint + 1) differ from checkpoint ids; checkpoint 10's transaction
    # is not committed before checkpoint 20, so token 20 carries it: restoring 20 commits both.
    emu.create_table("t")
    host = Host(emu, tmp_path / "state", "t", rows=ROWS, ckpt_step=10, commit_every=2)
    code, out, _ = host.run(crash="stored:20")
    assert code == -signal.SIGKILL, out
    finish(emu, host, "t")


def test_host_killed_during_a_load_request(emu, tmp_path):
    emu.create_table("t")
    host = Host(emu, tmp_path / "state", "t", rows=ROWS)
    # Hold the 6th load request (in the second epoch) open, then kill the host while it waits.
    fid = emu.fault(point="txn_load", action="hang", skip=5, times=1)
    proc = host.spawn()
    emu.wait_for_hit(fid)
    proc.kill()
    proc.wait()
    emu.clear_faults()
    finish(emu, host, "t")


@pytest.mark.parametrize("action", ["hang", "delay"])
def test_host_killed_during_commit(emu, tmp_path, action):
    # hang: the commit is never performed; delay: it is performed after the host died.
    emu.create_table("t")
    host = Host(emu, tmp_path / "state", "t", rows=ROWS)
    fid = emu.fault(point="txn_commit", action=action, ms=300, skip=2, times=1)
    proc = host.spawn()
    read_until(proc, "committing 3")
    emu.wait_for_hit(fid)
    proc.kill()
    proc.wait()
    emu.clear_faults()
    finish(emu, host, "t")


def test_emulator_restarted_between_prepare_and_commit(emu, tmp_path):
    emu.create_table("t")
    host = Host(emu, tmp_path / "state", "t", rows=ROWS)
    code, out, _ = host.run(crash="stored:2")
    assert code == -signal.SIGKILL, out
    emu.restart()  # SIGKILL, then start again from its journal (new ports)
    prepared = [l for l, s in emu.labels().items() if s["state"] == "PREPARED"]
    assert len(prepared) == 1, emu.labels()  # checkpoint 2's transaction survived the restart
    finish(emu, host, "t")


def test_emulator_restarted_under_a_live_host_between_prepare_and_commit(emu, tmp_path):
    # The host keeps running: its commit(2) reaches the restarted emulator, where checkpoint 2's
    # transaction is still PREPARED (journal); pooled connections to the old process are dead.
    emu.create_table("t")
    proc = Host(emu, tmp_path / "state", "t", rows=ROWS).spawn(pause="stored:2")
    read_until(proc, "paused stored:2")
    emu.restart(same_ports=True)
    assert sorted(s["state"] for s in emu.labels().values()) == ["PREPARED", "VISIBLE"]
    proc.stdin.write("\n")
    proc.stdin.close()
    assert proc.wait(timeout=240) == 0, "%s\n%s" % (proc.stdout.read(), stderr_of(proc))
    assert_exactly_once(emu, "t", "eo", [(ROWS, 50, 0)])


def test_host_killed_between_the_commits_of_two_checkpoints(emu, tmp_path):
    # commit(20) commits checkpoint 10's and 20's transactions in order; the host dies after the
    # first. Token 20 names both: recovery finds the first committed and commits the second.
    emu.create_table("t")
    host = Host(emu, tmp_path / "state", "t", rows=ROWS, ckpt_step=10, commit_every=2)
    fid = emu.fault(point="txn_commit", action="hang", skip=1, times=1)
    proc = host.spawn()
    read_until(proc, "committing 20")
    emu.wait_for_hit(fid)
    assert sorted(s["state"] for s in emu.labels().values()) == ["PREPARED", "VISIBLE"]
    proc.kill()
    proc.wait()
    emu.clear_faults()
    finish(emu, host, "t")
