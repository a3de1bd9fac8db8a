// Bakes two folders into the binaries' rpath so they run with no LD_LIBRARY_PATH:
// `$ORIGIN/../lib` first, for an installed tree (scripts/install.sh puts libtorch's libraries
// in lib/ beside bin/, so the tree works wherever it is moved), then libtorch's own folder,
// for the binaries cargo builds and runs in place (there is no lib/ beside target/*/).
//
// As DT_RPATH, not the linker's default DT_RUNPATH: the loader reads RPATH before
// LD_LIBRARY_PATH, RUNPATH after it, so with RUNPATH an LD_LIBRARY_PATH naming another
// libtorch (a CUDA or conda set-up) would replace the installed one, and a libtorch of another
// version crashes or computes differently.
//
// Also compiles the CTranslate2 backend's C shim (src/stages/translate/ctranslate2/shim.cpp)
// into libnewsextract_ct2.so against CTRANSLATE2 (.deps/ctranslate2, set up by
// scripts/setup-ctranslate2.sh), with that library folder in its rpath. The binaries open it
// at run time; without the folder the build has no CTranslate2 backend and says why when a
// run asks for one.
fn main() {
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    build_ctranslate2_shim();
    println!("cargo:rustc-link-arg=-Wl,--disable-new-dtags");
    println!("cargo:rustc-link-arg=-Wl,-rpath,$ORIGIN/../lib");
    if let Ok(dir) = std::env::var("LIBTORCH") {
        let lib = std::path::Path::new(&dir).join("lib");
        let lib = lib.canonicalize().unwrap_or(lib);
        println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib.display());
    }
}

fn build_ctranslate2_shim() {
    use std::path::{Path, PathBuf};
    let shim = "src/stages/translate/ctranslate2/shim.cpp";
    println!("cargo:rerun-if-changed={shim}");
    println!("cargo:rerun-if-env-changed=CTRANSLATE2");
    println!("cargo:rerun-if-env-changed=CXX");
    let missing = |why: String| {
        println!("cargo:rustc-env=NEWSEXTRACT_CT2_SHIM_MISSING={why}");
    };
    let Ok(dir) = std::env::var("CTRANSLATE2") else {
        return missing("CTRANSLATE2 was not set when it was built".into());
    };
    let dir = PathBuf::from(dir);
    let stamp = dir.join(".complete");
    println!("cargo:rerun-if-changed={}", stamp.display());
    if !stamp.is_file() {
        return missing(format!(
            "{} was not set up when it was built",
            dir.display()
        ));
    }
    let dir = dir.canonicalize().unwrap_or(dir);
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("libnewsextract_ct2.so");
    let cxx = std::env::var("CXX").unwrap_or_else(|_| "c++".into());
    let lib = dir.join("lib");
    let status = std::process::Command::new(&cxx)
        .args(["-std=c++17", "-O2", "-fPIC", "-shared", "-Wall"])
        .arg(Path::new(shim))
        .arg(format!("-I{}", dir.join("include").display()))
        .arg(format!("-L{}", lib.display()))
        .arg("-lctranslate2")
        // $ORIGIN first: an installed tree keeps the shim and CTranslate2 together in lib/.
        .arg("-Wl,--disable-new-dtags")
        .arg("-Wl,-rpath,$ORIGIN")
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .arg("-o")
        .arg(&out)
        .status();
    match status {
        Ok(s) if s.success() => {
            println!(
                "cargo:rustc-env=NEWSEXTRACT_CT2_SHIM_BUILT={}",
                out.display()
            );
            // A copy beside the binaries (target/<profile>/), where scripts/install.sh takes
            // it from. OUT_DIR is target/<profile>/build/<crate>-<hash>/out.
            if let Some(profile_dir) = out.ancestors().nth(4) {
                let _ = std::fs::copy(&out, profile_dir.join("libnewsextract_ct2.so"));
            }
        }
        Ok(s) => panic!("compiling {shim} with {cxx} failed ({s})"),
        Err(e) => panic!("running {cxx} to compile {shim}: {e}"),
    }
}
