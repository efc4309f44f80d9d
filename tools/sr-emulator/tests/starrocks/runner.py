"""Runs StarRocks SQL-tester result files (`test/sql/**/R/*`) against the sr-emulator.

A corpus file is a transcription of one StarRocks `R/` file (or of some of its cases): cases start
with `-- name: <case>`; each statement is followed by `-- result:` ... `-- !result` holding what
StarRocks answered. The runner understands the statements a Stream Load case needs:

* `create database` / `use` / `drop database` / `drop table`, `sync`, `show backends` (no-ops or
  catalog bookkeeping);
* `CREATE TABLE` → `POST /_emulator/tables` (columns, NULL/NOT NULL, DEFAULT, key kind);
* `insert into t [(cols)] values (...), ...` → a seed Stream Load (CSV, `columns` header) of
  those rows, since the emulator has no SQL INSERT;
* `shell: curl ...` → run through bash with `${url}`, `${uuid0}` and the data paths rewritten;
  the expected output is compared as the SQL-tester does: first line the exit code, then the
  output; a JSON object reply is compared on the keys the expected object names;
* `select <cols|*|count(*)> from [db.]t [order by ...]` → the dump endpoint, printed the way the
  tester prints MySQL rows (tab-separated, NULL as `None`); without `order by` rows are compared
  as a multiset;
* `function: wait_db_transaction_finish(db, s)` → advances the emulated clock by `s` seconds;
  `function: get_transaction_meta(db, label, sep, fields...)` → the label's state from
  `get_load_state` and `/_emulator/stats`.

`[UC]` statements run but their result is not compared; the statements of a `CONCURRENCY { ... }`
block run in parallel threads; `select sleep(n)` advances the emulated clock by n seconds.
Anything else raises `Unsupported`, so a case the emulator cannot express is never passed silently.
"""
import concurrent.futures
import json
import os
import re
import subprocess
import urllib.error
import urllib.request
from decimal import Decimal, ROUND_HALF_UP

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = os.path.join(HERE, "data")


class Unsupported(Exception):
    """A statement the runner (or the emulator) cannot express."""


class Mismatch(AssertionError):
    pass


# ---------------------------------------------------------------- parsing the R format

class Stmt:
    def __init__(self, text, expected, line, unchecked, group=None):
        self.group = group  # CONCURRENCY block number: the block's statements run in parallel
        self.text = text
        self.expected = expected  # list of lines, or None when the statement has no result block
        self.line = line
        self.unchecked = unchecked

    def __repr__(self):
        return "line %d: %s" % (self.line, self.text.split("\n")[0][:100])


def _split_sql(text):
    """Splits accumulated text at statement ends (a line ending with ';')."""
    out, cur = [], []
    for ln in text.split("\n"):
        cur.append(ln)
        if ln.rstrip().endswith(";"):
            out.append("\n".join(cur).strip())
            cur = []
    rest = "\n".join(cur).strip()
    if rest:
        out.append(rest)
    return out


def parse_cases(path):
    """Returns [(case_name, [Stmt])] of one corpus file."""
    cases = []
    stmts = None
    pending, pending_line = [], 0
    in_result, result = False, []
    group, groups = None, 0
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for no, raw in enumerate(lines, 1):
        line = raw.rstrip("\r")
        if in_result:
            if line.strip() == "-- !result":
                in_result = False
                text = "\n".join(pending).strip()
                parts = _split_sql(text) if not text.lstrip("[UC]").startswith("shell:") else [text]
                for p in parts[:-1]:
                    stmts.append(Stmt(p, None, pending_line, False))
                last = parts[-1] if parts else ""
                unchecked = last.startswith("[UC]")
                if unchecked:
                    last = last[4:]
                stmts.append(Stmt(last, result, pending_line, unchecked, group))
                pending, result = [], []
            else:
                result.append(line)
            continue
        m = re.match(r"^-- name: (\S+)", line)
        if m:
            stmts = []
            cases.append((m.group(1), stmts))
            pending = []
            continue
        if stmts is None:
            continue  # header comments of the corpus file
        if line.strip() == "-- result:":
            in_result = True
            continue
        stripped = line.strip()
        if stripped == "CONCURRENCY {":
            groups += 1
            group = groups
            continue
        if stripped == "} END CONCURRENCY":
            group = None
            continue
        if stripped.startswith("-- "):
            continue
        if stripped == "" and not pending:
            continue
        if not pending:
            pending_line = no
        pending.append(line)
    if pending and stmts is not None:
        text = "\n".join(pending).strip()
        for p in _split_sql(text):
            stmts.append(Stmt(p, None, pending_line, False))
    return cases


