//! Quick start: load rows exactly once into shop.orders (a Primary Key table), surviving restarts.
//! Build: cargo build (links the installed libsr_sink through pkg-config) or
//!        cargo build --features bundled (builds libsr_sink from the source tree with CMake)
//! Run:   SR_URL=http://fe:8030 SR_USER=loader SR_PASSWORD=... quickstart quickstart.state
//! Every run restores the token stored by the last one, writes three rows and commits them.
use sr_sink::{Connector, Credentials, CredentialsRequest, OpenParams};
use std::io::Write;
use std::process::ExitCode;

/// The state file holds "<checkpoint id>\n<token bytes>"; (0, empty) on the first run.
fn load_state(path: &str) -> std::io::Result<(i64, Vec<u8>)> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((0, Vec::new())),
        Err(e) => return Err(e),
    };
    let nl = bytes.iter().position(|&b| b == b'\n').unwrap_or(bytes.len());
    let ckpt = std::str::from_utf8(&bytes[..nl]).ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok((ckpt, bytes.get(nl + 1..).unwrap_or_default().to_vec()))
}

/// Durably: write a temporary file, fsync it, rename it over the old state.
fn store_state(path: &str, ckpt: i64, token: &[u8]) -> std::io::Result<()> {
    let tmp = format!("{}.tmp", path);
    let mut f = std::fs::File::create(&tmp)?;
    write!(f, "{}\n", ckpt)?;
    f.write_all(token)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
}

fn run(url: &str, state: &str) -> Result<i64, Box<dyn std::error::Error>> {
    let (ckpt, token) = load_state(state)?;
    let connector = Connector::new()?;
    let options = format!(r#"{{"http_url":"{}","execution_mode":"on_checkpoint"}}"#, url);
    connector.add_sink("shop.*", &options, |_req: &CredentialsRequest<'_>| {
        let user = std::env::var("SR_USER").unwrap_or_else(|_| "root".into());
        Ok(Credentials::new(user, std::env::var("SR_PASSWORD").unwrap_or_default()))
    })?;
    let mut params = OpenParams::new("shop.orders", &["id", "name", "amount"])
        .instance_id("examples/rust-quickstart/0");
    if !token.is_empty() {
        params = params.restore_token(&token);
    }
    let mut sink = connector.open(&params)?; // commits what the token names, rolls back the rest
    let r1 = format!(r#"{{"id":{},"name":"a","amount":"1.50"}}"#, 2 * ckpt + 1);
    let r2 = format!(r#"{{"id":{},"name":"b","amount":"2.00"}}"#, 2 * ckpt + 2);
    sink.upsert(&[r1.as_str(), r2.as_str()])?;
    sink.delete(&[r#"{"id":0}"#])?;
    let token = sink.on_checkpoint(ckpt + 1)?; // prepared, not yet visible
    store_state(state, ckpt + 1, token.as_bytes()).map_err(|e| {
        format!("cannot store {} ({}); the next run rolls checkpoint {} back", state, e, ckpt + 1)
    })?;
    sink.commit(ckpt + 1)?; // durable at the host: now visible
    sink.close()?;
    Ok(ckpt + 1)
}

fn main() -> ExitCode {
    let url = match std::env::var("SR_URL") {
        Ok(url) => url,
        Err(_) => {
            eprintln!("set SR_URL to the FE, e.g. http://127.0.0.1:8030");
            return ExitCode::from(2);
        }
    };
    let state = std::env::args().nth(1).unwrap_or_else(|| "quickstart.state".into());
    match run(&url, &state) {
        Ok(ckpt) => {
            println!("checkpoint {} committed", ckpt);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("load: {}", e);
            ExitCode::FAILURE
        }
    }
}
