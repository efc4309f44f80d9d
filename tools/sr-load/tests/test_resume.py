"""Crash and resume: SIGKILL mid-run, rerun with the same state file, and the table ends up as if
the input had been loaded once (on_checkpoint: every row applied exactly once, by the emulator's
counters). The input comes through a pipe the test controls, so the kill happens at a known
point without depending on timing."""
import signal
import subprocess

import pytest

from conftest import (PASSWORD, env_with_password, interruption_warnings, expected_table, ndjson, run, sr_load_cmd, state_file,
                      wait_for)


def make_rows(n):
    rows = []
    for i in range(1, n + 1):
        rows.append({"id": i, "name": f"n{i}", "qty": i % 5, "price": "3.10"})
        if i % 9 == 0:
            rows.append({"id": i - 4, "__op": 1})
        if i % 13 == 0:
            rows.append({"id": i - 2, "name": f"u{i}", "qty": 7, "price": "9.99"})
    return rows


def check_exactly_once(emu, rows, exact):
    want = expected_table(rows)
    got = {r["id"]: r for r in emu.rows()}
    assert set(got) == set(want)
    assert all(got[k]["name"] == v["name"] and got[k]["qty"] == v["qty"] for k, v in want.items())
    t = emu.table_stats()
    applied = t["upserts"] + t["deletes"]
    if exact:
        assert applied == len(rows), f"{applied} rows applied for {len(rows)} input rows"
    else:
        assert applied >= len(rows)
    assert all(v["commits"] <= 1 for v in emu.labels().values())


def start(emu, tmp_path, mode, *extra):
    cmd = sr_load_cmd(emu, "--mode", mode, "--checkpoint-rows", "1000", "--checkpoint-seconds", "0",
                      "--option", "batch_max_rows=100", "--state-file", str(tmp_path / "st"),
                      *extra, "-")
    return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env_with_password())


def kill(p):
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=60)
    p.stdin.close()
    output = p.stdout.read() + p.stderr.read()
    assert PASSWORD not in output
    p.stdout.close()
    p.stderr.close()


def unfinished_txns(emu):
    return [l for l, v in emu.labels().items() if v["state"] in ("PREPARE", "PREPARED")]


@pytest.mark.parametrize("mode", ["on_checkpoint", "on_watermark"])
def test_sigkill_mid_epoch_then_resume_loads_every_row_once(emu, tmp_path, mode):
    rows = make_rows(3000)
    text = ndjson(rows)
    lines = text.splitlines(keepends=True)
    p = start(emu, tmp_path, mode)
    # Checkpoints 1 and 2, then 500 rows of the third epoch, which sr-load hands to the library
    # while it waits for more input.
    p.stdin.write("".join(lines[:2500]))
    p.stdin.flush()
    wait_for(lambda: state_file(tmp_path / "st").get("checkpoint") == "2", "checkpoint 2")
    if mode == "on_checkpoint":
        wait_for(lambda: [l for l, v in emu.labels().items() if v["state"] == "PREPARE"],
                 "the open transaction of checkpoint 3")
    else:
        applied = lambda: emu.table_stats().get("upserts", 0) + emu.table_stats().get("deletes", 0)
        wait_for(lambda: applied() > 2000, "a load of the third epoch")
    kill(p)
    assert len(emu.rows()) < len(expected_table(rows))

    r = run(sr_load_cmd(emu, "--mode", mode, "--checkpoint-rows", "1000",
                        "--option", "batch_max_rows=100", "--state-file", str(tmp_path / "st"),
                        "-"), input_text=text)
    assert r.rc == 0, r
    assert "resuming from checkpoint 2" in r.err
    assert f"{len(lines[:2000])} rows already loaded" in r.err
    check_exactly_once(emu, rows, exact=(mode == "on_checkpoint"))
    assert not unfinished_txns(emu)


def test_sigkill_after_the_state_file_but_before_commit_commits_on_resume(emu, tmp_path):
    rows = make_rows(2500)
    text = ndjson(rows)
    lines = text.splitlines(keepends=True)
    # The commit of checkpoint 2 never answers: sr-load has stored its token and waits.
    emu.fault(point="txn_commit", table="shop.orders", skip=1, times=1, action="hang")
    p = start(emu, tmp_path, "on_checkpoint")
    p.stdin.write("".join(lines[:2100]))
    p.stdin.flush()
    wait_for(lambda: state_file(tmp_path / "st").get("checkpoint") == "2", "checkpoint 2 stored")
    wait_for(lambda: any(f.get("hits", 0) >= 1 for f in emu.faults()), "the hanging commit")
    kill(p)
    emu.clear_faults()
    assert len(emu.rows()) < 2000  # checkpoint 2 is prepared, not visible

    r = run(sr_load_cmd(emu, "--checkpoint-rows", "1000", "--option", "batch_max_rows=100",
                        "--state-file", str(tmp_path / "st"), "-"), input_text=text)
    assert r.rc == 0, r
    check_exactly_once(emu, rows, exact=True)


