//! Tells rustc where libsr_sink is. Two sources, in order:
//!   1. SR_SINK_LIB_DIR: a directory holding libsr_sink.so (a build tree, or a custom prefix);
//!   2. `pkg-config --libs sr_sink` (an installed library; PKG_CONFIG overrides the command).
//!
//! pkg-config is run as a command so that this crate needs no build dependency from a registry.
use std::env;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=SR_SINK_LIB_DIR");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");

    if let Ok(dir) = env::var("SR_SINK_LIB_DIR") {
        if !dir.is_empty() {
            println!("cargo:rustc-link-search=native={}", dir);
            println!("cargo:rustc-link-lib=dylib=sr_sink");
            return;
        }
    }

    let pkg_config = env::var("PKG_CONFIG").unwrap_or_else(|_| "pkg-config".to_string());
    let output = Command::new(&pkg_config).args(["--libs", "sr_sink"]).output();
    let libs = match output {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).into_owned(),
        Ok(out) => panic!(
            "sr-sink-sys: `{} --libs sr_sink` failed ({}): {}\n\
             Install libsr_sink (with its sr_sink.pc) or set SR_SINK_LIB_DIR to the directory \
             that holds libsr_sink.so.",
            pkg_config,
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(e) => panic!(
            "sr-sink-sys: cannot run `{}` ({}). Set SR_SINK_LIB_DIR to the directory that holds \
             libsr_sink.so, or install pkg-config.",
            pkg_config, e
        ),
    };
    let mut linked = false;
    for flag in libs.split_whitespace() {
        if let Some(dir) = flag.strip_prefix("-L") {
            println!("cargo:rustc-link-search=native={}", dir);
        } else if let Some(lib) = flag.strip_prefix("-l") {
            println!("cargo:rustc-link-lib=dylib={}", lib);
            linked |= lib == "sr_sink";
        }
    }
    if !linked {
        println!("cargo:rustc-link-lib=dylib=sr_sink");
    }
}
