//! The installed tree (`make install`, scripts/install.sh): installed into a temporary prefix,
//! moved elsewhere, then run on the seeds from other working directories through each route
//! of the models lookup, loading libtorch from its own lib/ even when LD_LIBRARY_PATH names
//! the build folder's.
//!
//! Installs the test build of the binary (a release build here would cost CI minutes) with
//! `--link`: the ~1 GB of libraries and model are hard-linked where the file system allows
//! (about 2 s), copied otherwise.

mod support;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use support::cli::*;

/// The installed binary, run in `cwd` with none of the build's or the user's settings:
/// no NEWSEXTRACT_MODELS unless the test sets it.
fn installed(root: &Path, cwd: &Path) -> Command {
    let mut cmd = Command::new(root.join("bin/newsextract"));
    cmd.current_dir(cwd)
        .env_remove("NEWSEXTRACT_MODELS")
        .env_remove("LD_LIBRARY_PATH");
    cmd
}

/// [`installed`] without root's power to write anywhere (setpriv, from util-linux, drops
/// the capabilities), so that file permissions apply as they do for any other user.
fn installed_as_a_user(root: &Path, cwd: &Path) -> Command {
    if unsafe { libc::geteuid() } != 0 {
        return installed(root, cwd);
    }
    let mut cmd = Command::new("setpriv");
    cmd.args(["--bounding-set", "-dac_override,-dac_read_search", "--"])
        .arg(root.join("bin/newsextract"))
        .current_dir(cwd)
        .env_remove("NEWSEXTRACT_MODELS")
        .env_remove("LD_LIBRARY_PATH");
    cmd
}

fn run_seeds(mut cmd: Command, out: &Path, extra: &[&str]) -> Output {
    cmd.arg("run")
        .arg("--input")
        .arg(repo().join("seeds"))
        .arg("--output")
        .arg(out)
        .arg("--quiet")
        .args(extra)
        .output()
        .expect("installed binary starts")
}

