//! Commit tokens: opaque bytes the host stores with its checkpoint and passes back after a
//! restart. The binding copies the library's token out and releases the library's copy at once,
//! so a `Token` is plain owned data: store it anywhere, outlive the sink, send it across threads.
use sr_sink_sys as sys;

use crate::error::{check, Error};

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Token {
    bytes: Vec<u8>,
}

impl Token {
    /// A token read back from the host's checkpoint storage.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Token {
        Token { bytes: bytes.into() }
    }
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// What this token names (see [`token_inspect`]).
    pub fn inspect(&self) -> Result<TokenInfo, Error> {
        token_inspect(&self.bytes)
    }

    /// Copies the library token's bytes and releases it (exactly once: `release` is consumed
    /// and the ABI sets it to NULL).
    ///
    /// # Safety
    /// `raw` was filled by a successful sr_sink_on_checkpoint and not released yet.
    pub(crate) unsafe fn take(raw: &mut sys::sr_sink_token) -> Token {
        let bytes = if raw.data.is_null() || raw.len == 0 {
            Vec::new()
        } else {
            std::slice::from_raw_parts(raw.data, raw.len).to_vec()
        };
        if let Some(release) = raw.release.take() {
            release(raw);
        }
        Token { bytes }
    }
}

impl AsRef<[u8]> for Token {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Tokens are versioned JSON: show them as text when they are.
        match std::str::from_utf8(&self.bytes) {
            Ok(s) => write!(f, "Token({})", s),
            Err(_) => write!(f, "Token({} bytes)", self.bytes.len()),
        }
    }
}

/// The execution mode a commit token was made in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExecutionMode {
    OnCheckpoint,
    OnWatermark,
    /// A mode this binding does not know (a newer library).
    Unknown(i32),
}

/// What [`token_inspect`] reports about a commit token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TokenInfo {
    pub execution_mode: ExecutionMode,
    /// The checkpoint the token was made for.
    pub checkpoint_id: i64,
    /// Prepared transactions it names; 0: committing it does nothing.
    pub n_transactions: u32,
}

/// Decodes a commit token without acting on it (`sr_sink_token_inspect`, ABI 1.1): its mode,
/// checkpoint id and number of transactions, so a host can order or skip stored tokens without
/// parsing them (their format is the library's). Needs no connector. `Code::Recovery` for bytes
/// that are not a token this library can read; `Code::NotSupported` with a libsr_sink older
/// than 1.1.
pub fn token_inspect(token: &[u8]) -> Result<TokenInfo, Error> {
    let inspect = crate::abi::token_inspect()?;
    let mut out = sys::sr_sink_token_info {
        struct_size: std::mem::size_of::<sys::sr_sink_token_info>() as u32,
        ..Default::default()
    };
    // SAFETY: token borrowed for the call; `out` is writable.
    check(|err| unsafe { inspect(token.as_ptr(), token.len(), &mut out, err) })?;
    Ok(TokenInfo {
        execution_mode: match out.execution_mode {
            sys::SR_SINK_MODE_ON_CHECKPOINT => ExecutionMode::OnCheckpoint,
            sys::SR_SINK_MODE_ON_WATERMARK => ExecutionMode::OnWatermark,
            other => ExecutionMode::Unknown(other),
        },
        checkpoint_id: out.checkpoint_id,
        n_transactions: out.n_transactions,
    })
}

#[cfg(test)]
mod tests {
    //! B1: the library's token is copied out and released exactly once.
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static RELEASES: AtomicUsize = AtomicUsize::new(0);
    static BYTES: &[u8] = b"{\"v\":1,\"txns\":[]}";

    unsafe extern "C" fn counting_release(token: *mut sys::sr_sink_token) {
        RELEASES.fetch_add(1, Ordering::SeqCst);
        // As the ABI demands of a release callback: mark the token released.
        (*token).release = None;
    }

    #[test]
    fn take_copies_the_bytes_and_releases_exactly_once() {
        let mut raw = sys::sr_sink_token {
            struct_size: std::mem::size_of::<sys::sr_sink_token>() as u32,
            reserved0: 0,
            data: BYTES.as_ptr(),
            len: BYTES.len(),
            release: Some(counting_release),
            private_data: std::ptr::null_mut(),
        };
        let token = unsafe { Token::take(&mut raw) };
        assert_eq!(RELEASES.load(Ordering::SeqCst), 1);
        assert!(raw.release.is_none(), "release must be NULL afterwards");
        assert_eq!(token.as_bytes(), BYTES);
        assert_ne!(token.as_bytes().as_ptr(), BYTES.as_ptr(), "the token owns a copy");
        let copy = token.clone();
        drop(token);
        drop(copy);
        assert_eq!(RELEASES.load(Ordering::SeqCst), 1, "dropping host copies releases nothing");
    }
}
