//! The CTranslate2 backend against the libtorch one, on a tiny Marian of the real architecture
//! (random weights, generated at test time) in both formats: the converter writes the
//! CTranslate2 form from the same weights, so with greedy decoding in f32 both must give the
//! same translations.

mod support;

use std::path::Path;

use newsextract::precision::Precision;
use newsextract::stage::Stage;
use newsextract::stages::translate::ctranslate2::{
    convert_marian, ctranslate2_has_bf16, Ct2Folder,
};
use newsextract::stages::translate::{Engine, MarianFolder, TranslateOptions, TranslateStage};
use support::cli;
use support::marian::*;

/// The shared test sentences and a few more: a question, a range, one word.
fn sentences() -> Vec<&'static str> {
    SENTENCES
        .into_iter()
        .chain([
            "Der Hafen meldet 20 bis 60 Schiffe pro Tag.",
            "Wer hat das gesagt?",
            "Bis zu drei Millionen Artilleriegeschosse sollen geliefert werden, hieß es am Abend.",
            "Köln",
        ])
        .collect()
}

fn options(beam: usize, max_length: usize, precision: Precision) -> TranslateOptions {
    TranslateOptions {
        beam_size: beam,
        max_length,
        batch_size: 4,
        precision,
        intra_op_threads: 1,
        ..Default::default()
    }
}

/// A tiny Marian folder and its CTranslate2 form, under `parent`.
fn both_forms(parent: &Path, seed: i64) -> (std::path::PathBuf, std::path::PathBuf) {
    let hf = write_tiny_marian_with(parent, "tiny-hf", seed, true);
    let ct2 = parent.join("tiny-ct2");
    convert_marian(&MarianFolder::inspect(&hf).unwrap(), &ct2).unwrap();
    (hf, ct2)
}

fn translate(dir: &Path, opts: TranslateOptions, cache: &Path) -> Vec<String> {
    let stage = TranslateStage::load(dir, opts, cache).unwrap();
    stage.translate_sentences(&sentences()).unwrap()
}

#[test]
fn f32_translations_are_those_of_the_libtorch_path() {
    let tmp = tempfile::tempdir().unwrap();
    for seed in [3, 11] {
        let parent = tmp.path().join(format!("seed{seed}"));
        let (hf, ct2) = both_forms(&parent, seed);
        // Greedy with max_length 24 lets most outputs end on their own; 6 cuts them, which
        // checks that the length limits mean the same on both sides. Beam 4 as well: not
        // promised (the engines normalise beam scores their own ways), but equal on these
        // models, and a change that breaks it deserves a look.
        for (beam, max_length) in [(1, 24), (1, 6), (4, 24)] {
            let opts = options(beam, max_length, Precision::F32);
            let case = format!("seed {seed}, beam {beam}, max_length {max_length}");
            let libtorch = translate(&hf, opts.clone(), &parent.join(format!("hf {case}")));
            let ctranslate2 = translate(&ct2, opts.clone(), &parent.join(format!("ct2 {case}")));
            assert_eq!(ctranslate2, libtorch, "{case}");
            // Two CTranslate2 workers sharing the model, batches of two at once.
            let pooled = TranslateOptions {
                workers: 2,
                batch_size: 2,
                ..opts
            };
            let ctranslate2 = translate(&ct2, pooled, &parent.join(format!("pool {case}")));
            assert_eq!(ctranslate2, libtorch, "2 workers: {case}");
            let distinct: std::collections::HashSet<&String> = libtorch.iter().collect();
            assert!(
                distinct.len() >= 3 && libtorch.iter().any(|t| !t.is_empty()),
                "the random model should say different things: {libtorch:?}"
            );
        }
    }
}

#[test]
fn int8_and_bf16_translate_on_ctranslate2_and_int8_is_refused_on_libtorch() {
    let tmp = tempfile::tempdir().unwrap();
    let (hf, ct2) = both_forms(tmp.path(), 5);
    let int8 = translate(
        &ct2,
        options(4, 24, Precision::Int8),
        &tmp.path().join("c1"),
    );
    assert_eq!(int8.len(), sentences().len());
    assert!(int8.iter().any(|t| !t.is_empty()), "{int8:?}");
    // bf16 where CTranslate2 has a fast path for it; elsewhere it refuses, and so must we,
    // at start-up and naming the folder.
    let bf16 = TranslateStage::load(
        &ct2,
        options(1, 24, Precision::Bf16),
        &tmp.path().join("c2"),
    );
    if ctranslate2_has_bf16() {
        let english = bf16.unwrap().translate_sentences(&sentences()).unwrap();
        assert_eq!(english.len(), sentences().len());
    } else {
        let err = bf16.err().expect("no bf16 here").to_string();
        assert!(
            err.contains("tiny-ct2") && err.contains("bfloat16"),
            "{err}"
        );
    }

    let err = TranslateStage::load(&hf, options(1, 24, Precision::Int8), &tmp.path().join("c3"))
        .err()
        .expect("libtorch has no int8 translation")
        .to_string();
    assert!(
        err.contains("int8") && err.contains("models convert") && err.contains("tiny-hf"),
        "{err}"
    );
}