def test_ctrl_c_stops_cleanly_and_the_rerun_resumes(emu, tmp_path):
    rows = make_rows(2000)
    text = ndjson(rows)
    lines = text.splitlines(keepends=True)
    p = start(emu, tmp_path, "on_checkpoint")
    p.stdin.write("".join(lines[:1500]))
    p.stdin.flush()
    wait_for(lambda: state_file(tmp_path / "st").get("checkpoint") == "1", "checkpoint 1")
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    assert PASSWORD not in out + err
    assert p.returncode == 130, err
    # One calm line: what is committed, what became of the open transaction, where the rerun
    # continues (Ctrl-C may also land in checkpoint 1's commit, which the rerun finishes).
    assert ("checkpoint 1 is the last committed and rows sent after it were rolled back. Rerun "
            "the same command to continue at <stdin>:1001" in err
            or "interrupted while committing checkpoint 1" in err), err
    assert not interruption_warnings(err), err
    # The open epoch was rolled back; checkpoint 1 may still be PREPARED if Ctrl-C came during
    # its commit (its token is in the state file, so the rerun commits it).
    assert not [l for l, v in emu.labels().items() if v["state"] == "PREPARE"]

    r = run(sr_load_cmd(emu, "--checkpoint-rows", "1000", "--state-file", str(tmp_path / "st"),
                        "-"), input_text=text)
    assert r.rc == 0, r
    check_exactly_once(emu, rows, exact=True)
    assert not unfinished_txns(emu)


