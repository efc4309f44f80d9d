//! The README's quick start as a program (so that `cargo test` keeps it compiling).
//! Usage: quickstart [http_url]   (default http://127.0.0.1:8030; table shop.orders must exist)
use sr_sink::{Connector, Credentials, CredentialsRequest, LogLevel, OpenParams, Token, Value};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:8030".to_string());
    // 1. open a connector; log lines may arrive on library threads
    let connector =
        Connector::with_logger(LogLevel::Info, |level, line| eprintln!("[{:?}] {}", level, line))?;

    // 2. register a sink by glob over "db.table" with a credentials callback
    connector.add_sink(
        "shop.*",
        &format!(r#"{{"http_url":"{}","execution_mode":"on_checkpoint"}}"#, url),
        |req: &CredentialsRequest<'_>| {
            let _ = (req.table, req.after_auth_failure);
            Ok(Credentials::new("root", std::env::var("STARROCKS_PASSWORD").unwrap_or_default()))
        },
    )?;

    // 3. open a sink for a table; 6. recover from the token of the last durable checkpoint
    let restore = std::fs::read("checkpoint.token").ok();
    let mut params =
        OpenParams::new("shop.orders", &["id", "name", "amount"]).instance_id("job1/op3/subtask0");
    if let Some(token) = &restore {
        params = params.restore_token(token);
    }
    let mut sink = connector.open(&params)?;

    // 4. upserts and deletes
    sink.upsert(&[r#"{"id":1,"name":"alice","amount":"10.50"}"#])?;
    sink.upsert(&[[("id", Value::from(2)), ("name", Value::from("bob")), ("amount", Value::from("20.00"))]])?;
    sink.delete(&[r#"{"id":1}"#])?;

    // 5. checkpoint: prepare, store the token with the checkpoint, then commit. Checkpoint ids
    //    keep increasing across restarts, so the host stores the id with the token.
    let last: i64 =
        std::fs::read_to_string("checkpoint.id").ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0);
    let checkpoint = last + 1;
    let token: Token = sink.on_checkpoint(checkpoint)?;
    std::fs::write("checkpoint.token", token.as_bytes())?;
    std::fs::write("checkpoint.id", checkpoint.to_string())?;
    sink.commit(checkpoint)?;

    // 7. close
    sink.close()?;
    println!("committed checkpoint {}", checkpoint);
    Ok(())
}
