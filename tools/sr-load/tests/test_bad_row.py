"""A bad row stops the load with one clear line and a non-zero exit; nothing of the
checkpoint it belongs to is committed, earlier checkpoints stay."""
import re
import pytest

from conftest import ndjson, run, sr_load_cmd, state_file


def good(lo, hi):
    return [{"id": i, "name": f"n{i}", "qty": 1, "price": "2.00"} for i in range(lo, hi)]


@pytest.mark.parametrize("mode", ["on_watermark", "on_checkpoint"])
def test_a_malformed_row_names_file_and_line_and_its_checkpoint_is_not_loaded(emu, tmp_path, mode):
    f = tmp_path / "in.ndjson"
    # checkpoint 1 = rows 1..100, checkpoint 2 would be 101..200 with a broken row at line 150
    text = ndjson(good(1, 150)) + '{"id":150,"name":"x",}\n' + ndjson(good(151, 201))
    f.write_text(text)
    r = run(sr_load_cmd(emu, "--mode", mode, "--checkpoint-rows", "100",
                        "--option", "batch_max_rows=10", "--state-file", str(tmp_path / "st"),
                        str(f)))
    assert r.rc == 1, r
    assert f"{f}:150: not a valid JSON object" in r.err
    assert sorted(x["id"] for x in emu.rows()) == list(range(1, 101))
    assert not [l for l, v in emu.labels().items() if v["state"] in ("PREPARE", "PREPARED")]
    assert state_file(tmp_path / "st")["checkpoint"] == "1"


@pytest.mark.parametrize("mode", ["on_watermark", "on_checkpoint"])
def test_a_row_starrocks_rejects_fails_with_its_message_and_nothing_of_the_checkpoint(emu, tmp_path,
                                                                                     mode):
    f = tmp_path / "in.ndjson"
    # qty is NOT NULL: "lots" fails conversion → NULL → the row is filtered → the load fails.
    rows = good(1, 101) + good(101, 130) + [{"id": 130, "name": "bad", "qty": "lots"}] + good(131, 160)
    f.write_text(ndjson(rows))
    r = run(sr_load_cmd(emu, "--mode", mode, "--checkpoint-rows", "100",
                        "--state-file", str(tmp_path / "st"), str(f)))
    assert r.rc == 1, r
    # Progress lines (every 0.5 s, so their number depends on the machine's speed) aside, the
    # failure is one line.
    # The library's warning that the file has no `note` column (upserts reset it) is not about
    # the failure.
    problems = [l for l in r.err.splitlines()
                if l.startswith("sr-load:") and not re.match(r"sr-load: \d+ rows .* rows/s", l)
                and "is opened without column(s) `note`" not in l]
    last = problems[-1]
    assert "checkpoint 2" in last and f"{f}:101" in last, last
    assert "SR_SINK_E_DATA" in last or "SR_SINK_E_LOAD" in last, last
    assert len(problems) == 1, r.err
    assert "filtered" in last.lower() or "too many" in last.lower(), last
    assert sorted(x["id"] for x in emu.rows()) == list(range(1, 101))
    assert not [l for l, v in emu.labels().items() if v["state"] in ("PREPARE", "PREPARED")]
