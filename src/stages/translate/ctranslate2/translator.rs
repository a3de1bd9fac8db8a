//! The CTranslate2 backend of [`SentenceTranslator`]: Marian's tokenizer on the Rust side
//! (the one the libtorch path uses), the model in CTranslate2.

use std::ffi::{c_char, CString};
use std::ptr::{null_mut, NonNull};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use rust_bert::pipelines::common::TokenizerOption;
use rust_tokenizers::tokenizer::TruncationStrategy;

use super::super::backend::SentenceTranslator;
use super::super::marian::marian_tokenizer;
use super::super::{Precision, TranslateOptions};
use super::folder::Ct2Folder;
use super::library::{shim, Shim};

/// CTranslate2's name of the compute type for a precision. int8 is int8 weights with the rest
/// in f32, which runs on any x86-64 CPU.
pub fn compute_type(precision: Precision) -> &'static str {
    match precision {
        Precision::F32 => "float32",
        Precision::Bf16 => "bfloat16",
        Precision::Int8 => "int8_float32",
    }
}

/// Whether CTranslate2 computes bf16 natively here; false when the backend cannot be opened.
pub fn ctranslate2_has_bf16() -> bool {
    shim().map(|s| s.cpu_has_bf16()).unwrap_or(false)
}

/// A loaded CTranslate2 translator: one copy of the weights shared by `replicas` workers.
/// CTranslate2 queues concurrent calls to free workers, so one model serves every caller.
pub struct Ct2Model {
    handle: NonNull<std::ffi::c_void>,
    shim: &'static Shim,
}

// SAFETY: CTranslate2's Translator is documented thread-safe: translate_batch from any
// thread posts the batch to its replica pool and waits for the result.
unsafe impl Send for Ct2Model {}
unsafe impl Sync for Ct2Model {}

impl Drop for Ct2Model {
    fn drop(&mut self) {
        // SAFETY: the handle came from translator_new and is freed once, here.
        unsafe { (self.shim.translator_free)(self.handle.as_ptr()) }
    }
}

impl Ct2Model {
    pub fn load(
        folder: &Ct2Folder,
        precision: Precision,
        replicas: usize,
        threads: usize,
    ) -> Result<Ct2Model> {
        let shim = shim()?;
        let dir = CString::new(folder.dir.to_string_lossy().as_bytes())
            .context("the model folder's path contains a NUL byte")?;
        let compute = CString::new(compute_type(precision)).expect("no NUL");
        let mut error: *mut c_char = null_mut();
        // SAFETY: valid C strings, an out-pointer for the error; the shim catches exceptions.
        let handle = unsafe {
            (shim.translator_new)(
                dir.as_ptr(),
                compute.as_ptr(),
                replicas.max(1),
                threads.max(1),
                &mut error,
            )
        };
        match NonNull::new(handle) {
            Some(handle) => Ok(Ct2Model { handle, shim }),
            None => {
                // SAFETY: the error string was allocated by the shim.
                let message = unsafe { shim.take_string(error) };
                bail!(
                    "translation model folder {}: CTranslate2 {} cannot load it in {}: {message}",
                    folder.dir.display(),
                    shim.version,
                    compute_type(precision)
                )
            }
        }
    }

    /// Translates token sequences; `max_decoding_length` and `min_decoding_length` count
    /// generated tokens, the end token among them.
    pub fn translate_tokens(
        &self,
        batch: &[Vec<&str>],
        beam_size: usize,
        max_decoding_length: usize,
        min_decoding_length: usize,
    ) -> Result<Vec<Vec<String>>> {
        let owned: Vec<CString> = batch
            .iter()
            .flatten()
            .map(|t| CString::new(*t).context("a token contains a NUL byte"))
            .collect::<Result<_>>()?;
        let pointers: Vec<*const c_char> = owned.iter().map(|c| c.as_ptr()).collect();
        let counts: Vec<usize> = batch.iter().map(Vec::len).collect();
        let mut out_counts = vec![0usize; batch.len()];
        let mut out: *mut c_char = null_mut();
        let mut out_len = 0usize;
        let mut error: *mut c_char = null_mut();
        // SAFETY: every pointer is valid for the call; the shim writes out, out_len, one
        // entry of out_counts per sequence, or error.
        let rc = unsafe {
            (self.shim.translate)(
                self.handle.as_ptr(),
                pointers.as_ptr(),
                counts.as_ptr(),
                batch.len(),
                beam_size,
                max_decoding_length,
                min_decoding_length,
                &mut out,
                &mut out_len,
                out_counts.as_mut_ptr(),
                &mut error,
            )
        };
        if rc != 0 {
            // SAFETY: allocated by the shim.
            let message = unsafe { self.shim.take_string(error) };
            bail!("CTranslate2 translation failed: {message}");
        }
        // SAFETY: out holds out_len bytes allocated by the shim; copied, then freed.
        let bytes = unsafe {
            let b = std::slice::from_raw_parts(out.cast::<u8>(), out_len).to_vec();
            self.shim.free(out.cast());
            b
        };
        let mut tokens = bytes
            .split(|b| *b == 0)
            .map(|t| String::from_utf8_lossy(t).into_owned());
        let mut result = Vec::with_capacity(batch.len());
        for n in out_counts {
            let hyp: Vec<String> = tokens.by_ref().take(n).collect();
            if hyp.len() != n {
                bail!("CTranslate2 returned fewer tokens than it counted");
            }
            result.push(hyp);
        }
        Ok(result)
    }
}