#[test]
fn the_folder_format_picks_the_engine_which_enters_fingerprint_and_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let (hf, ct2) = both_forms(tmp.path(), 9);
    let cache = tmp.path().join("cache");
    let on_ct2 = TranslateStage::load(&ct2, options(1, 12, Precision::F32), &cache).unwrap();
    assert_eq!(on_ct2.engine(), Engine::CTranslate2);
    assert_eq!(on_ct2.describe()["engine"], "ctranslate2");
    assert_eq!(on_ct2.model().name, "tiny-ct2");
    assert_eq!(on_ct2.model().sha256, sha256_file(&ct2.join("model.bin")));
    let on_libtorch = TranslateStage::load(&hf, options(1, 12, Precision::F32), &cache).unwrap();
    assert_eq!(on_libtorch.engine(), Engine::Libtorch);
    // Fingerprints of libtorch runs stay what they were before there was a choice.
    assert!(on_libtorch.describe().get("engine").is_none());
    assert_ne!(on_ct2.cache().path(), on_libtorch.cache().path());
}

#[test]
fn broken_ctranslate2_folders_are_refused_naming_the_folder_and_the_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, ct2) = both_forms(tmp.path(), 2);

    let no_spm = tmp.path().join("no-spm");
    copy_dir(&ct2, &no_spm);
    std::fs::remove_file(no_spm.join("source.spm")).unwrap();
    let err = Ct2Folder::inspect(&no_spm).unwrap_err().to_string();
    assert!(
        err.contains("no-spm") && err.contains("source.spm"),
        "{err}"
    );

    // A vocabulary that does not match the tokenizer's would make the model read other words.
    let other_vocab = tmp.path().join("other-vocab");
    copy_dir(&ct2, &other_vocab);
    let path = other_vocab.join("shared_vocabulary.json");
    let mut tokens: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    tokens.swap(5, 6);
    std::fs::write(&path, serde_json::to_string(&tokens).unwrap()).unwrap();
    let err = Ct2Folder::inspect(&other_vocab).unwrap_err().to_string();
    assert!(
        err.contains("other-vocab") && err.contains("vocab.json does not match"),
        "{err}"
    );

    // A model.bin CTranslate2 cannot read: the load error names the folder.
    let truncated = tmp.path().join("truncated");
    copy_dir(&ct2, &truncated);
    let bin = truncated.join("model.bin");
    let bytes = std::fs::read(&bin).unwrap();
    std::fs::write(&bin, &bytes[..bytes.len() / 2]).unwrap();
    let err = TranslateStage::load(
        &truncated,
        options(1, 12, Precision::F32),
        &tmp.path().join("c"),
    )
    .err()
    .expect("half a model.bin must not load")
    .to_string();
    assert!(
        err.contains("truncated") && err.contains("CTranslate2"),
        "{err}"
    );
}

