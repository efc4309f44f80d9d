//! The binding conformance scenarios (tests/conformance/SCENARIOS.md), each against a fresh real
//! sr-emulator process. Test names carry the scenario ids.
mod support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use sr_sink::{
    Batch, Code, Connector, Credentials, CredentialsError, CredentialsRequest, Error, ExecutionMode,
    LogLevel, Op, OpenParams, RejectedRow, RejectedRowError, Sink, Value,
};
use sr_sink_sys as sys;
use support::{contains_ci, Emulator, Json};

const R1: &str = r#"{"id":1,"name":"alice","amount":"10.50"}"#;
const R2: &str = r#"{"id":2,"name":"bob","amount":"20.00"}"#;
const R3: &str = r#"{"id":3,"name":"carol","amount":"30.25"}"#;
const R2B: &str = r#"{"id":2,"name":"bobby","amount":"21.00"}"#;
const D1: &str = r#"{"id":1}"#;
const R1_DUMP: &str = r#"{"id":1,"name":"alice","amount":10.50}"#;
const R2_DUMP: &str = r#"{"id":2,"name":"bob","amount":20.00}"#;
const R3_DUMP: &str = r#"{"id":3,"name":"carol","amount":30.25}"#;
const ORDER_COLUMNS: &[&str] = &["id", "name", "amount"];
const WATERMARK: &str = "on_watermark";
const CHECKPOINT: &str = "on_checkpoint";

fn root(_: &CredentialsRequest<'_>) -> Result<Credentials, CredentialsError> {
    Ok(Credentials::new("root", ""))
}

fn connector(emu: &Emulator, mode: &str) -> Connector {
    let c = Connector::new().expect("connector");
    c.add_sink("shop.*", &emu.opts(mode), root).expect("add_sink");
    c
}

fn open_orders(c: &Connector) -> Sink {
    c.open(&OpenParams::new("shop.orders", ORDER_COLUMNS)).expect("open shop.orders")
}

fn open_orders_as(c: &Connector, instance: &str, token: Option<&[u8]>) -> Result<Sink, Error> {
    let mut p = OpenParams::new("shop.orders", ORDER_COLUMNS).instance_id(instance);
    if let Some(t) = token {
        p = p.restore_token(t);
    }
    c.open(&p)
}