# ---------------------------------------------------------------- DDL

_KEY_KINDS = {"PRIMARY": "PRIMARY_KEYS", "DUPLICATE": "DUP_KEYS", "UNIQUE": "UNIQUE_KEYS", "AGGREGATE": "AGG_KEYS"}


def _split_top(text, sep=","):
    """Splits at `sep` outside parentheses, angle brackets and quotes."""
    out, depth, cur, quote = [], 0, [], None
    for ch in text:
        if quote:
            cur.append(ch)
            if ch == quote:
                quote = None
            continue
        if ch in "'\"`":
            quote = ch
        elif ch in "(<":
            depth += 1
        elif ch in ")>":
            depth -= 1
        elif ch == sep and depth == 0:
            out.append("".join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    if "".join(cur).strip():
        out.append("".join(cur).strip())
    return out


def _ident(s):
    return s.strip().strip("`")


def parse_create_table(sql, current_db):
    m = re.match(r"(?is)^\s*create\s+table\s+(if\s+not\s+exists\s+)?([`\w.]+)\s*\((.*)$", sql)
    if not m:
        raise Unsupported("CREATE TABLE form: " + sql[:80])
    name = _ident(m.group(2))
    db = current_db
    if "." in name:
        db, name = [_ident(x) for x in name.split(".", 1)]
    rest = m.group(3)
    depth, end = 1, None
    quote = None
    for i, ch in enumerate(rest):
        if quote:
            if ch == quote:
                quote = None
            continue
        if ch in "'\"`":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                end = i
                break
    body, tail = rest[:end], rest[end + 1:]
    columns = []
    for item in _split_top(body):
        if re.match(r"(?i)^(index|key|primary|constraint)\b", item):
            raise Unsupported("index/constraint in column list: " + item[:60])
        cm = re.match(r"(?is)^(`[^`]+`|\w+)\s+(.*)$", item)
        if not cm:
            raise Unsupported("column definition: " + item)
        cname, spec = _ident(cm.group(1)), cm.group(2)
        spec = re.sub(r"(?is)\s+comment\s+(\"[^\"]*\"|'[^']*')", "", spec)
        tm = re.match(r"(?is)^(\w+\s*(\([^)]*\))?(<.*>)?)", spec)
        ctype = re.sub(r"\s+", "", tm.group(1)) if tm else spec
        after = spec[tm.end():] if tm else ""
        if re.search(r"(?i)auto_increment|as\s*\(", after):
            raise Unsupported("AUTO_INCREMENT / generated column " + cname)
        col = {"name": cname, "type": ctype}
        col["nullable"] = not re.search(r"(?i)\bnot\s+null\b", after)
        dm = re.search(r"(?is)\bdefault\s+(\"[^\"]*\"|'[^']*'|current_timestamp|[-\w.]+)", after)
        if dm:
            dv = dm.group(1)
            if dv.lower() == "current_timestamp":
                raise Unsupported("DEFAULT CURRENT_TIMESTAMP (column %s)" % cname)
            if dv[0] in "'\"":
                dv = dv[1:-1]
            if dv.upper() != "NULL":
                col["default"] = dv
        columns.append(col)
    keys_type, key_cols = "DUP_KEYS", None
    km = re.search(r"(?is)\b(primary|duplicate|unique|aggregate)\s+key\s*\(([^)]*)\)", tail)
    if km:
        keys_type = _KEY_KINDS[km.group(1).upper()]
        key_cols = [_ident(k) for k in km.group(2).split(",")]
    # A sort key (ORDER BY) only orders storage; the emulator keeps rows by key. Column-mode partial
    # update's refusal on sort-key columns is not emulated (README deviations).
    if re.search(r"(?i)aggregate\s+key", tail):
        raise Unsupported("aggregate tables (the emulator keeps the last value)")
    if key_cols is None:
        # StarRocks' default: a duplicate key of the leading columns (up to 3, stopping at the first
        # string type after the first column); only the sort order depends on it here.
        key_cols = [columns[0]["name"]]
    by_name = {c["name"].lower(): c for c in columns}
    for k in key_cols:
        if k.lower() not in by_name:
            raise Unsupported("key column %s not in table" % k)
        by_name[k.lower()]["key"] = True
        if keys_type == "PRIMARY_KEYS":
            by_name[k.lower()]["nullable"] = False
    ordered = [by_name[k.lower()] for k in key_cols] + [c for c in columns if not c.get("key")]
    if [c["name"] for c in ordered] != [c["name"] for c in columns]:
        raise Unsupported("key columns that are not the leading columns")
    return db, name, {"db": db, "table": name, "keys_type": keys_type, "columns": columns}


def _parse_values(text):
    """`(1,'a'),(2,"b")` → [[...], ...] of Python values (None for NULL)."""
    rows = []
    for tup in re.finditer(r"\(((?:[^()'\"]|'[^']*'|\"[^\"]*\")*)\)", text):
        vals = []
        for v in _split_top(tup.group(1)):
            if v.upper() == "NULL":
                vals.append(None)
            elif v[:1] in "'\"":
                vals.append(v[1:-1])
            else:
                vals.append(v)
        rows.append(vals)
    return rows


# ---------------------------------------------------------------- the runner

class CorpusRunner:
    def __init__(self, emu, uuid):
        self.emu = emu
        self.uuid = uuid
        self.db = "test_db_" + uuid  # the SQL-tester's default database when a case has no `use`
        self.tables = {}  # (db, table) -> schema dict
        self.seed = 0

    # -- substitution
    def subst(self, text):
        text = text.replace("${uuid0}", self.uuid)
        text = text.replace("${url}", "http://127.0.0.1:%d" % self.emu.fe_port)
        text = re.sub(r"\$\{root_path\}/lib/\.\./common/data/stream_load/", DATA_DIR + "/", text)
        text = re.sub(r"\$\{root_path\}/sql/[\w/]*?/data/", DATA_DIR + "/", text)
        if "${" in text:
            raise Unsupported("unknown substitution in: " + text[:120])
        return text

    def run_case(self, stmts):
        i = 0
        while i < len(stmts):
            st = stmts[i]
            if st.group is None:
                self.run_checked(st)
                i += 1
                continue
            block = [x for x in stmts[i:] if x.group == st.group]
            with concurrent.futures.ThreadPoolExecutor(len(block)) as pool:
                for f in [pool.submit(self.run_checked, x) for x in block]:
                    f.result()
            i += len(block)

    def run_checked(self, st):
        try:
            self.run(st)
        except Mismatch as e:
            raise Mismatch("%r\n%s" % (st, e)) from None

    def run(self, st):
        text = self.subst(st.text).strip()
        low = text.lower()
        if text.startswith("shell:"):
            return self.shell(st, text[len("shell:"):].strip())
        if text.startswith("function:"):
            return self.function(st, text[len("function:"):].strip())
        if re.match(r"^(sync|show backends)\s*;?$", low) or low.startswith("admin set frontend config"):
            return self.expect_empty(st, [])
        m = re.match(r"^create\s+database\s+(if\s+not\s+exists\s+)?([`\w]+)\s*;?$", low)
        if m:
            return self.expect_empty(st, [])
        m = re.match(r"^use\s+([`\w]+)\s*;?$", text, re.I)
        if m:
            self.db = _ident(m.group(1))
            return self.expect_empty(st, [])
        m = re.match(r"^drop\s+database\s+(if\s+exists\s+)?([`\w]+)(\s+force)?\s*;?$", text, re.I)
        if m:
            db = _ident(m.group(2))
            for (d, t) in list(self.tables):
                if d == db:
                    self.emu.admin("DELETE", "/_emulator/tables/%s/%s" % (d, t))
                    del self.tables[(d, t)]
            return self.expect_empty(st, [])
        m = re.match(r"^drop\s+table\s+(if\s+exists\s+)?([`\w.]+)(\s+force)?\s*;?$", text, re.I)
        if m:
            db, t = self.qualify(m.group(2))
            self.emu.admin("DELETE", "/_emulator/tables/%s/%s" % (db, t))
            self.tables.pop((db, t), None)
            return self.expect_empty(st, [])
        if re.match(r"(?is)^create\s+table", text):
            db, name, body = parse_create_table(text.rstrip(";"), self.db)
            code, reply = self.emu.admin("POST", "/_emulator/tables", body)
            if code != 200:
                raise Unsupported("the emulator refused the table: " + reply)
            self.tables[(db, name)] = body
            return self.expect_empty(st, [])
        if re.match(r"(?is)^insert\s+into", text):
            return self.insert(st, text)
        m = re.match(r"(?is)^select\s+sleep\((\d+)\)\s*;?$", text)
        if m:
            # The emulated clock stands in for waiting (merge windows, delayed publishes).
            self.emu.advance(int(m.group(1)))
            self.emu.stats()
            return self.check_lines(st, ["1"], ordered=True)
        if re.match(r"(?is)^select\b", text):
            return self.select(st, text)
        raise Unsupported("statement: " + text.split("\n")[0][:100])

    def qualify(self, name):
        name = _ident(name)
        if "." in name:
            db, t = [_ident(x) for x in name.split(".", 1)]
            return db, t
        return self.db, name

    def expect_empty(self, st, got):
        if st.expected is None or st.unchecked:
            return
        exp = [l for l in st.expected if l.strip() != "" and l.strip() != "[]"]
        if exp != got:
            raise Mismatch("expected %r, got %r" % (exp, got))

    # -- insert: a seed Stream Load
    def insert(self, st, text):
        m = re.match(r"(?is)^insert\s+into\s+([`\w.]+)\s*(\(([^)]*)\))?\s*values\s*(.*?);?\s*$", text)
        if not m:
            raise Unsupported("INSERT form: " + text[:80])
        db, t = self.qualify(m.group(1))
        schema = self.tables.get((db, t))
        if schema is None:
            raise Unsupported("INSERT into a table the corpus did not create")
        cols = [_ident(c) for c in m.group(3).split(",")] if m.group(3) else [c["name"] for c in schema["columns"]]
        rows = _parse_values(m.group(4))
        lines = []
        for r in rows:
            if len(r) != len(cols):
                raise Unsupported("INSERT row arity")
            lines.append("\x01".join("\\N" if v is None else v for v in r))
        self.seed += 1
        body = self.emu.write("seed.csv", "\n".join(lines) + "\n")
        code, reply = self.emu.curl(
            "--location-trusted", "-u", "root:", "-H", "Expect:100-continue",
            "-H", "label:corpus_seed_%s_%d" % (self.uuid, self.seed), "-H", "column_separator:\\x01",
            "-H", "columns:" + ",".join("`%s`" % c for c in cols), "-T", str(body),
            self.emu.fe("/api/%s/%s/_stream_load" % (db, t)))
        if code != 200 or '"Success"' not in reply:
            raise Mismatch("seeding INSERT through Stream Load failed: " + reply)
        self.expect_empty(st, [])

    # -- shell: curl
    def shell(self, st, cmd):
        if "mysql_cmd" in cmd:
            raise Unsupported("shell step needs the MySQL client")
        out = subprocess.run(["bash", "-c", cmd], capture_output=True, timeout=120)
        got_code = str(out.returncode)
        got = out.stdout.decode(errors="replace")
        if st.expected is None or st.unchecked:
            return
        exp = list(st.expected)
        while exp and exp[-1].strip() == "":
            exp.pop()
        if not exp:
            return
        if exp[0].strip() != got_code:
            raise Mismatch("exit code %s, expected %s; output %r" % (got_code, exp[0], got))
        exp_text = "\n".join(exp[1:]).strip()
        got_text = got.strip()
        if exp_text.startswith("{"):
            try:
                want = json.loads(exp_text)
                have = json.loads(got_text)
            except ValueError:
                raise Mismatch("expected JSON %s, got %r" % (exp_text, got_text)) from None
            for k, v in want.items():
                if have.get(k) != v:
                    raise Mismatch("%s: expected %r, got %r (reply %s)" % (k, v, have.get(k), got_text))
        elif exp_text != got_text:
            raise Mismatch("expected %r, got %r" % (exp_text, got_text))

    # -- function:
    def function(self, st, call):
        m = re.match(r"^(\w+)\((.*)\)\s*$", call, re.S)
        if not m:
            raise Unsupported("function form: " + call)
        name, args = m.group(1), [a.strip().strip("\"'") for a in _split_top(m.group(2))]
        if name == "wait_db_transaction_finish":
            # StarRocks waits up to N real seconds for the db's transactions to end; the emulator's
            # clock is advanced by the same amount (timeouts fire, delayed publishes finish).
            self.emu.advance(int(args[1]))
            self.emu.stats()  # any request evaluates the timers
            return self.check_lines(st, ["None"], ordered=True)
        if name == "get_transaction_meta":
            db, label, sep, fields = args[0], args[1], args[2], args[3:]
            state = self.emu.load_state(label, db=db)
            info = self.emu.label_stats(label, db=db) or {}
            vals = []
            for f in fields:
                if f == "TransactionStatus":
                    vals.append(state.get("state", ""))
                elif f == "Reason":
                    vals.append(state.get("reason", "") or "")
                elif f == "PreparedTimeoutMs":
                    if "prepared_timeout_ms" not in info:
                        raise Unsupported("PreparedTimeoutMs")
                    vals.append(str(info["prepared_timeout_ms"]))
                else:
                    raise Unsupported("transaction meta field " + f)
            return self.check_lines(st, [sep.join(vals)], ordered=True)
        raise Unsupported("function " + name)

    # -- select
    def select(self, st, text):
        m = re.match(r"(?is)^select\s+(.*?)\s+from\s+([`\w.]+)\s*(where\s+(.*?))?\s*(order\s+by\s+(.*?))?\s*;?\s*$",
                     text)
        if not m:
            raise Unsupported("SELECT form: " + text[:80])
        items, (db, t) = m.group(1), self.qualify(m.group(2))
        where, order = m.group(4), m.group(6)
        schema = self.tables.get((db, t))
        if schema is None:
            raise Unsupported("SELECT from a table the corpus did not create")
        rows = self.emu.rows(db, t)
        if where:
            rows = [r for r in rows if self.where(where, r)]
        if re.match(r"(?i)^count\((\*|1)\)$", items.strip()):
            return self.check_lines(st, [str(len(rows))], ordered=True)
        types = {c["name"].lower(): c["type"] for c in schema["columns"]}
        names = {c["name"].lower(): c["name"] for c in schema["columns"]}
        if items.strip() == "*":
            cols = [c["name"] for c in schema["columns"]]
        else:
            cols = []
            for it in _split_top(items):
                if _ident(it).lower() not in names:
                    raise Unsupported("select item " + it)
                cols.append(names[_ident(it).lower()])
        lines = ["\t".join(fmt_value(r.get(c), types[c.lower()]) for c in cols) for r in rows]
        self.check_lines(st, lines, ordered=bool(order))

    def where(self, cond, row):
        m = re.match(r"(?is)^'\w+'\s+is\s+not\s+null$", cond.strip())
        if m:
            return True  # a string constant is never NULL
        m = re.match(r"(?is)^`?(\w+)`?\s*=\s*(\"[^\"]*\"|'[^']*'|-?\d+)$", cond.strip())
        if m:
            v = m.group(2).strip("\"'")
            cell = row.get(m.group(1))
            return cell is not None and str(cell) == v
        raise Unsupported("WHERE " + cond)

    def check_lines(self, st, got, ordered):
        if st.expected is None or st.unchecked:
            return
        exp = [l for l in st.expected if l != ""]
        regex = any(l.startswith("[REGEX]") for l in exp)
        if regex:
            if len(exp) != len(got):
                raise Mismatch("expected %d rows, got %r" % (len(exp), got))
            for e, g in zip(exp, got):
                if not re.match(e[len("[REGEX]"):], g):
                    raise Mismatch("row %r does not match %r" % (g, e))
            return
        if ordered:
            ok = exp == got
        else:
            ok = sorted(exp) == sorted(got)
        if not ok:
            raise Mismatch("expected rows\n  %s\ngot\n  %s" % ("\n  ".join(exp), "\n  ".join(got)))


def fmt_value(v, type_text):
    """A dump value printed as the SQL-tester prints a MySQL result cell."""
    t = type_text.lower()
    if v is None:
        return "None"
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, (dict, list)):
        if t.startswith("json"):
            return json.dumps(v, separators=(", ", ": "), ensure_ascii=False)
        return json.dumps(v, separators=(",", ":"), ensure_ascii=False)
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    return str(v)
