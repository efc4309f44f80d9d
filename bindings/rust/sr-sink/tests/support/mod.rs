//! The conformance fixture: one real sr-emulator process per scenario (tests/conformance/SCENARIOS.md).
#![allow(dead_code)]
pub mod http;
pub mod json;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

pub use json::Json;

extern "C" {
    // libc's kill(2): std::process only sends SIGKILL, the emulator wants SIGTERM to stop cleanly.
    fn kill(pid: i32, sig: i32) -> i32;
}
const SIGTERM: i32 = 15;
const SIGKILL: i32 = 9;

/// Kills process `pid` with SIGKILL unless `done` receives (or is dropped) within `limit`: a
/// watchdog so that a child that neither finishes nor exits fails the test instead of hanging it.
pub fn kill_after(pid: u32, limit: Duration, done: mpsc::Receiver<()>) -> std::thread::JoinHandle<bool> {
    std::thread::spawn(move || match done.recv_timeout(limit) {
        Err(mpsc::RecvTimeoutError::Timeout) => {
            // SAFETY: plain syscall on our own child's pid, which is not reaped before join.
            unsafe { kill(pid as i32, SIGKILL) };
            true
        }
        _ => false,
    })
}

/// The repository root (bindings/rust/sr-sink → ../../..), for the build-tree fallbacks.
fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

/// An environment variable naming a path, else a fallback in build/default; fails (never skips)
/// naming the variable when neither exists.
fn required_path(var: &str, fallback: &str) -> PathBuf {
    if let Ok(v) = std::env::var(var) {
        if !v.is_empty() {
            // Checked here rather than left to spawn: a failed spawn of a missing file under an
            // ASan-preloaded test binary can leave libc's locale lock held and hang the exit.
            assert!(std::path::Path::new(&v).exists(), "{}={} does not exist", var, v);
            return PathBuf::from(v);
        }
    }
    let p = repo_root().join(fallback);
    if p.exists() {
        return p;
    }
    panic!(
        "{} is not set and {} does not exist: set {} (ctest does) to run the conformance suite",
        var,
        p.display(),
        var
    );
}

pub fn conformance_dir() -> PathBuf {
    required_path("SR_CONFORMANCE_DIR", "tests/conformance")
}

fn fresh_temp_dir() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let dir = std::env::temp_dir().join(format!(
        "sr-conf-rust-{}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        nanos
    ));
    fs::create_dir_all(&dir).unwrap();
    dir
}

pub struct Emulator {
    child: Option<Child>,
    _stdout: BufReader<ChildStdout>,
    pub fe_port: u16,
    pub dir: PathBuf,
}

impl Emulator {
    pub fn start() -> Emulator {
        Emulator::start_with(&[])
    }

    /// Starts `$SR_EMULATOR --fe-port 0 --be-port 0 ... extra` and waits for its ready line.
    pub fn start_with(extra: &[&str]) -> Emulator {
        let exe = required_path("SR_EMULATOR", "build/default/tools/sr-emulator/sr-emulator");
        let catalog = conformance_dir().join("catalog.json");
        let dir = fresh_temp_dir();
        let data_dir = dir.join("data");
        fs::create_dir_all(&data_dir).unwrap();
        let log = fs::File::create(dir.join("emulator.log")).unwrap();
        let mut child = Command::new(&exe)
            .args(["--fe-port", "0", "--be-port", "0", "--bind", "127.0.0.1", "--catalog"])
            .arg(&catalog)
            .arg("--data-dir")
            .arg(&data_dir)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {} (SR_EMULATOR): {}", exe.display(), e));
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        // Blocks until the emulator prints its ports (or exits: then the line is empty).
        stdout.read_line(&mut line).unwrap();
        let ready = Json::parse(line.trim()).unwrap_or_else(|e| {
            let _ = child.kill();
            let log = fs::read_to_string(dir.join("emulator.log")).unwrap_or_default();
            panic!("emulator did not print its ready line ({}): {:?}\n{}", e, line, log)
        });
        let fe_port = ready.get("fe_port").u64() as u16;
        assert!(fe_port > 0, "no fe_port in {}", line);
        Emulator { child: Some(child), _stdout: stdout, fe_port, dir }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.fe_port)
    }

    /// OPTS(mode) of SCENARIOS.md.
    pub fn opts(&self, mode: &str) -> String {
        self.opts_with(mode, "")
    }

    /// OPTS(mode) plus `extra` members (`"key":value,...`).
    pub fn opts_with(&self, mode: &str, extra: &str) -> String {
        let mut s = format!(
            r#"{{"http_url":"{}","execution_mode":"{}","label_prefix":"conf","max_retries":2,"retry_backoff_ms":10"#,
            self.url(),
            mode
        );
        if !extra.is_empty() {
            s.push(',');
            s.push_str(extra);
        }
        s.push('}');
        s
    }

    /// The table's rows as the emulator dumps them, one canonical JSON line each.
    pub fn dump(&self, db: &str, table: &str) -> Vec<String> {
        let r = http::request(self.fe_port, "GET", &format!("/_emulator/tables/{}/{}/rows", db, table), None);
        assert_eq!(r.status, 200, "dump {}.{}: {}", db, table, r.body);
        r.body.lines().map(|l| l.trim_end().to_string()).filter(|l| !l.is_empty()).collect()
    }

    pub fn stats(&self) -> Json {
        let r = http::request(self.fe_port, "GET", "/_emulator/stats", None);
        assert_eq!(r.status, 200, "stats: {}", r.body);
        Json::parse(&r.body).unwrap()
    }

    /// (label, info) of every label of database `db`.
    pub fn labels(&self, db: &str) -> Vec<(String, Json)> {
        self.stats().get("labels").get(db).members().to_vec()
    }

    /// Installs one fault (EMULATOR-CONTRACT.md) and returns its id.
    pub fn fault(&self, spec: &str) -> u64 {
        let r = self.post("/_emulator/faults", spec);
        assert_eq!(r.status, 200, "fault {}: {}", spec, r.body);
        Json::parse(&r.body).unwrap().get("id").u64()
    }

    /// Waits until fault `id` has affected a request: the event that a call is now blocked in it.
    /// Polls the admin API (the emulator offers no push); fails after 60 s.
    pub fn wait_fault_hit(&self, id: u64) {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            let r = http::request(self.fe_port, "GET", "/_emulator/faults", None);
            let faults = Json::parse(&r.body).unwrap();
            if faults.items().iter().any(|f| f.get("id").u64() == id && f.get("hits").u64() > 0) {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "fault {} never hit: {}", id, r.body);
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn post(&self, path: &str, body: &str) -> http::Response {
        http::request(self.fe_port, "POST", path, Some(body))
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let pid = child.id() as i32;
            // SAFETY: plain syscall on our own child's pid.
            unsafe { kill(pid, SIGTERM) };
            let (tx, rx) = mpsc::channel();
            let waiter = std::thread::spawn(move || {
                let _ = child.wait();
                let _ = tx.send(());
            });
            if rx.recv_timeout(Duration::from_secs(10)).is_err() {
                unsafe { kill(pid, SIGKILL) };
                let _ = rx.recv();
            }
            let _ = waiter.join();
        }
        if std::thread::panicking() {
            eprintln!("emulator files kept in {}", self.dir.display());
        } else {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Case-insensitive substring test.
pub fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}
