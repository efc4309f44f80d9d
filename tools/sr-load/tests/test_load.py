"""sr-load end to end against a real sr-emulator: both modes, NDJSON and CSV, deletes,
the state file, the password never printed."""
import json
import os

import pytest

from conftest import (PASSWORD, expected_table, ndjson, run, sr_load_cmd, state_file)


def rows_with_deletes(n):
    rows = [{"id": i, "name": f"n{i}", "qty": i % 7, "price": f"{i}.25"} for i in range(1, n + 1)]
    rows += [{"id": i, "__op": 1} for i in range(1, n + 1, 10)]               # delete every 10th
    rows += [{"id": i, "name": f"upd{i}", "qty": 99, "price": "1.00"} for i in range(2, n, 25)]
    return rows


def table_as_dict(emu):
    return {r["id"]: r for r in emu.rows()}


def check_table(emu, rows):
    want = expected_table(rows)
    got = table_as_dict(emu)
    assert set(got) == set(want)
    for k, r in want.items():
        assert got[k]["name"] == r["name"] and got[k]["qty"] == r["qty"]
        assert float(got[k]["price"]) == float(r["price"])


@pytest.mark.parametrize("mode", ["on_watermark", "on_checkpoint"])
def test_ndjson_file_with_deletes_loads_in_both_modes(emu, tmp_path, mode):
    rows = rows_with_deletes(3000)
    f = tmp_path / "in.ndjson"
    f.write_text(ndjson(rows))
    summary = tmp_path / "summary.json"
    r = run(sr_load_cmd(emu, "--mode", mode, "--checkpoint-rows", "1000",
                        "--summary-json", str(summary), "--state-file", str(tmp_path / "st"),
                        str(f)))
    assert r.rc == 0, r
    check_table(emu, rows)
    s = json.loads(summary.read_text())
    assert s["rows_sent"] == len(rows) and s["deletes"] == 300
    assert s["rows_loaded"] == len(rows) and s["rows_filtered"] == 0
    assert s["checkpoints"] == 4 and s["last_checkpoint"] == 4
    assert "rows sent" in r.err and "throughput" in r.err
    t = emu.table_stats()
    assert t["upserts"] + t["deletes"] == len(rows)  # each row applied once
    st = state_file(tmp_path / "st")
    assert st["checkpoint"] == "4" and st["done"] == "1" and st["mode"] == mode
    assert int(st["rows"]) == len(rows)
    if mode == "on_checkpoint":
        labels = emu.labels()
        assert len(labels) == 4
        assert all(l["state"] == "VISIBLE" and l["commits"] == 1 and l["kind"] == "transaction"
                   for l in labels.values())
        assert st["token"]


def test_csv_from_stdin_with_header_and_deletes(emu, tmp_path):
    text = "id,name,qty,price,__op\n"
    text += "".join(f'{i},"name, {i}",{i},{i}.50,\n' for i in range(1, 501))
    text += "".join(f"{i},,,,delete\n" for i in range(1, 501, 2))
    r = run(sr_load_cmd(emu, "--format", "csv", "--mode", "on_checkpoint", "-"), input_text=text)
    assert r.rc == 0, r
    got = table_as_dict(emu)
    assert sorted(got) == list(range(2, 501, 2))
    assert got[2]["name"] == "name, 2" and got[2]["qty"] == 2


def test_rerunning_a_finished_load_with_its_state_file_loads_nothing_again(emu, tmp_path):
    rows = rows_with_deletes(500)
    f = tmp_path / "in.ndjson"
    f.write_text(ndjson(rows))
    cmd = sr_load_cmd(emu, "--state-file", str(tmp_path / "st"), str(f))
    assert run(cmd).rc == 0
    before = emu.table_stats()
    r = run(cmd)
    assert r.rc == 0, r
    assert "every input was loaded" in r.err
    assert emu.table_stats() == before


def test_a_state_file_of_another_load_is_refused(emu, tmp_path):
    a, b = tmp_path / "a.ndjson", tmp_path / "b.ndjson"
    a.write_text(ndjson(rows_with_deletes(100)))
    b.write_text(ndjson(rows_with_deletes(100)))
    assert run(sr_load_cmd(emu, "--state-file", str(tmp_path / "st"), str(a))).rc == 0
    r = run(sr_load_cmd(emu, "--state-file", str(tmp_path / "st"), str(b)))
    assert r.rc == 2 and "was written for other inputs" in r.err


def test_a_wrong_password_is_a_clear_auth_error_that_prints_no_password(emu, tmp_path):
    f = tmp_path / "in.ndjson"
    f.write_text(ndjson(rows_with_deletes(10)))
    wrong = "Wr0ng-Secret-Value"
    r = run(sr_load_cmd(emu, str(f)), password=wrong)
    assert r.rc != 0
    assert "SR_SINK_E_AUTH" in r.err
    assert wrong not in r.out + r.err and PASSWORD not in r.out + r.err


def test_password_file_is_read_and_never_printed(emu, tmp_path):
    pw = tmp_path / "pw"
    pw.write_text(PASSWORD + "\n")
    f = tmp_path / "in.ndjson"
    f.write_text(ndjson(rows_with_deletes(10)))
    cmd = [c if c != "--password-env" else "--password-file" for c in sr_load_cmd(emu, str(f))]
    cmd[cmd.index("--password-file") + 1] = str(pw)
    r = run(cmd + ["--verbose"])
    assert r.rc == 0, r
    assert len(emu.rows()) == 9


def test_a_missing_password_variable_is_named_without_a_value(emu, tmp_path):
    env = dict(os.environ)
    env.pop("SRL_PW", None)
    r = run(sr_load_cmd(emu, "-"), input_text="", env=env)
    assert r.rc == 2 and "environment variable SRL_PW (--password-env) is not set" in r.err


def test_a_missing_table_fails_at_open_naming_it(emu, tmp_path):
    r = run(sr_load_cmd(emu, "-", table="shop.nope"), input_text='{"id":1}\n')
    assert r.rc == 1 and "shop.nope" in r.err


def test_an_idle_stdin_stream_is_checkpointed_by_time_and_visible(emu, tmp_path):
    import subprocess
    from conftest import env_with_password, wait_for
    p = subprocess.Popen(sr_load_cmd(emu, "--checkpoint-seconds", "0.5", "--state-file",
                                     str(tmp_path / "st"), "-"),
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=env_with_password())
    p.stdin.write(ndjson([{"id": i, "qty": 1} for i in range(1, 11)]))
    p.stdin.flush()
    # No more input yet: the rows must still become visible (committed by a timed checkpoint).
    wait_for(lambda: len(emu.rows()) == 10, "the 10 rows to be committed while stdin is idle")
    assert state_file(tmp_path / "st")["checkpoint"] == "1"
    out, err = p.communicate(input=ndjson([{"id": 11, "qty": 1}]), timeout=120)
    assert PASSWORD not in out + err
    assert p.returncode == 0, err
    assert len(emu.rows()) == 11
