"""Injected faults on the transaction interface, each ending exactly-once (or with the clear
error the contract promises)."""
import shutil
import signal

from eo_harness import Emulator, Host, assert_exactly_once, read_until

ROWS = 120


def run_ok(emu, host, **flags):
    code, out, err = host.run(**flags)
    assert code == 0, "host failed: %s\n%s" % (out, err)
    assert_exactly_once(emu, "t", "eo", [(ROWS, 50, 0)])
    return out


def test_prepare_txn_not_exists_while_prepared_is_success(emu, tmp_path):
    emu.create_table("t")
    fid = emu.fault(point="txn_prepare", action="apply_then_reply", status="TXN_NOT_EXISTS",
                    message="Transaction with label not exists", skip=1, times=1)
    run_ok(emu, Host(emu, tmp_path / "state", "t", rows=ROWS))
    assert emu.fault_hits(fid) == 1


def test_commit_failed_publish_timeout_while_visible_is_success(emu, tmp_path):
    emu.create_table("t")
    fid = emu.fault(point="txn_commit", action="apply_then_reply", status="FAILED",
                    message="class com.starrocks.common.StarRocksException: publish timeout: "
                            "20000, transactionId=1", times=2)
    run_ok(emu, Host(emu, tmp_path / "state", "t", rows=ROWS))
    assert emu.fault_hits(fid) == 2


def test_commit_publish_timeout_while_committed_is_success(emu, tmp_path):
    # FE answers FAILED "publish timeout"; the state is COMMITTED and becomes VISIBLE later.
    emu.create_table("t")
    # Only the last commit: the emulator would otherwise let the next checkpoint's transaction
    # become visible before this one (StarRocks publishes in version order; REQUESTS.md).
    fid = emu.fault(point="txn_commit", action="publish_timeout", publish_delay_s=5, skip=2,
                    times=1)
    host = Host(emu, tmp_path / "state", "t", rows=ROWS)
    code, out, err = host.run()
    assert code == 0, "host failed: %s\n%s" % (out, err)
    assert any(s["state"] == "COMMITTED" for s in emu.labels().values())
    emu.advance_clock(10)  # the delayed publish finishes
    assert_exactly_once(emu, "t", "eo", [(ROWS, 50, 0)])
    assert emu.fault_hits(fid) == 1


def test_commit_reply_lost_is_settled(emu, tmp_path):
    emu.create_table("t")
    fid = emu.fault(point="txn_commit", action="apply_then_drop", skip=1, times=1)
    run_ok(emu, Host(emu, tmp_path / "state", "t", rows=ROWS))
    assert emu.fault_hits(fid) == 1


def test_txn_in_processing_is_waited_out(emu, tmp_path):
    emu.create_table("t")
    f1 = emu.fault(point="txn_load", action="reply", status="TXN_IN_PROCESSING",
                   message="Transaction is in processing", skip=2, times=1)
    f2 = emu.fault(point="txn_prepare", action="reply", status="TXN_IN_PROCESSING",
                   message="Transaction is in processing", times=1)
    run_ok(emu, Host(emu, tmp_path / "state", "t", rows=ROWS))
    assert (emu.fault_hits(f1), emu.fault_hits(f2)) == (1, 1)


def test_be_unreachable_after_begin_fails_cleanly_and_replay_is_exactly_once(emu, tmp_path):
    emu.create_table("t")
    host = Host(emu, tmp_path / "state", "t", rows=ROWS)
    # After the first checkpoint, every request redirected to the coordinator BE fails to connect
    # (load, and the rollback of the PREPARE transaction): the sink must fall back to _cancel.
    # (Checkpoint 1 = 3 loads and 1 prepare; the fault starts with the 4th load.)
    emu.fault(point="txn_load", action="be_unreachable", skip=3, times=-1)
    emu.fault(point="txn_prepare", action="be_unreachable", skip=1, times=-1)
    emu.fault(point="txn_rollback", action="be_unreachable", times=-1)
    code, out, _ = host.run()
    assert code == 2 and out[-1].startswith("error SR_SINK_E_NETWORK"), out
    assert "restore the last checkpoint" in out[-1]
    assert not [l for l, s in emu.labels().items() if s["state"] in ("PREPARE", "PREPARED")]
    emu.clear_faults()
    run_ok(emu, host)


def test_expired_prepared_transaction_is_reported_with_its_checkpoint(emu, tmp_path):
    emu.create_table("t")
    host = Host(emu, tmp_path / "state", "t", rows=ROWS)
    code, out, _ = host.run(crash="stored:2")
    assert code == -signal.SIGKILL
    emu.advance_clock(7200)  # past prepared_transaction_default_timeout_second (3600 here)
    code, out, _ = host.run()
    assert code == 2, out
    assert out[-1].startswith("error SR_SINK_E_RECOVERY open"), out
    assert "checkpoint 2 is NOT in StarRocks" in out[-1], out


def test_prepared_transaction_expiring_before_commit_fails_the_commit(emu, tmp_path):
    emu.create_table("t")
    proc = Host(emu, tmp_path / "state", "t", rows=ROWS).spawn(pause="stored:2")
    read_until(proc, "paused stored:2")
    emu.advance_clock(7200)  # the host was too slow to commit checkpoint 2
    proc.stdin.write("\n")
    proc.stdin.close()
    line = read_until(proc, "error")
    assert line.startswith("error SR_SINK_E_RECOVERY commit"), line
    assert "checkpoint 2 is NOT in StarRocks" in line, line
    assert proc.wait(timeout=60) == 2


def test_restore_from_an_older_checkpoint_is_refused(emu, tmp_path):
    emu.create_table("t")
    state = tmp_path / "state"
    host = Host(emu, state, "t", rows=ROWS)
    code, _, _ = host.run(crash="committed:1")
    assert code == -signal.SIGKILL
    shutil.copy(state, tmp_path / "state-ckpt1")
    run_ok(emu, host)  # completes checkpoints 2 and 3
    old = Host(emu, tmp_path / "state-ckpt1", "t", rows=ROWS)
    code, out, _ = old.run()
    assert code == 2, out
    assert out[-1].startswith("error SR_SINK_E_RECOVERY open"), out
    assert "restored checkpoint 1" in out[-1], out
    assert_exactly_once(emu, "t", "eo", [(ROWS, 50, 0)])  # nothing applied twice


def test_forgotten_label_of_the_restored_token_cannot_be_confirmed(tmp_path):
    # label_keep_max_num 1: every finished transaction evicts the older ones, so the label of
    # the restored checkpoint is forgotten and its commit can no longer be confirmed.
    data = tmp_path / "emulator-data"
    data.mkdir()
    emu = Emulator(str(data), "--label-keep-max-num", "1")
    try:
        emu.create_table("t")
        host = Host(emu, tmp_path / "state", "t", rows=ROWS)
        code, _, _ = host.run(crash="committed:2")
        assert code == -signal.SIGKILL
        other = Host(emu, tmp_path / "other", "t", rows=40, instance="other", key_base=1000)
        assert other.run()[0] == 0  # its finished transaction evicts checkpoint 2's label
        code, out, _ = host.run()
        assert code == 2, out
        assert out[-1].startswith("error SR_SINK_E_RECOVERY open"), out
        assert "cannot confirm that the data of checkpoint 2" in out[-1], out
    finally:
        emu.stop()
