//! Hooks for the conformance tests; not part of the supported API.

/// Runs `f` while, on this thread only, the ABI check sees a library reporting `version`
/// (major << 16 | minor) instead of the loaded one.
pub fn with_library_abi_version<T>(version: u32, f: impl FnOnce() -> T) -> T {
    struct Reset(Option<u32>);
    impl Drop for Reset {
        fn drop(&mut self) {
            crate::abi::OVERRIDE.with(|o| o.set(self.0));
        }
    }
    let _reset = Reset(crate::abi::OVERRIDE.with(|o| o.replace(Some(version))));
    f()
}

/// Runs `f` while, on this thread only, the library's function table looks like a 1.0 library's:
/// the functions added in ABI 1.1 are missing (their calls return `Code::NotSupported`).
pub fn with_abi_1_0_library<T>(f: impl FnOnce() -> T) -> T {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            crate::abi::AS_1_0.with(|a| a.set(self.0));
        }
    }
    let _reset = Reset(crate::abi::AS_1_0.with(|a| a.replace(true)));
    f()
}