/// The NER model folder name each record's provenance names, once per run.
fn ner_model_used(out: &Path) -> String {
    let recs = records(out);
    assert_eq!(recs.len(), 5, "every seed article processed");
    let names: BTreeSet<String> = recs
        .iter()
        .map(|r| {
            r["provenance"]["models"]["entities"]["name"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    names.into_iter().next().unwrap()
}

/// A models folder whose models.toml names `name` as the NER default, `name` being a link to
/// the installed model, so the record's provenance tells which models folder a run used.
fn models_folder(dir: &Path, name: &str, model: &Path) {
    fs::create_dir_all(dir).unwrap();
    fs::write(
        dir.join("models.toml"),
        format!("[entities]\ndefault = \"{name}\"\n"),
    )
    .unwrap();
    std::os::unix::fs::symlink(model, dir.join(name)).unwrap();
}

/// The shared libraries a process loaded, from the loader's own log (LD_DEBUG=libs, one
/// `calling init: PATH` line per library).
fn loaded_libraries(log_prefix: &Path) -> Vec<PathBuf> {
    let dir = log_prefix.parent().unwrap();
    let stem = log_prefix.file_name().unwrap().to_str().unwrap();
    let mut libs = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap();
        if !name.starts_with(&format!("{stem}.")) {
            continue;
        }
        for line in fs::read_to_string(&path).unwrap().lines() {
            if let Some((_, lib)) = line.split_once("calling init: ") {
                libs.push(PathBuf::from(lib.trim()));
            }
        }
    }
    libs
}

#[test]
fn installed_tree_runs_after_a_move_from_any_folder_through_each_models_route() {
    // Under cargo's target folder: usually the file system of .deps/ and models/, so that
    // --link can hard-link.
    let work = tempfile::Builder::new()
        .prefix("install-tree-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap();
    let work = work.path();
    let staged = work.join("stage/opt/newsextract");

    let started = Instant::now();
    let o = Command::new("bash")
        .arg(repo().join("scripts/install.sh"))
        .arg("--prefix")
        .arg(&staged)
        .arg("--binary")
        .arg(env!("CARGO_BIN_EXE_newsextract"))
        .arg("--link")
        .output()
        .unwrap();
    assert_exit(&o, 0);
    eprintln!(
        "installed in {:.1}s: {}",
        started.elapsed().as_secs_f64(),
        String::from_utf8_lossy(&o.stderr).trim()
    );

    // The tree: the binary, libtorch's libraries (none of the C/C++ runtime, not the
    // link-time stand-in libtorch.so), the default model with models.toml, man pages, and
    // completions that know the subcommands and flags.
    let lib: BTreeSet<String> = fs::read_dir(staged.join("lib"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    for needed in ["libtorch_cpu.so", "libc10.so"] {
        assert!(lib.contains(needed), "{lib:?}");
    }
    // The CTranslate2 backend: the shim, CTranslate2 and its OpenMP runtime, loaded only by
    // runs that translate with a CTranslate2 folder.
    let ct2_backend: BTreeSet<String> = fs::read_dir(repo().join(".deps/ctranslate2/lib"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_type().unwrap().is_symlink())
        .map(|e| e.file_name().into_string().unwrap())
        .chain(["libnewsextract_ct2.so".to_string()])
        .collect();
    assert!(
        ct2_backend.is_subset(&lib),
        "{ct2_backend:?} not all in {lib:?}"
    );
    for system_or_unused in [
        "libc.so.6",
        "libstdc++.so.6",
        "libgcc_s.so.1",
        "libtorch.so",
    ] {
        assert!(!lib.contains(system_or_unused), "{lib:?}");
    }
    let models = staged.join("share/newsextract/models");
    assert!(models.join("models.toml").is_file());
    newsextract::models::validate_model_dir(&models.join("ner-de-e5small")).unwrap();
    for page in ["newsextract.1", "newsextract-run.1", "newsextract-merge.1"] {
        let text = fs::read_to_string(staged.join("share/man/man1").join(page)).unwrap();
        assert!(text.contains(".TH"), "{page} is a man page");
        if page == "newsextract-run.1" {
            assert!(
                text.contains("NEWSEXTRACT_MODELS"),
                "{page} documents the lookup"
            );
        }
    }
    for script in [
        "bash-completion/completions/newsextract",
        "zsh/site-functions/_newsextract",
        "fish/vendor_completions.d/newsextract.fish",
    ] {
        let text = fs::read_to_string(staged.join("share").join(script)).unwrap();
        assert!(
            text.contains("merge") && text.contains("ner-model"),
            "{script}"
        );
    }
    // Nothing in the tree points back into the build folder.
    for entry in walkdir::WalkDir::new(&staged) {
        let entry = entry.unwrap();
        assert!(!entry.path_is_symlink(), "{}", entry.path().display());
    }

    // Moved to a different place and depth: anything found through an absolute path from
    // the install would now be gone.
    let root = work.join("moved/somewhere/else/nx");
    fs::create_dir_all(root.parent().unwrap()).unwrap();
    fs::rename(&staged, &root).unwrap();
    fs::remove_dir_all(work.join("stage")).unwrap();
    let model = root.join("share/newsextract/models/ner-de-e5small");

    // The installed models, from a folder with no models/ of its own. LD_LIBRARY_PATH names
    // the build folder's libtorch: the tree's own must win, and every library of lib/ must be
    // one the run loads (lib/ holds exactly what the binary needs).
    let plain = work.join("plain");
    fs::create_dir_all(&plain).unwrap();
    let ld_log = work.join("ld");
    let mut cmd = installed(&root, &plain);
    cmd.env("LD_LIBRARY_PATH", repo().join(".deps/libtorch/lib"))
        .env("LD_DEBUG", "libs")
        .env("LD_DEBUG_OUTPUT", &ld_log);
    let started = Instant::now();
    let o = run_seeds(cmd, &work.join("out-installed"), &[]);
    assert_exit(&o, 0);
    eprintln!(
        "seeds through the installed binary: {:.1}s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(
        ner_model_used(&work.join("out-installed")),
        "ner-de-e5small"
    );
    let first = records(&work.join("out-installed"))
        .into_iter()
        .find(|r| r["id"] == "000_13a0ca2b9b5ed249")
        .unwrap();
    check_record(&first);
    assert!(
        first["entity_summary"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["canonical"] == "Wladimir Putin" && e["label"] == "PER"),
        "the installed model finds entities"
    );
    let own_lib = root.join("lib").canonicalize().unwrap();
    let loaded = loaded_libraries(&ld_log);
    let from_tree: BTreeSet<String> = loaded
        .iter()
        .filter_map(|p| {
            let p = p.canonicalize().unwrap();
            p.starts_with(&own_lib)
                .then(|| p.file_name().unwrap().to_str().unwrap().to_string())
        })
        .collect();
    let without_ct2: BTreeSet<String> = lib.difference(&ct2_backend).cloned().collect();
    assert_eq!(from_tree, without_ct2, "loaded from lib/: {loaded:#?}");
    for p in &loaded {
        let p = p.canonicalize().unwrap();
        assert!(
            p.starts_with(&own_lib)
                || ["/lib", "/lib64", "/usr/lib", "/usr/lib64"]
                    .iter()
                    .any(|sys| p.starts_with(sys)),
            "{} loaded from outside the tree and the system",
            p.display()
        );
    }

    // Translation with a CTranslate2 folder: the backend comes from the tree's lib/ too, even
    // with LD_LIBRARY_PATH naming the build folder's CTranslate2.
    let hf = support::marian::write_tiny_marian_with(work, "tiny-hf", 3, true);
    let ct2 = work.join("tiny-ct2");
    let o = installed(&root, &plain)
        .args(["models", "convert"])
        .arg(&hf)
        .arg(&ct2)
        .output()
        .unwrap();
    assert_exit(&o, 0);
    let ld_log = work.join("ld-ct2");
    let mut cmd = installed(&root, &plain);
    cmd.env("LD_LIBRARY_PATH", repo().join(".deps/ctranslate2/lib"))
        .env("LD_DEBUG", "libs")
        .env("LD_DEBUG_OUTPUT", &ld_log);
    let ct2_arg = ct2.to_str().unwrap();
    let out = work.join("out-ct2");
    let o = run_seeds(
        cmd,
        &out,
        &[
            "--no-entities",
            "--translate",
            "--translation-model",
            ct2_arg,
            "--max-length",
            "8",
        ],
    );
    assert_exit(&o, 0);
    assert!(records(&out)
        .iter()
        .all(|r| r["translation"]["sentences"].is_array()));
    let loaded = loaded_libraries(&ld_log);
    for name in &ct2_backend {
        let from = loaded
            .iter()
            .find(|p| p.file_name().unwrap().to_str() == Some(name.as_str()))
            .unwrap_or_else(|| panic!("{name} not loaded: {loaded:#?}"));
        assert!(
            from.canonicalize().unwrap().starts_with(&own_lib),
            "{} loaded from outside the tree",
            from.display()
        );
    }

    // Each route of the lookup, all present at once: --models, then NEWSEXTRACT_MODELS, then
    // ./models when it holds a models.toml.
    let with_models = work.join("project");
    models_folder(&with_models.join("models"), "ner-cwd", &model);
    models_folder(&work.join("by-env"), "ner-env", &model);
    models_folder(&work.join("by-flag"), "ner-flag", &model);
    let flag = work.join("by-flag");
    let routes: [(&str, bool, Option<&Path>); 3] = [
        ("ner-flag", true, Some(flag.as_path())),
        ("ner-env", true, None),
        ("ner-cwd", false, None),
    ];
    for (expected, env, flag) in routes {
        let mut cmd = installed(&root, &with_models);
        if env {
            cmd.env("NEWSEXTRACT_MODELS", work.join("by-env"));
        }
        let out = work.join(format!("out-{expected}"));
        let flag_args: Vec<&str> = flag
            .map(|f| vec!["--models", f.to_str().unwrap()])
            .unwrap_or_default();
        let o = run_seeds(cmd, &out, &flag_args);
        assert_exit(&o, 0);
        assert_eq!(ner_model_used(&out), expected);
    }

    // `models fetch` writes to the first writable place of the same list: here the
    // installed models folder (it stops at the unreachable hub, before writing anything).
    let o = installed(&root, &plain)
        .args(["models", "fetch"])
        .env("HF_ENDPOINT", "http://127.0.0.1:9")
        .env("RUSTBERT_CACHE", work.join("cache"))
        .output()
        .unwrap();
    assert_exit(&o, 2);
    let stderr = String::from_utf8_lossy(&o.stderr);
    let installed_models = root.join("share/newsextract/models");
    assert!(
        stderr.contains(&format!(
            "fetching into {} (installed)",
            installed_models.display()
        )) && stderr.contains("cannot reach the model hub"),
        "{stderr}"
    );

    // A tree installed by root, fetched into by a user: no place is left to write to, and
    // the error says why for each.
    let set_mode = |mode| {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&installed_models, fs::Permissions::from_mode(mode)).unwrap();
    };
    set_mode(0o555);
    let o = installed_as_a_user(&root, &plain)
        .args(["models", "fetch"])
        .env("HF_ENDPOINT", "http://127.0.0.1:9")
        .env("RUSTBERT_CACHE", work.join("cache"))
        .output()
        .unwrap();
    set_mode(0o755);
    assert_exit(&o, 2);
    let stderr = String::from_utf8_lossy(&o.stderr);
    for needle in [
        "no writable models folder to fetch into".to_string(),
        format!(
            "{} (./models): does not exist",
            plain.join("models").display()
        ),
        format!("{} (installed): not writable", installed_models.display()),
    ] {
        assert!(stderr.contains(&needle), "{needle:?} not in {stderr}");
    }

    // No models anywhere: ./models without a models.toml, and an installed tree that lost
    // its own. The error names each place and why, and nothing is processed.
    fs::create_dir_all(plain.join("models")).unwrap();
    fs::rename(
        installed_models.join("models.toml"),
        work.join("models.toml.away"),
    )
    .unwrap();
    let out = work.join("out-none");
    let o = run_seeds(installed(&root, &plain), &out, &[]);
    assert_exit(&o, 2);
    let stderr = String::from_utf8_lossy(&o.stderr);
    for needle in [
        format!(
            "{} (./models): holds no models.toml",
            plain.join("models").display()
        ),
        format!(
            "{} (installed): holds no models.toml",
            installed_models.display()
        ),
        "--models DIR or set NEWSEXTRACT_MODELS".to_string(),
    ] {
        assert!(stderr.contains(&needle), "{needle:?} not in {stderr}");
    }
    assert!(records(&out).is_empty());
}
