"""Input → rows, without a server (--dry-run prints what sr-load would write, with "__op")."""
import json
import os
import subprocess

from conftest import SR_LOAD, checksum


def dry(args, input_text):
    p = subprocess.run([SR_LOAD, "--dry-run", "--table", "shop.orders"] + args, input=input_text,
                       capture_output=True, text=True, timeout=60)
    return p.returncode, [json.loads(l) for l in p.stdout.splitlines()], p.stderr


def test_ndjson_rows_pass_through_and_the_op_field_becomes_the_op():
    rc, rows, err = dry([], '{"id":1,"price":12.50,"__op":0}\n\n'
                            '{"id":2,"__op":"delete"}\n{"id":3,"__op":1}\n{"id":4,"__op":"upsert"}\n'
                            '{"id":5,"__op":true}\n')
    assert rc == 0, err
    assert [r["__op"] for r in rows] == [0, 1, 1, 0, 1]
    assert rows[0] == {"id": 1, "price": 12.5, "__op": 0}


def test_ndjson_numbers_keep_their_exact_text():
    p = subprocess.run([SR_LOAD, "--dry-run", "--table", "s.t"], input='{"id":1,"price":12.50}\n',
                       capture_output=True, text=True)
    assert p.stdout == '{"id":1,"price":12.50,"__op":0}\n'


def test_a_custom_op_field_is_removed_from_the_row():
    rc, rows, err = dry(["--op-field", "kind", "--columns", "id,name"],
                        '{"id":1,"name":"a","kind":"delete"}\n')
    assert rc == 0, err
    assert rows == [{"id": 1, "name": "a", "__op": 1}]


def test_csv_values_become_json_strings_with_rfc4180_quoting():
    text = ('id,name,note,__op\n'
            '1,"a,b","say ""hi""",0\n'
            '2,"multi\nline",,delete\n'
            '3,"",\\N,1\n'
            '4,é,tab\there,\n')
    rc, rows, err = dry(["--format", "csv"], text)
    assert rc == 0, err
    assert rows == [
        {"id": "1", "name": "a,b", "note": 'say "hi"', "__op": 0},
        {"id": "2", "name": "multi\nline", "note": None, "__op": 1},
        {"id": "3", "name": "", "note": None, "__op": 1},
        {"id": "4", "name": "é", "note": "tab\there", "__op": 0},
    ]


def test_a_malformed_ndjson_row_names_its_file_and_line(tmp_path):
    f = tmp_path / "in.ndjson"
    f.write_text('{"id":1}\n{"id":2}\n\n{"id":3,\n')
    p = subprocess.run([SR_LOAD, "--dry-run", "--table", "s.t", str(f)], capture_output=True,
                       text=True)
    assert p.returncode != 0
    assert f"{f}:4: not a valid JSON object" in p.stderr


def test_a_key_outside_the_columns_is_an_error_naming_the_line():
    rc, _, err = dry(["--columns", "id,name"], '{"id":1,"name":"x"}\n{"id":2,"nmae":"y"}\n')
    assert rc != 0
    assert "<stdin>:2: key `nmae` is not among the columns (id, name)" in err


def test_a_csv_row_with_the_wrong_number_of_fields_names_its_line():
    rc, _, err = dry(["--format", "csv"], 'id,name\n1,a\n2,b,c\n')
    assert rc != 0
    assert "<stdin>:3: 3 fields, but the header has 2" in err


def test_an_unknown_op_value_is_an_error():
    rc, _, err = dry([], '{"id":1,"__op":"merge"}\n')
    assert rc != 0 and "<stdin>:1: op field `__op`" in err


def test_the_demo_checksum_agrees_between_generator_c_tool_and_python(tmp_path):
    gen, tool = os.environ["SR_LOAD_GEN"], os.environ["SR_LOAD_CHECKSUM"]
    data, exp = tmp_path / "o.ndjson", tmp_path / "e.json"
    subprocess.run([gen, "--orders", "3000", "--seed", "5", "--out", str(data), "--expected",
                    str(exp)], check=True, capture_output=True)
    expected = json.loads(exp.read_text())
    table = {}
    with open(data) as f:
        for line in f:
            r = json.loads(line)
            if r.get("__op") == 1:
                del table[r["order_id"]]
            else:
                table[r["order_id"]] = line
    final = tmp_path / "final.ndjson"
    final.write_text("".join(table.values()))
    py = checksum.of_lines(open(final))
    c = json.loads(subprocess.run([tool, str(final)], check=True, capture_output=True,
                                  text=True).stdout)
    assert expected["rows"] == len(table) == py[0] == c["rows"]
    assert expected["checksum"] == py[1] == c["checksum"]
    assert expected["deletes"] > 0 and expected["input_rows"] > expected["rows"]
    # Deterministic for a seed.
    data2, exp2 = tmp_path / "o2.ndjson", tmp_path / "e2.json"
    subprocess.run([gen, "--orders", "3000", "--seed", "5", "--out", str(data2), "--expected",
                    str(exp2)], check=True, capture_output=True)
    assert data.read_bytes() == data2.read_bytes()
