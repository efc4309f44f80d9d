//! Tells rustc where libsr_sink is. Three sources, in order:
//!   0. feature `bundled`: builds it from the source tree with CMake, as rdkafka-sys does, and
//!      links that build;
//!   1. SR_SINK_LIB_DIR: a directory holding libsr_sink.so (a build tree, or a custom prefix);
//!   2. `pkg-config --libs sr_sink` (an installed library; PKG_CONFIG overrides the command).
//!
//! pkg-config and cmake are run as commands so that this crate needs no build dependency from a
//! registry (`cargo test --offline` works with an empty cargo cache).
use std::env;
use std::process::Command;

#[allow(unreachable_code)] // with `bundled`, main returns after building
fn main() {
    println!("cargo:rerun-if-env-changed=SR_SINK_LIB_DIR");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");

    #[cfg(feature = "bundled")]
    {
        bundled::build();
        return;
    }

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

#[cfg(feature = "bundled")]
mod bundled {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    fn run(cmd: &mut Command) {
        match cmd.status() {
            Ok(s) if s.success() => {}
            Ok(s) => panic!("sr-sink-sys (feature `bundled`): {:?} failed ({})", cmd, s),
            Err(e) => panic!(
                "sr-sink-sys (feature `bundled`): cannot run {:?} ({}); install cmake (>= 3.22), \
                 a C++17 compiler and the -dev packages of scripts/setup.sh",
                cmd, e
            ),
        }
    }

    /// Configures and builds the `sr_sink` target of the CMake project this crate sits in
    /// (library only: no tests, tools or bindings) in OUT_DIR, and links it. The library stays a
    /// shared object: `cargo run` and `cargo test` find it (cargo puts link directories under
    /// target/ on the library path); a program run otherwise needs it on its rpath or
    /// LD_LIBRARY_PATH. Dependents' build scripts get its directory as DEP_SR_SINK_LIB_DIR.
    pub fn build() {
        let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
        let source = manifest.join("../../..");
        if !source.join("abi/sr_sink.h").exists() {
            panic!(
                "sr-sink-sys (feature `bundled`): no libsr_sink source tree at {}; build from a \
                 checkout of starrocks-sink, or drop the feature and install libsr-sink-dev",
                source.display()
            );
        }
        for dir in ["src", "abi", "cmake", "pkgconfig", "CMakeLists.txt"] {
            println!("cargo:rerun-if-changed={}", source.join(dir).display());
        }
        println!("cargo:rerun-if-env-changed=CMAKE");
        let cmake = std::env::var("CMAKE").unwrap_or_else(|_| "cmake".to_string());
        let build: PathBuf = Path::new(&std::env::var("OUT_DIR").unwrap()).join("sr_sink-build");
        let jobs = std::env::var("NUM_JOBS").unwrap_or_else(|_| "2".to_string());
        run(Command::new(&cmake).arg("-S").arg(&source).arg("-B").arg(&build).args([
            "-DCMAKE_BUILD_TYPE=Release",
            "-DBUILD_TESTING=OFF",
            "-DSR_SINK_BUILD_TOOLS=OFF",
            "-DCMAKE_DISABLE_FIND_PACKAGE_JNI=ON",
        ]));
        run(Command::new(&cmake).arg("--build").arg(&build).args(["--target", "sr_sink", "-j", &jobs]));
        let lib_dir = build.join("src");
        println!("cargo:rustc-link-search=native={}", lib_dir.display());
        println!("cargo:rustc-link-lib=dylib=sr_sink");
        println!("cargo:lib_dir={}", lib_dir.display());
    }
}
