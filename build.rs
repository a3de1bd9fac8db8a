// Bakes two folders into the binaries' rpath so they run with no LD_LIBRARY_PATH:
// `$ORIGIN/../lib` first, for an installed tree (scripts/install.sh puts libtorch's libraries
// in lib/ beside bin/, so the tree works wherever it is moved), then libtorch's own folder,
// for the binaries cargo builds and runs in place (there is no lib/ beside target/*/).
//
// As DT_RPATH, not the linker's default DT_RUNPATH: the loader reads RPATH before
// LD_LIBRARY_PATH, RUNPATH after it, so with RUNPATH an LD_LIBRARY_PATH naming another
// libtorch (a CUDA or conda set-up) would replace the installed one, and a libtorch of another
// version crashes or computes differently.
fn main() {
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    println!("cargo:rustc-link-arg=-Wl,--disable-new-dtags");
    println!("cargo:rustc-link-arg=-Wl,-rpath,$ORIGIN/../lib");
    if let Ok(dir) = std::env::var("LIBTORCH") {
        let lib = std::path::Path::new(&dir).join("lib");
        let lib = lib.canonicalize().unwrap_or(lib);
        println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib.display());
    }
}