/// One worker's view of a shared [`Ct2Model`], with Marian's tokenizer.
pub struct Ct2Translator {
    model: Arc<Ct2Model>,
    tokenizer: Arc<TokenizerOption>,
    tokens: Arc<Vec<String>>,
    ids: Arc<std::collections::HashMap<String, i64>>,
    unk_id: i64,
    max_positions: usize,
    beam_size: usize,
    max_length: usize,
    min_length: usize,
}

impl Ct2Translator {
    /// `options.worker_count()` translators over one model loaded with as many CTranslate2
    /// workers, each on `options.threads_per_worker()` threads.
    pub fn load_workers(
        folder: &Ct2Folder,
        options: &TranslateOptions,
    ) -> Result<Vec<Ct2Translator>> {
        let workers = options.worker_count();
        let model = Arc::new(Ct2Model::load(
            folder,
            options.precision,
            workers,
            options.threads_per_worker(),
        )?);
        let tokenizer = marian_tokenizer(&folder.dir, &folder.vocab_path, &folder.spm_path)?;
        let unk_id = tokenizer.get_unk_id();
        let ids: std::collections::HashMap<String, i64> = folder
            .tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as i64))
            .collect();
        let tokenizer = Arc::new(tokenizer);
        let tokens = Arc::new(folder.tokens.clone());
        let ids = Arc::new(ids);
        Ok((0..workers)
            .map(|_| Ct2Translator {
                model: model.clone(),
                tokenizer: tokenizer.clone(),
                tokens: tokens.clone(),
                ids: ids.clone(),
                unk_id,
                max_positions: folder.max_positions,
                beam_size: options.beam_size,
                max_length: options.max_length,
                min_length: options.min_length,
            })
            .collect())
    }
}

impl SentenceTranslator for Ct2Translator {
    /// The lengths follow rust-bert's generation, whose `max_length` counts the decoder's
    /// start token and which forces the end token at the last position: at most
    /// `max_length - 2` tokens of text, and the end token no earlier than `min_length - 1`.
    fn translate(&mut self, sentences: &[&str]) -> Result<Vec<String>> {
        if sentences.is_empty() {
            return Ok(Vec::new());
        }
        if self.max_length <= 2 {
            return Ok(vec![String::new(); sentences.len()]);
        }
        let encoded = self.tokenizer.encode_list(
            sentences,
            self.max_positions,
            &TruncationStrategy::LongestFirst,
            0,
        );
        let batch: Vec<Vec<&str>> = encoded
            .iter()
            .map(|e| {
                e.token_ids
                    .iter()
                    .map(|id| {
                        self.tokens
                            .get(*id as usize)
                            .map(String::as_str)
                            .unwrap_or("<unk>")
                    })
                    .collect()
            })
            .collect();
        let output = self.model.translate_tokens(
            &batch,
            self.beam_size,
            self.max_length - 2,
            self.min_length.saturating_sub(1),
        )?;
        Ok(output
            .iter()
            .map(|hyp| {
                let ids: Vec<i64> = hyp
                    .iter()
                    .map(|t| self.ids.get(t).copied().unwrap_or(self.unk_id))
                    .collect();
                self.tokenizer.decode(&ids, true, true).trim().to_owned()
            })
            .collect())
    }
}