fn lines(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn expect_err<T: std::fmt::Debug>(r: Result<T, Error>, code: Code) -> Error {
    match r {
        Ok(v) => panic!("expected {:?}, got Ok({:?})", code, v),
        Err(e) => {
            assert_eq!(e.code(), code, "unexpected error: {}", e);
            e
        }
    }
}

/// Transaction labels of db `shop` as (label, state, commits).
fn txn_labels(emu: &Emulator) -> Vec<(String, String, u64)> {
    emu.labels("shop")
        .into_iter()
        .filter(|(_, info)| info.get("kind").str() == "transaction")
        .map(|(l, info)| (l, info.get("state").str().to_string(), info.get("commits").u64()))
        .collect()
}

fn label_info(emu: &Emulator, label: &str) -> Json {
    emu.stats().get("labels").get("shop").get(label).clone()
}

// ---- C01 ---------------------------------------------------------------------------------------

#[test]
fn c01_version_and_names() {
    assert_eq!(sr_sink::library_abi_version() >> 16, 1);
    assert_eq!(sr_sink::ABI_VERSION >> 16, 1);
    let v = sr_sink::version();
    let parts: Vec<&str> = v.splitn(3, '.').collect();
    assert!(
        parts.len() == 3
            && !parts[0].is_empty()
            && parts[0].chars().all(|c| c.is_ascii_digit())
            && !parts[1].is_empty()
            && parts[1].chars().all(|c| c.is_ascii_digit())
            && parts[2].chars().next().map_or(false, |c| c.is_ascii_digit()),
        "version {:?} is not d.d.d",
        v
    );
    assert_eq!(sr_sink::status_name(0), "SR_SINK_OK");
    assert_eq!(sr_sink::status_name(2), "SR_SINK_E_CONFIG");
    assert_eq!(sr_sink::status_name(3), "SR_SINK_E_NO_ROUTE");
    assert_eq!(sr_sink::status_name(18), "SR_SINK_E_INTERNAL");
    assert_eq!(sr_sink::status_name(999), "SR_SINK_E_UNKNOWN");
    assert_eq!(Code::Config.name(), "SR_SINK_E_CONFIG");
    assert!(!sr_sink::build_info().is_empty());

    // The process runs the library the build produced (ctest names its directory).
    if let Ok(dir) = std::env::var("SR_SINK_LIBRARY_DIR") {
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
        let loaded: Vec<&str> = maps
            .lines()
            .filter_map(|l| l.split_whitespace().nth(5))
            .filter(|p| p.contains("libsr_sink"))
            .collect();
        let dir = std::fs::canonicalize(dir).unwrap();
        assert!(
            loaded.iter().any(|p| std::path::Path::new(p).parent().map(|d| d == dir).unwrap_or(false)),
            "libsr_sink loaded from {:?}, not from {}",
            loaded,
            dir.display()
        );
    }
}

// ---- C02 ---------------------------------------------------------------------------------------

#[test]
fn c02_abi_major_refusal() {
    let mut vt = std::mem::MaybeUninit::<sys::sr_sink_vtable>::zeroed();
    let status = unsafe {
        sys::sr_sink_get_vtable(2 << 16, vt.as_mut_ptr(), std::mem::size_of::<sys::sr_sink_vtable>())
    };
    assert_eq!(status, sys::SR_SINK_E_VERSION);

    // The matching version fills every 1.0 slot.
    let mut vt = std::mem::MaybeUninit::<sys::sr_sink_vtable>::zeroed();
    let size = std::mem::size_of::<sys::sr_sink_vtable>();
    assert_eq!(unsafe { sys::sr_sink_get_vtable(sys::SR_SINK_ABI_VERSION, vt.as_mut_ptr(), size) }, 0);
    let vt = unsafe { vt.assume_init() };
    assert_eq!(vt.abi_version >> 16, 1);
    // A library fills the table it has: all of ours from ABI 1.1 on, the 1.0 part before.
    if vt.abi_version & 0xffff >= 1 {
        assert_eq!(vt.struct_size as usize, size);
    } else {
        assert_eq!(vt.struct_size as usize, sys::SR_SINK_VTABLE_1_0_SIZE);
    }
    assert!(vt.abi_version_fn.is_some() && vt.connector_new.is_some() && vt.open.is_some());
    assert!(vt.write.is_some() && vt.on_checkpoint.is_some() && vt.commit.is_some());
    assert!(vt.abort.is_some() && vt.cancel.is_some() && vt.close.is_some() && vt.get_stats.is_some());

    let (check, created) = sr_sink::test_hooks::with_library_abi_version(2 << 16, || {
        (sr_sink::check_abi(), Connector::new().map(|_| ()))
    });
    let err = expect_err(check, Code::Version);
    let msg = err.message();
    assert!(msg.contains('1') && msg.contains('2') && contains_ci(msg, "major"), "{}", msg);
    expect_err(created, Code::Version);
    // Outside the hook the real library is accepted.
    sr_sink::check_abi().expect("the loaded library is ABI 1");
}

// ---- C03 ---------------------------------------------------------------------------------------

#[test]
fn c03_bad_options_name_the_key() {
    let emu = Emulator::start();
    let c = Connector::new().unwrap();
    let cases: Vec<(String, Option<&str>)> = vec![
        (emu.opts_with(WATERMARK, r#""batch_max_rows":-1"#), Some("batch_max_rows")),
        (emu.opts_with(WATERMARK, r#""http_urls":"x""#), Some("http_urls")),
        (r#"{"execution_mode":"on_watermark"}"#.to_string(), Some("http_url")),
        (emu.opts("sometimes"), Some("execution_mode")),
        ("not json".to_string(), None),
    ];
    for (opts, key) in cases {
        let err = expect_err(c.add_sink("shop.*", &opts, root), Code::Config);
        if let Some(key) = key {
            assert!(err.message().contains(key), "{} does not name {}", err, key);
        }
    }
    expect_err(c.open(&OpenParams::new("shop.orders", ORDER_COLUMNS)), Code::NoRoute);
}

// ---- C04 ---------------------------------------------------------------------------------------

#[test]
fn c04_no_route_and_first_glob_wins() {
    let emu = Emulator::start();
    let c = connector(&emu, WATERMARK);
    let err = expect_err(c.open(&OpenParams::new("other.t", &["id"])), Code::NoRoute);
    assert!(err.message().contains("other.t"), "{}", err);

    let c2 = Connector::new().unwrap();
    c2.add_sink("shop.orders", &emu.opts(WATERMARK), root).unwrap();
    let dead = r#"{"http_url":"http://127.0.0.1:1","execution_mode":"on_watermark","label_prefix":"conf","max_retries":2,"retry_backoff_ms":10}"#;
    c2.add_sink("*", dead, root).unwrap();
    let mut sink = open_orders(&c2);
    sink.close().unwrap();
}

// ---- C05 ---------------------------------------------------------------------------------------

#[test]
fn c05_schema_errors_at_open() {
    let emu = Emulator::start();
    let c = connector(&emu, WATERMARK);
    let err = expect_err(c.open(&OpenParams::new("shop.events", &["id", "payload"])), Code::Schema);
    assert!(err.message().contains("shop.events") && contains_ci(err.message(), "primary key"), "{}", err);
    let err = expect_err(c.open(&OpenParams::new("shop.missing", &["id"])), Code::Schema);
    assert!(err.message().contains("shop.missing"), "{}", err);
    let err = expect_err(c.open(&OpenParams::new("shop.orders", &["id", "name", "nosuch"])), Code::Schema);
    assert!(err.message().contains("nosuch"), "{}", err);
    let err = expect_err(c.open(&OpenParams::new("shop.orders", &["name", "amount"])), Code::Schema);
    assert!(err.message().contains("id"), "{}", err);
}

// ---- C06 ---------------------------------------------------------------------------------------

fn native_order(id: i64, name: &str, amount: &str) -> [(&'static str, Value); 3] {
    [("id", Value::from(id)), ("name", Value::from(name)), ("amount", Value::from(amount))]
}

#[test]
fn c06_upserts_and_deletes_land() {
    let emu = Emulator::start();
    let c = connector(&emu, WATERMARK);
    let mut sink = open_orders(&c);
    sink.upsert(&[
        native_order(1, "alice", "10.50"),
        native_order(2, "bob", "20.00"),
        native_order(3, "carol", "30.25"),
    ])
    .unwrap();
    sink.on_watermark(1).unwrap();
    sink.write_rows(&[R2B, D1], &[Op::Upsert, Op::Delete]).unwrap();
    sink.on_watermark(2).unwrap();
    assert_eq!(emu.dump("shop", "orders"), lines(&[r#"{"id":2,"name":"bobby","amount":21.00}"#, R3_DUMP]));

    let mut customers = c.open(&OpenParams::new("shop.customers", &["region", "id", "name", "vip"])).unwrap();
    let mut batch = Batch::new();
    batch
        .upsert(&[
            ("region", Value::from("eu")),
            ("id", Value::from(1)),
            ("name", Value::from("x")),
            ("vip", Value::from(true)),
        ])
        .upsert(r#"{"region":"us","id":1,"name":"y","vip":false}"#)
        .delete(&[("region", Value::from("eu")), ("id", Value::from(1))]);
    customers.write(&batch).unwrap();
    customers.on_watermark(3).unwrap();
    assert_eq!(emu.dump("shop", "customers"), lines(&[r#"{"region":"us","id":1,"name":"y","vip":false}"#]));
}

// ---- C07 ---------------------------------------------------------------------------------------

#[test]
fn c07_on_watermark_visibility() {
    let emu = Emulator::start();
    let c = connector(&emu, WATERMARK);
    let mut sink = open_orders(&c);
    sink.upsert(&[R1]).unwrap();
    assert!(emu.dump("shop", "orders").is_empty(), "visible before the watermark");
    sink.on_watermark(10).unwrap();
    assert_eq!(emu.dump("shop", "orders"), lines(&[R1_DUMP]));

    let loads_before = emu.stats().get("tables").get("shop.orders").get("loads").u64();
    sink.on_watermark(11).unwrap();
    assert_eq!(emu.stats().get("tables").get("shop.orders").get("loads").u64(), loads_before);

    let labels: Vec<(String, Json)> =
        emu.labels("shop").into_iter().filter(|(_, i)| i.get("kind").str() == "stream_load").collect();
    assert!(!labels.is_empty(), "no stream_load label");
    for (label, info) in &labels {
        assert!(label.starts_with("conf-"), "label {}", label);
        assert_eq!(info.get("state").str(), "VISIBLE", "label {}", label);
        assert_eq!(info.get("commits").u64(), 1, "label {}", label);
    }
    let stats = sink.stats().unwrap();
    assert_eq!(stats.rows_written, 1);
    assert!(stats.loads >= 1);
    assert_eq!(stats.rows_loaded, 1);
}

// ---- C08 ---------------------------------------------------------------------------------------

#[test]
fn c08_on_checkpoint_token_commit_visible() {
    let emu = Emulator::start();
    let c = connector(&emu, CHECKPOINT);
    let mut sink = open_orders_as(&c, "conf/c08/0", None).unwrap();
    sink.upsert(&[R1, R2]).unwrap();
    let token = sink.on_checkpoint(1).unwrap();
    assert!(!token.as_bytes().is_empty());
    assert!(emu.dump("shop", "orders").is_empty(), "visible before commit");
    let prepared = txn_labels(&emu);
    assert_eq!(prepared.len(), 1, "{:?}", prepared);
    let (l1, state, _) = prepared[0].clone();
    assert_eq!(state, "PREPARED");

    sink.commit(1).unwrap();
    assert_eq!(emu.dump("shop", "orders"), lines(&[R1_DUMP, R2_DUMP]));
    assert_eq!(label_info(&emu, &l1).get("state").str(), "VISIBLE");
    assert_eq!(label_info(&emu, &l1).get("commits").u64(), 1);
    sink.commit(1).unwrap();
    assert_eq!(label_info(&emu, &l1).get("commits").u64(), 1);

    sink.upsert(&[R3]).unwrap();
    let _token2 = sink.on_checkpoint(2).unwrap();
    sink.on_watermark(5).unwrap(); // a no-op in this mode
    sink.abort(2).unwrap();
    assert_eq!(emu.dump("shop", "orders"), lines(&[R1_DUMP, R2_DUMP]));
    let later: Vec<_> = txn_labels(&emu).into_iter().filter(|(l, _, _)| *l != l1).collect();
    assert_eq!(later.len(), 1, "{:?}", later);
    assert_eq!(later[0].1, "ABORTED");

    // ABI 1.1: after abort the sink is failed; only close (and reopen) is useful.
    let failed = [
        expect_err(sink.upsert(&[R3]), Code::State),
        expect_err(sink.on_checkpoint(3), Code::State),
        expect_err(sink.commit(2), Code::State),
    ];
    for err in &failed {
        assert_eq!(err.code().name(), "SR_SINK_E_STATE");
        assert!(contains_ci(err.message(), "aborted") && err.message().contains('2'), "{}", err);
    }
    assert_eq!(emu.dump("shop", "orders"), lines(&[R1_DUMP, R2_DUMP]));
    sink.close().unwrap();
}

// ---- C09 ---------------------------------------------------------------------------------------

const C09_TEST: &str = "c09_recovery_after_the_host_process_is_killed";

/// The child's part: runs in a re-executed copy of this test binary, killed by the parent.
fn c09_child(port: &str, token_path: &str) -> ! {
    let opts = format!(
        r#"{{"http_url":"http://127.0.0.1:{}","execution_mode":"on_checkpoint","label_prefix":"conf","max_retries":2,"retry_backoff_ms":10}}"#,
        port
    );
    let c = Connector::new().unwrap();
    c.add_sink("shop.*", &opts, root).unwrap();
    let mut sink = open_orders_as(&c, "conf/c09/0", None).unwrap();
    sink.upsert(&[R1, R2]).unwrap();
    let token = sink.on_checkpoint(1).unwrap();
    let tmp = format!("{}.tmp", token_path);
    {
        let mut f = std::fs::File::create(&tmp).unwrap();
        f.write_all(token.as_bytes()).unwrap();
        f.sync_all().unwrap();
    }
    std::fs::rename(&tmp, token_path).unwrap();
    sink.upsert(&[R3]).unwrap();
    let _not_durable = sink.on_checkpoint(2).unwrap();
    println!("C09-READY");
    std::io::stdout().flush().unwrap();
    loop {
        std::thread::park();
    }
}

/// Runs `test` of this binary again as a child writer (env SR_CONF_<tag>_PORT/_TOKEN), waits until
/// it prints "<tag>-READY" (it has stored its token and blocks), then kills it with SIGKILL.
fn kill_child_when_ready(test: &str, tag: &str, emu: &Emulator, token_path: &std::path::Path,
                         reached: &str) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(format!("SR_CONF_{}_PORT", tag), emu.fe_port.to_string())
        .env(format!("SR_CONF_{}_TOKEN", tag), token_path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let (done, watch) = std::sync::mpsc::channel();
    let watchdog = support::kill_after(child.id(), std::time::Duration::from_secs(120), watch);
    let marker = format!("{}-READY", tag);
    let mut ready = false;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        // The test harness may print "test <name> ... " on the same line first.
        if line.unwrap().contains(&marker) {
            ready = true;
            break;
        }
    }
    let _ = done.send(());
    let timed_out = watchdog.join().unwrap();
    let _ = child.kill(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(!timed_out, "the child did not reach {} within 120 s", reached);
    assert!(ready, "the child exited before {} ({})", reached, status);
}

#[test]
fn c09_recovery_after_the_host_process_is_killed() {
    if let (Ok(port), Ok(path)) = (std::env::var("SR_CONF_C09_PORT"), std::env::var("SR_CONF_C09_TOKEN")) {
        c09_child(&port, &path);
    }
    let emu = Emulator::start();
    let token_path = emu.dir.join("token");
    kill_child_when_ready(C09_TEST, "C09", &emu, &token_path, "checkpoint 2");

    assert!(emu.dump("shop", "orders").is_empty());
    let before = txn_labels(&emu);
    assert_eq!(before.iter().filter(|(_, s, _)| s == "PREPARED").count(), 2, "{:?}", before);

    let token = std::fs::read(&token_path).unwrap();
    let c = connector(&emu, CHECKPOINT);
    let mut sink = open_orders_as(&c, "conf/c09/0", Some(&token)).unwrap();
    assert_eq!(
        emu.dump("shop", "orders"),
        lines(&[R1_DUMP, R2_DUMP]),
        "labels {:?}, token {:?}",
        txn_labels(&emu),
        String::from_utf8_lossy(&token)
    );

    let after = txn_labels(&emu);
    let visible: Vec<_> = after.iter().filter(|(_, s, _)| s == "VISIBLE").collect();
    assert_eq!(visible.len(), 1, "{:?}", after);
    assert_eq!(visible[0].2, 1, "{:?}", after);
    let l1 = visible[0].0.clone();
    assert!(!after.iter().any(|(_, s, _)| s == "PREPARE" || s == "PREPARED"), "{:?}", after);

    sink.upsert(&[R3]).unwrap();
    let t3 = sink.on_checkpoint(3).unwrap();
    let l3 = txn_labels(&emu).into_iter().find(|(_, s, _)| s == "PREPARED").expect("checkpoint-3 label").0;
    sink.commit(3).unwrap();
    assert_eq!(emu.dump("shop", "orders"), lines(&[R1_DUMP, R2_DUMP, R3_DUMP]));
    sink.close().unwrap();

    // A second recovery, of an already committed checkpoint, is idempotent.
    let mut sink = open_orders_as(&c, "conf/c09/0", Some(t3.as_bytes())).unwrap();
    assert_eq!(emu.dump("shop", "orders"), lines(&[R1_DUMP, R2_DUMP, R3_DUMP]));
    assert_eq!(label_info(&emu, &l3).get("commits").u64(), 1);
    assert_eq!(label_info(&emu, &l1).get("commits").u64(), 1);
    sink.close().unwrap();

    // Restoring the older checkpoint 1 now would apply checkpoint 3's rows twice: refused.
    let err = expect_err(open_orders_as(&c, "conf/c09/0", Some(&token)), Code::Recovery);
    assert!(err.is_fatal(), "{}", err);
    assert_eq!(label_info(&emu, &l1).get("commits").u64(), 1);
}

// ---- C10 ---------------------------------------------------------------------------------------

#[test]
fn c10_credentials_called_and_rotated_after_401() {
    let emu = Emulator::start_with(&["--users", "root:,alice:pw1"]);
    let store = Arc::new(Mutex::new("pw1".to_string()));
    let calls: Arc<Mutex<Vec<(String, bool)>>> = Arc::new(Mutex::new(Vec::new()));
    let cached = Arc::new(Mutex::new(store.lock().unwrap().clone()));
    let c = Connector::new().unwrap();
    {
        let (store, calls, cached) = (store.clone(), calls.clone(), cached.clone());
        c.add_sink("shop.*", &emu.opts(WATERMARK), move |req: &CredentialsRequest<'_>| {
            calls.lock().unwrap().push((req.table.to_string(), req.after_auth_failure));
            let mut cached = cached.lock().unwrap();
            if req.after_auth_failure {
                *cached = store.lock().unwrap().clone();
            }
            Ok(Credentials::new("alice", cached.clone()))
        })
        .unwrap();
    }
    let mut sink = open_orders(&c);
    {
        let calls = calls.lock().unwrap();
        assert!(!calls.is_empty(), "credentials callback not called at open");
        assert!(calls.iter().all(|(t, _)| t == "shop.orders"), "{:?}", *calls);
    }
    let r = emu.post("/_emulator/users", r#"{"user":"alice","password":"pw2"}"#);
    assert_eq!(r.status, 200, "{}", r.body);
    *store.lock().unwrap() = "pw2".to_string();
    sink.upsert(&[R1]).unwrap();
    sink.on_watermark(1).unwrap();
    assert!(calls.lock().unwrap().iter().any(|(_, after)| *after), "never asked again after the 401");
    assert_eq!(emu.dump("shop", "orders"), lines(&[R1_DUMP]));

    let mut messages = Vec::new();
    let wrong = Connector::new().unwrap();
    wrong
        .add_sink("shop.*", &emu.opts(WATERMARK), |_r: &CredentialsRequest<'_>| {
            Ok(Credentials::new("alice", "wrong"))
        })
        .unwrap();
    let err = expect_err(wrong.open(&OpenParams::new("shop.orders", ORDER_COLUMNS)), Code::Auth);
    assert_eq!(err.http_status(), Some(401), "{}", err);
    messages.push(err.to_string());

    let failing = Connector::new().unwrap();
    failing
        .add_sink("shop.*", &emu.opts(WATERMARK), |_r: &CredentialsRequest<'_>| {
            Err("secret store unreachable".into())
        })
        .unwrap();
    let err = expect_err(failing.open(&OpenParams::new("shop.orders", ORDER_COLUMNS)), Code::Auth);
    messages.push(err.to_string());

    for m in messages {
        for secret in ["pw1", "pw2", "wrong"] {
            assert!(!m.contains(secret), "{:?} leaks {}", m, secret);
        }
    }
}

// ---- C11 ---------------------------------------------------------------------------------------

#[test]
fn c11_log_lines_from_a_library_thread() {
    let emu = Emulator::start_with(&["--users", "root:,alice:s3cret"]);
    let seen: Arc<Mutex<Vec<(LogLevel, String, std::thread::ThreadId)>>> = Arc::new(Mutex::new(Vec::new()));
    let mut c = {
        let seen = seen.clone();
        Connector::with_logger(LogLevel::Debug, move |level, msg| {
            seen.lock().unwrap().push((level, msg.to_string(), std::thread::current().id()));
        })
        .unwrap()
    };
    c.add_sink("shop.*", &emu.opts(WATERMARK), |_r: &CredentialsRequest<'_>| {
        Ok(Credentials::new("alice", "s3cret"))
    })
    .unwrap();
    let mut sink = open_orders(&c);
    sink.upsert(&[R1, R2]).unwrap();
    sink.on_watermark(1).unwrap();
    sink.close().unwrap();
    c.close();
    let count = seen.lock().unwrap().len();
    {
        let seen = seen.lock().unwrap();
        assert!(!seen.is_empty(), "no log line");
        let me = std::thread::current().id();
        assert!(seen.iter().any(|(_, _, t)| *t != me), "no line from a library thread");
        for (_, msg, _) in seen.iter() {
            assert!(!msg.is_empty() && !msg.contains('\n'), "{:?}", msg);
            assert!(!msg.contains("s3cret"), "{:?} leaks the password", msg);
        }
    }
    drop(c);
    assert_eq!(seen.lock().unwrap().len(), count, "a log line arrived after close");
}

// ---- C12 ---------------------------------------------------------------------------------------

#[test]
fn c12_close_twice_and_use_after_close() {
    let emu = Emulator::start();
    let mut c = connector(&emu, WATERMARK);
    let mut sink = open_orders(&c);
    sink.upsert(&[R1]).unwrap();
    sink.on_watermark(1).unwrap();
    sink.close().unwrap();
    sink.close().unwrap();
    assert!(!sink.is_open());
    let err = expect_err(sink.upsert(&[R2]), Code::State);
    assert_eq!(err.code().name(), "SR_SINK_E_STATE");
    expect_err(sink.on_watermark(2), Code::State);
    expect_err(sink.on_checkpoint(2), Code::State);
    expect_err(sink.commit(2), Code::State);
    expect_err(sink.abort(2), Code::State);
    expect_err(sink.stats(), Code::State);
    sink.cancel_handle().cancel(); // no-op once closed

    let mut open_sink = open_orders(&c);
    c.close();
    assert!(!open_sink.is_open());
    open_sink.close().unwrap();
    expect_err(open_sink.upsert(&[R2]), Code::State);
    c.close();
    expect_err(c.open(&OpenParams::new("shop.orders", ORDER_COLUMNS)), Code::State);

    // Scope exit closes both, in either order.
    {
        let c = connector(&emu, WATERMARK);
        let _s = open_orders(&c);
        // `_s` drops first, then `c`.
    }
    {
        let c = connector(&emu, WATERMARK);
        let s = open_orders(&c);
        drop(c);
        assert!(!s.is_open());
    }
    assert_eq!(emu.dump("shop", "orders"), lines(&[R1_DUMP]));
}

// ---- C13 ---------------------------------------------------------------------------------------

/// `row\D{0,3}1\b`, case-insensitive, without a regex crate.
fn names_row_1(msg: &str) -> bool {
    let m = msg.to_lowercase();
    let b = m.as_bytes();
    m.match_indices("row").any(|(i, _)| {
        // "1" after at most 3 non-digits, not followed by a word character.
        (i + 3..=i + 6).any(|j| {
            j < b.len()
                && b[j] == b'1'
                && b[i + 3..j].iter().all(|c| !c.is_ascii_digit())
                && b.get(j + 1).map_or(true, |c| !(c.is_ascii_alphanumeric() || *c == b'_'))
        })
    })
}

#[test]
fn c13_malformed_rows_name_the_row_and_nothing_is_taken() {
    let emu = Emulator::start();
    let c = connector(&emu, WATERMARK);
    let mut sink = open_orders(&c);
    let err = expect_err(sink.upsert(&[R1, "[1,2]", R3]), Code::Data);
    assert!(names_row_1(err.message()), "{}", err);
    assert!(err.is_data(), "{}", err);
    let err = expect_err(sink.upsert(&[r#"{"id":4,"__op":0}"#]), Code::Data);
    assert!(err.message().contains("__op"), "{}", err);
    sink.upsert(&[R2]).unwrap();
    sink.on_watermark(1).unwrap();
    assert_eq!(emu.dump("shop", "orders"), lines(&[R2_DUMP]));
}

/// OPTS + strict mode: without it StarRocks loads a value that fails conversion as NULL instead
/// of filtering the row.
fn strict_connector(emu: &Emulator) -> Connector {
    let c = Connector::new().unwrap();
    c.add_sink("shop.*", &emu.opts_with(WATERMARK, r#""properties":{"strict_mode":"true"}"#), root).unwrap();
    c
}

// ---- C14 ---------------------------------------------------------------------------------------

#[test]
fn c14_rejected_load_carries_the_label() {
    let emu = Emulator::start();
    let c = strict_connector(&emu);
    let mut sink = open_orders(&c);
    let row = format!(r#"{{"id":9,"name":"{}","amount":"1.00"}}"#, "x".repeat(70));
    let result = sink.upsert(&[row.as_str()]).and_then(|_| sink.on_watermark(1));
    let err = result.expect_err("a load with a filtered row must fail");
    assert!(matches!(err.code(), Code::Data | Code::Load), "{}", err);
    assert!(!err.is_retryable(), "{}", err);
    assert!(err.label().map_or(false, |l| l.starts_with("conf-")), "{}", err);
    assert!(!err.message().is_empty());
    assert!(emu.dump("shop", "orders").is_empty());
}

// ---- C15 ---------------------------------------------------------------------------------------

#[test]
fn c15_sink_statistics() {
    let emu = Emulator::start();
    let c = connector(&emu, WATERMARK);
    let mut sink = open_orders(&c);
    sink.upsert(&[R1, R2, R3]).unwrap();
    sink.delete(&[D1]).unwrap();
    sink.on_watermark(1).unwrap();
    let s = sink.stats().unwrap();
    assert_eq!(s.rows_written, 4, "{:?}", s);
    assert_eq!(s.rows_deleted, 1, "{:?}", s);
    assert!(s.bytes_written > 0, "{:?}", s);
    assert!(s.loads >= 1, "{:?}", s);
    assert_eq!(s.rows_loaded, 4, "{:?}", s);
    assert_eq!(s.buffered_bytes, 0, "{:?}", s);
}

// ---- C16 ---------------------------------------------------------------------------------------

#[test]
fn c16_concurrent_sinks_on_host_threads() {
    let emu = Emulator::start();
    let c = Connector::with_logger(LogLevel::Info, |_, _| {}).unwrap();
    c.add_sink("shop.*", &emu.opts(WATERMARK), root).unwrap();
    let c = &c;
    std::thread::scope(|scope| {
        let a = scope.spawn(move || -> Result<(), Error> {
            let mut sink = c.open(&OpenParams::new("shop.orders", ORDER_COLUMNS))?;
            for chunk in (1..=200).collect::<Vec<i64>>().chunks(50) {
                let rows: Vec<String> = chunk
                    .iter()
                    .map(|id| format!(r#"{{"id":{},"name":"a{}","amount":"1.00"}}"#, id, id))
                    .collect();
                sink.upsert(&rows)?;
            }
            sink.on_watermark(1)?;
            sink.close()
        });
        let b = scope.spawn(move || -> Result<(), Error> {
            let mut sink = c.open(&OpenParams::new("shop.customers", &["region", "id", "name", "vip"]))?;
            let rows: Vec<String> = (1..=200)
                .map(|id| format!(r#"{{"region":"eu","id":{},"name":"b{}","vip":false}}"#, id, id))
                .collect();
            sink.upsert(&rows)?;
            sink.on_watermark(1)?;
            sink.close()
        });
        a.join().unwrap().expect("thread A");
        b.join().unwrap().expect("thread B");
    });
    let orders = emu.dump("shop", "orders");
    assert_eq!(orders.len(), 200);
    let customers = emu.dump("shop", "customers");
    assert_eq!(customers.len(), 200);
    let names: HashSet<String> = orders
        .iter()
        .chain(customers.iter())
        .map(|l| Json::parse(l).unwrap().get("name").str().to_string())
        .collect();
    for id in 1..=200 {
        assert!(
            names.contains(&format!("a{}", id)) && names.contains(&format!("b{}", id)),
            "missing id {}",
            id
        );
    }
}

// ---- C17 ---------------------------------------------------------------------------------------

fn bad_row() -> String {
    format!(r#"{{"id":9,"name":"{}","amount":"1.00"}}"#, "x".repeat(70))
}

/// What a rejected-rows callback saw: (table, label, row text, reason).
type Seen = Arc<Mutex<Vec<(String, String, String, String)>>>;

fn c17_rejected_rows_reach_the_callback(mode: &str) {
    let emu = Emulator::start();
    let seen: Seen = Arc::new(Mutex::new(Vec::new()));
    let failing = Arc::new(AtomicBool::new(false));
    let log: Arc<Mutex<Vec<(LogLevel, String)>>> = Arc::new(Mutex::new(Vec::new()));
    let checkpoint = mode == CHECKPOINT;
    let c = {
        let log = log.clone();
        Connector::with_logger(LogLevel::Info, move |level, line| log.lock().unwrap().push((level, line.to_string())))
            .unwrap()
    };
    {
        let (seen, failing) = (seen.clone(), failing.clone());
        let opts = emu.opts_with(mode, r#""properties":{"strict_mode":"true","max_filter_ratio":"0.5"}"#);
        c.register("shop.*", &opts, root, move |row: &RejectedRow<'_>| -> Result<(), RejectedRowError> {
            seen.lock().unwrap().push((
                row.table.to_string(),
                row.label.to_string(),
                row.row_text().into_owned(),
                row.reason.to_string(),
            ));
            if failing.load(Ordering::SeqCst) {
                return Err("dead-letter queue unavailable".into());
            }
            Ok(())
        })
        .unwrap();
    }
    let bad = bad_row();
    let mut sink = open_orders_as(&c, "conf/c17/0", None).unwrap();
    sink.upsert(&[R1, bad.as_str(), R2]).unwrap();
    if checkpoint {
        sink.on_checkpoint(1).unwrap();
        sink.commit(1).unwrap();
    } else {
        sink.on_watermark(1).unwrap();
    }
    assert_eq!(emu.dump("shop", "orders"), lines(&[R1_DUMP, R2_DUMP]));
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "{:?}", *seen);
        let (table, label, row, reason) = &seen[0];
        assert_eq!(table, "shop.orders");
        assert!(label.starts_with("conf-"), "{}", label);
        assert!(row.contains("xxxxxxxxxx"), "{}", row);
        assert!(!reason.is_empty());
    }
    let stats = sink.stats().unwrap();
    assert_eq!((stats.rows_rejected, stats.rows_filtered), (1, 1), "{:?}", stats);
    sink.close().unwrap();
    for (level, line) in log.lock().unwrap().iter() {
        assert!(!(*level <= LogLevel::Info && line.contains("xxxxxxxxxx")), "row value logged: {}", line);
    }

    // A second sink whose callback fails for every row: the load's outcome is a data error.
    failing.store(true, Ordering::SeqCst);
    let before = seen.lock().unwrap().len();
    let mut sink = open_orders_as(&c, "conf/c17/1", None).unwrap();
    sink.upsert(&[bad.as_str()]).unwrap();
    let result = if checkpoint { sink.on_checkpoint(1).map(|_| ()) } else { sink.on_watermark(2) };
    let err = expect_err(result, Code::Data);
    assert_eq!(err.code().name(), "SR_SINK_E_DATA");
    assert!(seen.lock().unwrap().len() > before, "the failing callback was never called");
    drop(sink);
    assert_eq!(emu.dump("shop", "orders"), lines(&[R1_DUMP, R2_DUMP]));
}

#[test]
fn c17_rejected_rows_reach_the_callback_on_watermark() {
    c17_rejected_rows_reach_the_callback(WATERMARK);
}

#[test]
fn c17_rejected_rows_reach_the_callback_on_checkpoint() {
    c17_rejected_rows_reach_the_callback(CHECKPOINT);
}

// ---- C18 ---------------------------------------------------------------------------------------

const C18_TEST: &str = "c18_commit_a_stored_token_with_no_sink_open";

/// The writer: prepares checkpoint 1, stores its token durably and waits to be SIGKILLed.
fn c18_child(port: &str, token_path: &str) -> ! {
    let opts = format!(
        r#"{{"http_url":"http://127.0.0.1:{}","execution_mode":"on_checkpoint","label_prefix":"conf","max_retries":2,"retry_backoff_ms":10}}"#,
        port
    );
    let c = Connector::new().unwrap();
    c.add_sink("shop.*", &opts, root).unwrap();
    let mut sink = open_orders_as(&c, "conf/c18/0", None).unwrap();
    sink.upsert(&[R1, R2]).unwrap();
    let token = sink.on_checkpoint(1).unwrap();
    let tmp = format!("{}.tmp", token_path);
    {
        let mut f = std::fs::File::create(&tmp).unwrap();
        f.write_all(token.as_bytes()).unwrap();
        f.sync_all().unwrap();
    }
    std::fs::rename(&tmp, token_path).unwrap();
    println!("C18-READY");
    std::io::stdout().flush().unwrap();
    loop {
        std::thread::park();
    }
}

#[test]
fn c18_commit_a_stored_token_with_no_sink_open() {
    if let (Ok(port), Ok(path)) = (std::env::var("SR_CONF_C18_PORT"), std::env::var("SR_CONF_C18_TOKEN")) {
        c18_child(&port, &path);
    }
    let emu = Emulator::start();
    let token_path = emu.dir.join("token");
    kill_child_when_ready(C18_TEST, "C18", &emu, &token_path, "checkpoint 1");

    let token = std::fs::read(&token_path).unwrap();
    assert!(emu.dump("shop", "orders").is_empty());
    let prepared = txn_labels(&emu);
    assert_eq!(prepared.len(), 1, "{:?}", prepared);
    let l1 = prepared[0].0.clone();

    let info = sr_sink::token_inspect(&token).unwrap();
    assert_eq!(info.execution_mode, ExecutionMode::OnCheckpoint);
    assert_eq!((info.checkpoint_id, info.n_transactions), (1, 1), "{:?}", info);
    assert_eq!(sr_sink::Token::from_bytes(token.clone()).inspect().unwrap(), info);

    let c = connector(&emu, CHECKPOINT); // a new connector, no sink open
    c.commit_token(&token).unwrap();
    assert_eq!(emu.dump("shop", "orders"), lines(&[R1_DUMP, R2_DUMP]));
    assert_eq!(label_info(&emu, &l1).get("state").str(), "VISIBLE");
    assert_eq!(label_info(&emu, &l1).get("commits").u64(), 1);
    c.commit_token(&token).unwrap(); // idempotent
    assert_eq!(label_info(&emu, &l1).get("commits").u64(), 1);

    let mut sink = open_orders_as(&c, "conf/c18/0", Some(&token)).unwrap();
    assert_eq!(emu.dump("shop", "orders"), lines(&[R1_DUMP, R2_DUMP]));
    sink.close().unwrap();

    let err = expect_err(c.commit_token(b"not a token"), Code::Recovery);
    assert_eq!(err.code().name(), "SR_SINK_E_RECOVERY");
    expect_err(sr_sink::token_inspect(b"not a token"), Code::Recovery);
    let other = Connector::new().unwrap();
    other.add_sink("other.*", &emu.opts(CHECKPOINT), root).unwrap();
    expect_err(other.commit_token(&token), Code::NoRoute);
    assert_eq!(label_info(&emu, &l1).get("commits").u64(), 1);
}

// ---- C19 ---------------------------------------------------------------------------------------

#[test]
fn c19_close_with_rows_not_loaded_says_so() {
    let emu = Emulator::start();
    let log: Arc<Mutex<Vec<(LogLevel, String)>>> = Arc::new(Mutex::new(Vec::new()));
    let c = {
        let log = log.clone();
        Connector::with_logger(LogLevel::Info, move |level, line| log.lock().unwrap().push((level, line.to_string())))
            .unwrap()
    };
    c.add_sink("shop.*", &emu.opts(WATERMARK), root).unwrap();
    let mut sink = open_orders(&c);
    sink.upsert(&[R1, R2]).unwrap();
    sink.close().unwrap();
    let log = log.lock().unwrap();
    assert!(
        log.iter().any(|(level, line)| *level == LogLevel::Warn
            && line.contains("2 rows")
            && contains_ci(line, "not loaded")),
        "no WARN line about 2 rows not loaded: {:?}",
        *log
    );
    assert!(emu.dump("shop", "orders").is_empty());
}

// ---- C20 ---------------------------------------------------------------------------------------

#[test]
fn c20_key_columns_checked_at_write() {
    let emu = Emulator::start();
    let c = connector(&emu, WATERMARK);
    let mut sink = open_orders(&c);
    let err = expect_err(sink.upsert(&[R1, r#"{"id":4,"nmae":"x"}"#]), Code::Data);
    assert!(err.is_data() && err.message().contains("nmae") && names_row_1(err.message()), "{}", err);
    let err = expect_err(sink.upsert(&[r#"{"name":"x","amount":"1.00"}"#]), Code::Data);
    assert!(err.is_data() && err.message().contains("id") && contains_ci(err.message(), "missing"), "{}", err);
    let err = expect_err(sink.upsert(&[r#"{"id":null,"name":"x"}"#]), Code::Data);
    assert!(err.is_data() && err.message().contains("id") && contains_ci(err.message(), "null"), "{}", err);
    assert_eq!(sink.stats().unwrap().rows_written, 0, "a failed batch was taken");
    sink.upsert(&[R3]).unwrap();
    sink.on_watermark(1).unwrap();
    assert_eq!(emu.dump("shop", "orders"), lines(&[R3_DUMP]));
}

// ---- ABI 1.1 calls with a 1.0 library ----------------------------------------------------------

#[test]
fn abi_1_1_calls_fail_alone_with_not_supported_on_a_1_0_library() {
    let emu = Emulator::start();
    let released = Arc::new(AtomicUsize::new(0));
    sr_sink::test_hooks::with_abi_1_0_library(|| {
        let err = expect_err(sr_sink::token_inspect(br#"{"v":1}"#), Code::NotSupported);
        assert!(err.message().contains("sr_sink_token_inspect") && err.message().contains("1.1"), "{}", err);
        let c = Connector::new().unwrap();
        let witness = released.clone();
        let err = expect_err(
            c.register("shop.*", &emu.opts(WATERMARK), root, move |_r: &RejectedRow<'_>| {
                let _ = &witness;
                Ok(())
            }),
            Code::NotSupported,
        );
        assert!(err.message().contains("sr_sink_connector_register"), "{}", err);
        expect_err(c.commit_token(br#"{"v":1}"#), Code::NotSupported);
        // Everything of ABI 1.0 still works.
        c.add_sink("shop.*", &emu.opts(WATERMARK), root).unwrap();
        let mut sink = open_orders(&c);
        sink.upsert(&[R1]).unwrap();
        sink.on_watermark(1).unwrap();
        assert_eq!(sink.stats().unwrap().rows_loaded, 1);
    });
    // The refused registration's closure was dropped, not leaked.
    assert_eq!(Arc::strong_count(&released), 1);
    assert_eq!(emu.dump("shop", "orders"), lines(&[R1_DUMP]));
}

// ---- rejected rows: lifetime and containment ---------------------------------------------------

#[test]
fn b2_rejected_rows_closure_released_by_the_library() {
    let emu = Emulator::start();
    let witness = Arc::new(AtomicUsize::new(0));
    let c = Connector::new().unwrap();
    {
        // Registration fails: the library releases the closures at once.
        let w = witness.clone();
        let bad_opts = emu.opts_with(WATERMARK, r#""batch_max_rows":-1"#);
        expect_err(
            c.register("shop.*", &bad_opts, root, move |_r: &RejectedRow<'_>| {
                w.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }),
            Code::Config,
        );
        assert_eq!(Arc::strong_count(&witness), 1, "closure of a failed registration not released");
    }
    {
        let w = witness.clone();
        let opts = emu.opts_with(WATERMARK, r#""properties":{"strict_mode":"true","max_filter_ratio":"0.5"}"#);
        c.register("shop.*", &opts, root, move |_r: &RejectedRow<'_>| {
            w.fetch_add(1, Ordering::SeqCst);
            Ok(())
        })
        .unwrap();
    }
    let bad = bad_row();
    let mut sink = open_orders(&c);
    sink.upsert(&[R1, bad.as_str(), R2]).unwrap();
    sink.on_watermark(1).unwrap();
    assert_eq!(witness.load(Ordering::SeqCst), 1);
    assert_eq!(Arc::strong_count(&witness), 2, "the library holds the closure");
    drop(sink);
    drop(c);
    assert_eq!(Arc::strong_count(&witness), 1, "rejected-rows closure not released");
}

#[test]
fn b3_rejected_rows_panic_or_error_fails_the_load_outcome() {
    // The loads themselves pass max_filter_ratio: only the callback makes them a data error.
    for panics in [false, true] {
        let emu = Emulator::start();
        let c = Connector::new().unwrap();
        let opts = emu.opts_with(WATERMARK, r#""properties":{"strict_mode":"true","max_filter_ratio":"0.5"}"#);
        c.register("shop.*", &opts, root, move |_r: &RejectedRow<'_>| -> Result<(), RejectedRowError> {
            if panics {
                panic!("rejected-rows callback panics on purpose");
            }
            Err("dead-letter queue down".into())
        })
        .unwrap();
        let bad = bad_row();
        let mut sink = open_orders(&c);
        sink.upsert(&[R1, bad.as_str(), R2]).unwrap();
        expect_err(sink.on_watermark(1), Code::Data);
    }
}

// ---- Binding-specific checks -------------------------------------------------------------------
// B1 (token copied out, released exactly once) is a unit test in src/token.rs: it needs a token
// whose release callback it can count.

#[test]
fn b1_tokens_outlive_the_sink() {
    let emu = Emulator::start();
    let c = connector(&emu, CHECKPOINT);
    let mut sink = open_orders_as(&c, "conf/b1/0", None).unwrap();
    sink.upsert(&[R1]).unwrap();
    let token = sink.on_checkpoint(1).unwrap();
    let copy = token.clone();
    sink.close().unwrap();
    drop(c);
    assert_eq!(token, copy);
    assert!(std::str::from_utf8(token.as_bytes()).is_ok(), "tokens are JSON text");
}

#[test]
fn b2_callbacks_outlive_the_host_references() {
    let emu = Emulator::start();
    let creds_calls = Arc::new(AtomicUsize::new(0));
    let log_calls = Arc::new(AtomicUsize::new(0));
    let c = {
        let log_calls = log_calls.clone();
        Connector::with_logger(LogLevel::Debug, move |_, _| {
            log_calls.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap()
    };
    {
        // The closure owns the only copy of this state once the block ends.
        let user = String::from("root");
        let calls = creds_calls.clone();
        c.add_sink("shop.*", &emu.opts(WATERMARK), move |_r: &CredentialsRequest<'_>| {
            calls.fetch_add(1, Ordering::SeqCst);
            Ok(Credentials::new(user.clone(), ""))
        })
        .unwrap();
    }
    let mut sink = open_orders(&c);
    sink.upsert(&[R1]).unwrap();
    sink.on_watermark(1).unwrap();
    assert!(creds_calls.load(Ordering::SeqCst) > 0);
    assert!(log_calls.load(Ordering::SeqCst) > 0);
    drop(sink);
    drop(c);
    // The library released the callbacks: only our references remain.
    assert_eq!(Arc::strong_count(&creds_calls), 1, "credentials closure not released");
    assert_eq!(Arc::strong_count(&log_calls), 1, "log closure not released");
}

#[test]
fn b3_callback_panics_are_contained() {
    let emu = Emulator::start();
    let panicked = Arc::new(AtomicBool::new(false));
    let c = {
        let panicked = panicked.clone();
        Connector::with_logger(LogLevel::Debug, move |_, _| {
            panicked.store(true, Ordering::SeqCst);
            panic!("log callback panics on purpose");
        })
        .unwrap()
    };
    c.add_sink("shop.*", &emu.opts(WATERMARK), root).unwrap();
    let mut sink = open_orders(&c);
    sink.upsert(&[R1]).unwrap();
    sink.on_watermark(1).unwrap();
    assert!(panicked.load(Ordering::SeqCst));
    assert_eq!(emu.dump("shop", "orders"), lines(&[R1_DUMP]));

    let bad = Connector::new().unwrap();
    bad.add_sink(
        "shop.*",
        &emu.opts(WATERMARK),
        |_r: &CredentialsRequest<'_>| -> Result<Credentials, CredentialsError> {
            panic!("credentials callback panics on purpose")
        },
    )
    .unwrap();
    expect_err(bad.open(&OpenParams::new("shop.orders", ORDER_COLUMNS)), Code::Auth);
}

#[test]
fn b4_error_values_carry_every_detail() {
    let emu = Emulator::start();
    let c = strict_connector(&emu);
    let err = expect_err(c.open(&OpenParams::new("nowhere.t", &["id"])), Code::NoRoute);
    assert_eq!(err.code().name(), "SR_SINK_E_NO_ROUTE");
    assert_eq!(err.code().to_raw(), sys::SR_SINK_E_NO_ROUTE);
    assert!(!err.is_retryable() && !err.is_data());
    assert_eq!(err.label(), None);
    assert_eq!(err.http_status(), None);
    assert!(err.to_string().starts_with("SR_SINK_E_NO_ROUTE: "), "{}", err);
    let as_std: Box<dyn std::error::Error + Send + Sync> = Box::new(err.clone());
    assert_eq!(as_std.to_string(), err.to_string());

    let mut sink = open_orders(&c);
    let row = format!(r#"{{"id":9,"name":"{}","amount":"1.00"}}"#, "x".repeat(70));
    sink.upsert(&[row.as_str()]).unwrap();
    let err = sink.on_watermark(1).expect_err("filtered row");
    assert!(err.label().is_some() && err.http_status().is_some(), "{} / {:?}", err, err);
    assert!(err.to_string().contains(err.label().unwrap()));
    let _fatal: bool = err.is_fatal();
}

#[test]
fn b5_native_and_encoded_rows_are_identical() {
    let emu = Emulator::start();
    let c = connector(&emu, WATERMARK);
    let mut orders = open_orders(&c);
    orders.upsert(&[native_order(1, "alice", "10.50"), native_order(2, "bob", "20.00")]).unwrap();
    orders.on_watermark(1).unwrap();
    let native = emu.dump("shop", "orders");
    orders.delete(&[r#"{"id":1}"#, r#"{"id":2}"#]).unwrap();
    orders.on_watermark(2).unwrap();
    assert!(emu.dump("shop", "orders").is_empty());
    orders.upsert(&[R1, R2]).unwrap();
    orders.on_watermark(3).unwrap();
    assert_eq!(emu.dump("shop", "orders"), native);
    assert_eq!(native, lines(&[R1_DUMP, R2_DUMP]));

    let before = orders.stats().unwrap().rows_written;
    let err = expect_err(orders.write_rows(&[R1, R2], &[Op::Upsert]), Code::InvalidArgument);
    assert!(err.message().contains("2 rows but 1 ops"), "{}", err);
    assert_eq!(orders.stats().unwrap().rows_written, before, "the library was called");
}

// ---- Beyond the list: cancel from another thread --------------------------------------------

#[test]
fn x1_cancel_handle_interrupts_a_blocked_call_on_another_thread() {
    let emu = Emulator::start();
    let c = connector(&emu, WATERMARK);
    let mut sink = open_orders(&c);
    let fault = emu.fault(r#"{"point":"be_stream_load","action":"hang","times":-1}"#);
    sink.upsert(&[R1]).unwrap();
    let cancel = sink.cancel_handle();
    // The sink moves to a worker thread (Sink: Send); the handle stays here.
    let worker = std::thread::spawn(move || {
        let result = sink.on_watermark(1);
        (sink, result)
    });
    emu.wait_fault_hit(fault);
    cancel.cancel();
    let (mut sink, result) = worker.join().unwrap();
    expect_err(result, Code::Cancelled);
    let _ = sink.close(); // may report the abandoned load; the sink is freed either way
    assert!(!sink.is_open());
    cancel.cancel(); // harmless once closed
    assert!(emu.dump("shop", "orders").is_empty());
}
