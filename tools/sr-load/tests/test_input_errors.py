"""Bad input stops the load with one line naming the file and line — also when the library is the
one refusing the row — and nothing is skipped silently: an input that cannot be read or a CSV
header without a name for every column is an error, not an empty file."""
import re

import pytest

from conftest import SR_LOAD, ndjson, run, sr_load_cmd


def problems(err):
    """sr-load's lines on stderr, without the periodic progress lines."""
    return [l for l in err.splitlines()
            if l.startswith("sr-load:") and not re.match(r"sr-load: \d+ rows .* rows/s", l)
            and "is opened without column(s)" not in l]  # the library's notice, not an error


def dry_run(*args):
    return run([SR_LOAD, "--dry-run", "--url", "http://127.0.0.1:9", "--user", "u",
                "--password-env", "SRL_PW", "--table", "shop.orders", *args])


def good(lo, hi):
    return [{"id": i, "name": f"n{i}", "qty": 1} for i in range(lo, hi)]


def test_a_row_the_library_refuses_is_named_by_file_and_line_not_batch_index(emu, tmp_path):
    a, b = tmp_path / "a.ndjson", tmp_path / "b.ndjson"
    a.write_text(ndjson(good(1, 4)))
    # sr-load's scanner checks structure and UTF-8; an unpaired surrogate escape is left to the
    # library's validator, which refuses it by the row's index in the batch (here 5).
    b.write_text(ndjson(good(4, 6)) + "\n" + '{"id":6,"name":"\\ud800x","qty":1}\n')
    r = run(sr_load_cmd(emu, "--state-file", str(tmp_path / "st"), str(a), str(b)))
    assert r.rc == 1, r
    lines = problems(r.err)
    assert len(lines) == 1, r.err
    assert lines[0].startswith(f"sr-load: {b}:4: not a valid JSON object: unpaired surrogate"), r.err
    assert "SR_SINK_E_DATA" in lines[0], r.err
    assert "row 5" not in r.err, r.err
    assert emu.rows() == []


def test_a_backslash_before_a_nul_byte_is_a_bad_escape_not_passed_through(tmp_path):
    # Found by tests/fuzz/fuzz_srload_reader: the escape check looked the byte after '\\' up with
    # strchr, which also finds the string's terminating NUL, so "\\<NUL>" passed as an escape and
    # the row went out as invalid JSON (--dry-run printed it; a load left it to the library).
    f = tmp_path / "in.ndjson"
    f.write_bytes(b'{"id":1,"name":"ok"}\n{"id":2,"name":"a\\\x00b"}\n')
    r = dry_run(str(f))
    assert r.rc == 1, r
    assert problems(r.err) == [f"sr-load: {f}:2: not a valid JSON object: bad escape in string "
                               f"at byte 18"], r.err


@pytest.mark.parametrize("bad", [b"\xff", b"\xc3(", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80"],
                         ids=["ff", "truncated", "surrogate", "overlong", "above-10ffff"])
def test_invalid_utf8_in_an_ndjson_string_is_refused_naming_file_and_line(tmp_path, bad):
    f = tmp_path / "in.ndjson"
    f.write_bytes(b'{"id":1,"name":"ok \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"}\n'
                  b'{"id":2,"name":"x' + bad + b'y"}\n')
    r = dry_run(str(f))
    assert r.rc == 1, r
    assert problems(r.err) == [f"sr-load: {f}:2: not a valid JSON object: invalid UTF-8 in string "
                               f"at byte 18"], r.err


def test_invalid_utf8_in_a_csv_field_or_header_is_refused_naming_file_and_line(tmp_path):
    f = tmp_path / "in.csv"
    f.write_bytes(b'id,name\n1,"caf\xc3\xa9"\n2,"b\xe9"\n')  # Latin-1, not UTF-8
    r = dry_run(str(f))
    assert r.rc == 1, r
    assert problems(r.err) == [f"sr-load: {f}:3: field 2 (`name`): invalid UTF-8 at byte 2 of "
                               f"the field"], r.err
    f.write_bytes(b'id,n\xe4me\n1,x\n')
    r = dry_run(str(f))
    assert r.rc == 1, r
    assert problems(r.err) == [f"sr-load: {f}:1: bad CSV header: header field 2: invalid UTF-8 at "
                               f"byte 2 of the field"], r.err


@pytest.mark.parametrize("header,field", [("id,,name", 2), (",id,name", 1), ('"",id', 1),
                                          ('""', 1), (",", 1)])
def test_a_csv_header_with_an_empty_name_is_one_clear_error(tmp_path, header, field):
    # Once a memcpy from NULL (UBSan) for the empty name, then a second, misleading error.
    f = tmp_path / "in.csv"
    f.write_text(header + "\n1,2,3\n")
    r = dry_run(str(f))
    assert r.rc == 1, r
    assert problems(r.err) == [f"sr-load: {f}:1: bad CSV header: header field {field} is empty "
                               f"(every column needs a name)"], r.err
    assert r.out == ""


def test_an_input_that_cannot_be_read_stops_the_load(tmp_path):
    a = tmp_path / "a.ndjson"
    a.write_text(ndjson(good(1, 3)))
    missing = tmp_path / "missing.ndjson"
    r = dry_run(str(a), str(missing))
    assert r.rc == 1, r
    assert problems(r.err) == [f"sr-load: {missing}: No such file or directory"], r.err


def test_a_bad_header_in_a_later_csv_input_stops_the_load(emu, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("id,name,qty\n1,a,1\n2,b,1\n")
    b.write_text("id,,qty\n3,c,1\n")
    r = run(sr_load_cmd(emu, str(a), str(b)))
    assert r.rc == 1, r
    assert problems(r.err) == [f"sr-load: {b}:1: bad CSV header: header field 2 is empty (every "
                               f"column needs a name)"], r.err
    assert emu.rows() == []  # the run failed: its checkpoint was never taken