#[test]
fn conversion_refuses_what_would_translate_differently_and_never_leaves_half_a_folder() {
    let tmp = tempfile::tempdir().unwrap();
    // The default tiny model has a random <pad> row: CTranslate2 would start the decoder
    // elsewhere than rust-bert does.
    let hf = write_tiny_marian(tmp.path(), "random-pad", 4);
    let out = tmp.path().join("out");
    let err = convert_marian(&MarianFolder::inspect(&hf).unwrap(), &out)
        .unwrap_err()
        .to_string();
    assert!(err.contains("<pad>") && err.contains("random-pad"), "{err}");
    assert!(!out.exists());
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("converting"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // An existing folder is never overwritten.
    let (hf, ct2) = both_forms(&tmp.path().join("ok"), 4);
    let err = convert_marian(&MarianFolder::inspect(&hf).unwrap(), &ct2)
        .unwrap_err()
        .to_string();
    assert!(err.contains("already exists"), "{err}");
}

/// The command line: `models convert`, then a run on the converted folder translates with
/// CTranslate2 and says so in run.json; auto precision is resolved and recorded.
#[test]
fn cli_converts_and_runs_on_the_converted_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let hf = write_tiny_marian_with(tmp.path(), "tiny-hf", 8, true);
    let ct2 = tmp.path().join("tiny-ct2");
    let o = cli::bin()
        .args(["models", "convert"])
        .arg(&hf)
        .arg(&ct2)
        .output()
        .unwrap();
    cli::assert_exit(&o, 0);
    assert!(Ct2Folder::inspect(&ct2).is_ok());
    let again = cli::bin()
        .args(["models", "convert"])
        .arg(&hf)
        .arg(&ct2)
        .output()
        .unwrap();
    cli::assert_exit(&again, 2);
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(
        input.join("a.txt"),
        "Die Regierung will 10.000 neue Wohnungen bauen. Drei Millionen Menschen sind betroffen.",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let ct2_arg = ct2.to_string_lossy().into_owned();
    let o = cli::run(
        &[&input],
        &out,
        &[
            "--no-entities",
            "--translate",
            "--translation-model",
            &ct2_arg,
            "--beam-size",
            "1",
            "--max-length",
            "12",
            "--languages",
            "de",
        ],
    );
    cli::assert_exit(&o, 0);
    let records = cli::records(&out);
    assert_eq!(records.len(), 1);
    let english = records[0]["translation"]["sentences"].as_array().unwrap();
    assert_eq!(english.len(), 2, "{:?}", records[0]["translation"]);
    let stage = &cli::run_json(&out)["config"]["stages"]["translate"];
    assert_eq!(stage["engine"], "ctranslate2", "{stage}");
    let precision = stage["options"]["precision"].as_str().unwrap_or("f32");
    assert!(["int8", "bf16"].contains(&precision), "{stage}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// A hub on loopback serving `files` (URL path to bytes) to HEAD and GET, for `models fetch`.
fn local_hub(files: std::collections::HashMap<String, Vec<u8>>) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            let mut parts = request.split_whitespace();
            let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let response = match files.get(path) {
                Some(body) => {
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nETag: \"{}\"\r\n\
                         Connection: close\r\n\r\n",
                        body.len(),
                        body.len()
                    );
                    let mut r = head.into_bytes();
                    if method == "GET" {
                        r.extend_from_slice(body);
                    }
                    r
                }
                None => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_vec(),
            };
            let _ = stream.write_all(&response);
        }
    });
    address
}

/// `models fetch` converts the translation model it downloads into its CTranslate2 form and
/// names that the default; the converted folder translates as the downloaded one does.
#[test]
fn fetch_converts_the_translation_model_and_makes_it_the_default() {
    use newsextract::models::{self, FetchOptions, HUB};
    let tmp = tempfile::tempdir().unwrap();
    // The tiny model as the hub serves rust-bert's opus-mt files (weights in libtorch's
    // format); stand-ins for the NER model's files, which fetch only checks for presence.
    let hf = write_tiny_marian_with(tmp.path(), "served", 6, true);
    let weights = tch::Tensor::read_safetensors(hf.join("model.safetensors")).unwrap();
    let ot = tmp.path().join("rust_model.ot");
    tch::Tensor::save_multi(&weights, &ot).unwrap();
    let mut files = std::collections::HashMap::new();
    for model in models::remote_models() {
        for file in &model.files {
            let body = match (model.stage, file.file_name) {
                ("translation", "rust_model.ot") => std::fs::read(&ot).unwrap(),
                ("translation", name) => std::fs::read(hf.join(name)).unwrap(),
                (_, "config.json") => br#"{"model_type": "xlm-roberta"}"#.to_vec(),
                _ => b"stand-in".to_vec(),
            };
            files.insert(file.url.strip_prefix(HUB).unwrap().to_string(), body);
        }
    }
    let endpoint = local_hub(files);
    let models_dir = tmp.path().join("models");
    let fetch_options = FetchOptions {
        cache_dir: tmp.path().join("cache"),
        connect_timeout: std::time::Duration::from_secs(3),
        timeout: Some(std::time::Duration::from_secs(30)),
        max_retries: 0,
        progress: false,
        endpoint,
    };
    let written = models::fetch(&models_dir, &fetch_options).unwrap();
    let ct2 = models_dir.join(models::FETCH_TRANSLATION_CT2_NAME);
    assert!(written.contains(&ct2), "{written:?}");
    assert_eq!(
        models::default_model_name(&models_dir, "translation").unwrap(),
        models::FETCH_TRANSLATION_CT2_NAME
    );
    let resolved = models::resolve_model_dir(&models_dir, "translation", None).unwrap();
    let opts = options(1, 16, Precision::F32);
    let downloaded = models_dir.join(models::FETCH_TRANSLATION_NAME);
    assert_eq!(
        translate(&resolved, opts.clone(), &tmp.path().join("c1")),
        translate(&downloaded, opts, &tmp.path().join("c2"))
    );
    // Fetching again keeps the conversion (checked, not redone).
    let before = std::fs::metadata(ct2.join("model.bin"))
        .unwrap()
        .modified()
        .unwrap();
    models::fetch(&models_dir, &fetch_options).unwrap();
    let after = std::fs::metadata(ct2.join("model.bin"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
}