def test_fix_a_bad_csv_row_and_rerun_resumes_in_the_second_file_exactly_once(emu, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    header = "id,name,qty,price\n"
    a.write_text(header + "".join(f"{i},a{i},1,1.00\n" for i in range(1, 151)))
    b_rows = [f"{i},b{i},2,2.00\n" for i in range(151, 301)]
    b_rows[99] = '250,"unterminated,2,2.00\n'          # b.csv line 101 (after its header)
    b.write_text(header + "".join(b_rows))
    cmd = sr_load_cmd(emu, "--checkpoint-rows", "100", "--state-file", str(tmp_path / "st"),
                      str(a), str(b))
    r = run(cmd)
    assert r.rc == 1, r
    assert f"{b}:101:" in r.err and "unterminated quoted field" in r.err
    st = state_file(tmp_path / "st")
    assert (st["checkpoint"], st["file_index"], st["line"]) == ("2", "1", "52")  # b.csv line 52
    assert len(emu.rows()) == 200

    b_rows[99] = "250,b250,2,2.00\n"                     # fix the row, rerun the same command
    b.write_text(header + "".join(b_rows))
    r = run(cmd)
    assert r.rc == 0, r
    assert f"continuing at {b}:52" in r.err
    got = {x["id"]: x for x in emu.rows()}
    assert sorted(got) == list(range(1, 301)) and got[250]["name"] == "b250"
    t = emu.table_stats()
    assert t["upserts"] == 300 and t["deletes"] == 0  # nothing applied twice


@pytest.mark.parametrize("mode", ["on_checkpoint", "on_watermark"])
def test_a_first_run_that_fails_before_checkpoint_1_loses_no_row_on_resume(emu, tmp_path, mode):
    # Without --columns the first NDJSON row names the columns; it was read before the first
    # state file was written, which then pointed past it, so the rerun skipped it.
    f = tmp_path / "in.ndjson"
    rows = make_rows(300)
    f.write_text("\n" + ndjson(rows))  # a blank line first: inference skips it too
    cmd = sr_load_cmd(emu, "--mode", mode, "--checkpoint-rows", "100", "--state-file",
                      str(tmp_path / "st"), str(f))
    r = run(cmd, password="Wr0ng-Secret-Value")
    assert r.rc == 1 and "SR_SINK_E_AUTH" in r.err, r
    assert state_file(tmp_path / "st")["line"] == "1"
    r = run(cmd)
    assert r.rc == 0, r
    assert f"continuing at {f}:1" in r.err, r.err
    check_exactly_once(emu, rows, exact=(mode == "on_checkpoint"))


def test_ctrl_c_while_a_checkpoint_is_prepared_says_calmly_what_the_rerun_does(emu, tmp_path):
    rows = make_rows(2000)
    text = ndjson(rows)
    lines = text.splitlines(keepends=True)
    # Checkpoint 2's prepare never answers; Ctrl-C cancels it, and the rollback the library then
    # tries is cancelled too (closing the sink rolls the transaction back after all).
    emu.fault(point="txn_prepare", table="shop.orders", skip=1, times=1, action="hang")
    p = start(emu, tmp_path, "on_checkpoint")
    p.stdin.write("".join(lines[:2000]))
    p.stdin.flush()
    wait_for(lambda: state_file(tmp_path / "st").get("checkpoint") == "1", "checkpoint 1")
    wait_for(lambda: any(f.get("hits", 0) >= 1 for f in emu.faults()), "the hanging prepare")
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    assert PASSWORD not in out + err
    assert p.returncode == 130, err
    assert not interruption_warnings(err) and "failed" not in err, err
    assert ("sr-load: interrupted; checkpoint 1 is the last committed and rows sent after it were "
            "rolled back. Rerun the same command to continue at <stdin>:") in err, err
    emu.clear_faults()
    assert not unfinished_txns(emu)

    r = run(sr_load_cmd(emu, "--checkpoint-rows", "1000", "--state-file", str(tmp_path / "st"),
                        "-"), input_text=text)
    assert r.rc == 0, r
    check_exactly_once(emu, rows, exact=True)


def test_ctrl_c_while_opening_exits_at_once_and_the_rerun_loads_everything(emu, tmp_path):
    import time
    rows = make_rows(300)
    text = ndjson(rows)
    # The schema request of sr_sink_open never answers (an FE that accepts and hangs). Ctrl-C
    # must not wait for request_timeout_ms: there is no sink to cancel yet.
    emu.fault(point="schema_v2", times=1, action="hang")
    p = start(emu, tmp_path, "on_checkpoint", "--option", "request_timeout_ms=100000")
    p.stdin.write(text[:200])
    p.stdin.flush()
    wait_for(lambda: any(f.get("hits", 0) >= 1 for f in emu.faults()), "the hanging schema request")
    t0 = time.monotonic()
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    assert time.monotonic() - t0 < 20, "Ctrl-C waited for the open"
    assert p.returncode == 130, err
    assert ("sr-load: interrupted while opening shop.orders; no row of this run was sent. Rerun "
            "the same command to continue at <stdin>:1") in err, err
    emu.clear_faults()
    r = run(sr_load_cmd(emu, "--checkpoint-rows", "1000", "--state-file", str(tmp_path / "st"),
                        "-"), input_text=text)
    assert r.rc == 0, r
    check_exactly_once(emu, rows, exact=True)


def test_credentials_refused_mid_epoch_say_the_rerun_cleans_up_and_it_does(emu, tmp_path):
    import json
    import urllib.request

    def set_password(pw):
        req = urllib.request.Request(emu.url + "/_emulator/users", method="POST",
                                     data=json.dumps({"user": "alice", "password": pw}).encode())
        urllib.request.urlopen(req, timeout=60).read()

    rows = make_rows(1500)
    text = ndjson(rows)
    lines = text.splitlines(keepends=True)
    p = start(emu, tmp_path, "on_checkpoint", "--option", "max_retries=1",
              "--option", "retry_backoff_ms=20")
    p.stdin.write("".join(lines[:1200]))  # checkpoint 1, then 200 rows of checkpoint 2
    p.stdin.flush()
    wait_for(lambda: state_file(tmp_path / "st").get("checkpoint") == "1", "checkpoint 1")
    wait_for(lambda: [l for l, v in emu.labels().items() if v["state"] == "PREPARE"],
             "the open transaction of checkpoint 2")
    new_password = PASSWORD + "-rotated"
    set_password(new_password)  # the password sr-load has is now refused
    out, err = p.communicate(input="".join(lines[1200:]), timeout=120)
    assert PASSWORD not in out + err
    assert p.returncode == 1, err
    assert "SR_SINK_E_AUTH" in err, err
    assert ("sr-load: the open transaction could not be rolled back either (SR_SINK_E_AUTH); "
            "rerunning the same command rolls it back") in err, err
    assert [l for l, v in emu.labels().items() if v["state"] == "PREPARE"]

    env = env_with_password(new_password)
    r = run(sr_load_cmd(emu, "--checkpoint-rows", "1000", "--state-file", str(tmp_path / "st"),
                        "-"), input_text=text, env=env, password=new_password)
    assert r.rc == 0, r
    check_exactly_once(emu, rows, exact=True)
    assert not unfinished_txns(emu)
