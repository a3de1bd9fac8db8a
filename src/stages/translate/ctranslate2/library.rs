//! Finds and opens `libnewsextract_ct2.so`, the C shim over CTranslate2 (`shim.cpp`), once
//! per process.
//!
//! Opened at run time rather than linked: the 80 MB CTranslate2 library and its OpenMP
//! runtime are loaded only by runs that translate with a CTranslate2 folder, and a build
//! without CTranslate2 (no `.deps/ctranslate2`) still builds and runs everything else.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::path::PathBuf;
use std::sync::OnceLock;

use anyhow::{anyhow, Result};

/// File name of the shim, in `lib/` of an installed tree or where build.rs wrote it.
pub const SHIM_FILE: &str = "libnewsextract_ct2.so";

/// Environment variable naming the shim to open instead of the usual places.
pub const SHIM_ENV: &str = "NEWSEXTRACT_CT2_SHIM";

pub type TranslatorNew = unsafe extern "C" fn(
    model_dir: *const c_char,
    compute_type: *const c_char,
    replicas: usize,
    threads_per_replica: usize,
    error: *mut *mut c_char,
) -> *mut c_void;
pub type TranslatorFree = unsafe extern "C" fn(translator: *mut c_void);
pub type Translate = unsafe extern "C" fn(
    translator: *mut c_void,
    tokens: *const *const c_char,
    counts: *const usize,
    n: usize,
    beam_size: usize,
    max_decoding_length: usize,
    min_decoding_length: usize,
    out: *mut *mut c_char,
    out_len: *mut usize,
    out_counts: *mut usize,
    error: *mut *mut c_char,
) -> c_int;
type Free = unsafe extern "C" fn(p: *mut c_void);
type CpuHasBf16 = unsafe extern "C" fn() -> c_int;
type Version = unsafe extern "C" fn() -> *const c_char;

/// The shim's entry points. The library stays open for the life of the process.
pub struct Shim {
    _library: libloading::Library,
    pub translator_new: TranslatorNew,
    pub translator_free: TranslatorFree,
    pub translate: Translate,
    free: Free,
    cpu_has_bf16: CpuHasBf16,
    pub version: String,
    pub path: PathBuf,
}

impl Shim {
    /// Takes ownership of a string the shim allocated.
    ///
    /// # Safety
    /// `p` must be null or a NUL-terminated string allocated by the shim, not freed yet.
    pub unsafe fn take_string(&self, p: *mut c_char) -> String {
        if p.is_null() {
            return String::new();
        }
        let s = CStr::from_ptr(p).to_string_lossy().into_owned();
        (self.free)(p.cast());
        s
    }

    /// Frees a buffer the shim allocated.
    ///
    /// # Safety
    /// `p` must be null or a buffer allocated by the shim, not freed yet.
    pub unsafe fn free(&self, p: *mut c_void) {
        if !p.is_null() {
            (self.free)(p);
        }
    }

    /// Whether CTranslate2 computes bf16 natively on this CPU.
    pub fn cpu_has_bf16(&self) -> bool {
        // SAFETY: no arguments; the shim catches every exception.
        unsafe { (self.cpu_has_bf16)() != 0 }
    }
}

/// The places the shim is looked for, in order: [`SHIM_ENV`], `lib/` beside the
/// executable's folder (an installed tree), the file build.rs compiled.
pub fn shim_candidates() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(p) = std::env::var_os(SHIM_ENV) {
        out.push(PathBuf::from(p));
        return out;
    }
    if let Some(lib) = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("lib").join(SHIM_FILE)))
    {
        out.push(lib);
    }
    if let Some(built) = option_env!("NEWSEXTRACT_CT2_SHIM_BUILT") {
        out.push(PathBuf::from(built));
    }
    out
}

/// The shim, opened on first use. The error says where it was looked for, or why the build
/// has none.
pub fn shim() -> Result<&'static Shim> {
    static SHIM: OnceLock<std::result::Result<Shim, String>> = OnceLock::new();
    SHIM.get_or_init(open).as_ref().map_err(|e| anyhow!("{e}"))
}

fn open() -> std::result::Result<Shim, String> {
    let candidates = shim_candidates();
    let Some(path) = candidates.iter().find(|p| p.is_file()) else {
        let why = option_env!("NEWSEXTRACT_CT2_SHIM_MISSING")
            .map(|w| format!(" This build has no CTranslate2 backend: {w}."))
            .unwrap_or_default();
        return Err(format!(
            "the CTranslate2 backend ({SHIM_FILE}) was not found (looked at {}).{why} Run `make \
             setup` (scripts/setup-ctranslate2.sh) and rebuild, or use a Hugging Face Marian \
             folder, which runs on libtorch",
            candidates
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    // RTLD_DEEPBIND: CTranslate2 and libtorch both carry Intel MKL, and libtorch's copy is
    // loaded first and exports its symbols; without it CTranslate2's calls into MKL would bind
    // to libtorch's copy (another version, other threading) and crash. RTLD_LOCAL keeps
    // CTranslate2's symbols away from everything else.
    // SAFETY: the shim is our own library; loading it runs CTranslate2's static
    // initialisers, which only set up its CPU dispatch and logging.
    let library = unsafe {
        libloading::os::unix::Library::open(
            Some(path),
            libc::RTLD_NOW | libc::RTLD_LOCAL | libc::RTLD_DEEPBIND,
        )
    }
    .map(libloading::Library::from)
    .map_err(|e| {
        format!(
            "the CTranslate2 backend {} cannot be opened: {e}",
            path.display()
        )
    })?;
    // SAFETY: the symbol types are those of shim.cpp's extern "C" functions, and the
    // function pointers are used only while the library stays open (it is kept in the Shim).
    unsafe {
        fn sym<T: Copy>(
            library: &libloading::Library,
            path: &std::path::Path,
            name: &[u8],
        ) -> std::result::Result<T, String> {
            // SAFETY: see the caller.
            unsafe { library.get::<T>(name) }.map(|s| *s).map_err(|e| {
                format!(
                    "the CTranslate2 backend {} is incomplete: {e}",
                    path.display()
                )
            })
        }
        let translator_new: TranslatorNew = sym(&library, path, b"nx_ct2_translator_new\0")?;
        let translator_free: TranslatorFree = sym(&library, path, b"nx_ct2_translator_free\0")?;
        let translate: Translate = sym(&library, path, b"nx_ct2_translate\0")?;
        let free: Free = sym(&library, path, b"nx_ct2_free\0")?;
        let cpu_has_bf16: CpuHasBf16 = sym(&library, path, b"nx_ct2_cpu_has_bf16\0")?;
        let version: Version = sym(&library, path, b"nx_ct2_version\0")?;
        let version = CStr::from_ptr(version()).to_string_lossy().into_owned();
        Ok(Shim {
            _library: library,
            translator_new,
            translator_free,
            translate,
            free,
            cpu_has_bf16,
            version,
            path: path.clone(),
        })
    }
}
