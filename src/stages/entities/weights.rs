//! Loading float32 safetensors weights straight into a model's variables, and sharing one
//! model's weights with more copies of its network.
//!
//! tch's `VarStore::load` reads the whole file into memory, makes a tensor of every entry and
//! copies those into the variables: three copies of the weights at once (1.4 GB of peak memory
//! for the default 470 MB model). Reading each entry from the file into its variable's own
//! memory keeps one copy. Sharing lets a pool of models (one per core) hold one copy in all.

use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;

use anyhow::{anyhow, bail, ensure, Context, Result};
use serde::Deserialize;
use tch::nn::VarStore;
use tch::{Device, Kind};

/// The largest header a safetensors file may have (the format's own limit).
const MAX_HEADER: u64 = 100_000_000;

#[derive(Deserialize)]
struct Entry {
    dtype: String,
    shape: Vec<i64>,
    data_offsets: (u64, u64),
}

/// Fills every variable of `vs` from the safetensors file `path`, reading each entry into the
/// variable's memory. Returns `Ok(false)`, having changed nothing, when this way does not
/// apply (not a `.safetensors` file, a model not on the CPU, or weights that are not all
/// float32): the caller then uses tch's own loader. A variable missing from the file or of
/// another shape is an error, as with tch.
pub fn load_in_place(vs: &VarStore, path: &Path) -> Result<bool> {
    if path.extension().is_none_or(|e| e != "safetensors")
        || vs.device() != Device::Cpu
        || cfg!(target_endian = "big")
    {
        return Ok(false);
    }
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let (entries, data_start) = read_header(&file)
        .with_context(|| format!("{} is not a safetensors file", path.display()))?;
    let file_len = file.metadata()?.len();

    let mut variables: Vec<(String, tch::Tensor)> = vs.variables().into_iter().collect();
    variables.sort_by(|a, b| a.0.cmp(&b.0));
    let mut plan = Vec::with_capacity(variables.len());
    for (name, var) in &variables {
        let entry = entries
            .get(name)
            .ok_or_else(|| anyhow!("{} lacks the weights {name}", path.display()))?;
        if entry.dtype != "F32" || var.kind() != Kind::Float || !var.is_contiguous() {
            return Ok(false);
        }
        ensure!(
            entry.shape == var.size(),
            "{}: {name} has shape {:?}, the model expects {:?}",
            path.display(),
            entry.shape,
            var.size()
        );
        let (from, to) = entry.data_offsets;
        let bytes = var.numel() as u64 * 4;
        ensure!(
            to.checked_sub(from) == Some(bytes) && data_start + to <= file_len,
            "{}: the data of {name} lies outside the file or has the wrong length",
            path.display()
        );
        plan.push((name, var, data_start + from, bytes as usize));
    }
    tch::no_grad(|| -> Result<()> {
        for (name, var, offset, bytes) in plan {
            // SAFETY: `var` is a contiguous float32 CPU tensor of exactly `bytes` bytes
            // (checked above), and nothing else reads it while the model is being built.
            let memory =
                unsafe { std::slice::from_raw_parts_mut(var.data_ptr() as *mut u8, bytes) };
            file.read_exact_at(memory, offset)
                .with_context(|| format!("cannot read {name} from {}", path.display()))?;
        }
        Ok(())
    })?;
    Ok(true)
}

/// Points every variable of `copy` at the memory of the variable of the same name in
/// `source`, so that the two networks share one set of weights (read-only use from several
/// threads is safe in libtorch). Both must have been built from the same configuration; the
/// copy takes the source's number format too (after the source was cast to bf16, say).
pub fn share(source: &VarStore, copy: &VarStore) -> Result<()> {
    let from = source.variables();
    let mut to = copy.variables();
    ensure!(
        from.len() == to.len(),
        "the model copies have {} and {} variables",
        from.len(),
        to.len()
    );
    for (name, var) in to.iter_mut() {
        let Some(src) = from.get(name) else {
            bail!("the model copy has a variable {name} the first model lacks");
        };
        ensure!(
            src.size() == var.size(),
            "{name} differs between the model copies"
        );
        var.set_data(src);
    }
    Ok(())
}

fn read_header(file: &File) -> Result<(HashMap<String, Entry>, u64)> {
    let mut len = [0u8; 8];
    file.read_exact_at(&mut len, 0)?;
    let len = u64::from_le_bytes(len);
    ensure!(len <= MAX_HEADER, "header of {len} bytes");
    let mut header = vec![0u8; len as usize];
    file.read_exact_at(&mut header, 8)?;
    let mut value: HashMap<String, serde_json::Value> = serde_json::from_slice(&header)?;
    value.remove("__metadata__");
    let entries = value
        .into_iter()
        .map(|(name, v)| Ok((name, serde_json::from_value(v)?)))
        .collect::<Result<_>>()?;
    Ok((entries, 8 + len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tch::nn::{self, Module};
    use tch::Tensor;

    fn net(vs: &VarStore) -> nn::Sequential {
        let root = vs.root();
        nn::seq()
            .add(nn::linear(&root / "a", 6, 4, Default::default()))
            .add(nn::linear(&root / "b", 4, 3, Default::default()))
    }

    fn saved(kind: Kind) -> (tempfile::TempDir, std::path::PathBuf, VarStore) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.safetensors");
        let mut vs = VarStore::new(Device::Cpu);
        net(&vs);
        vs.set_kind(kind);
        vs.save(&path).unwrap();
        vs.set_kind(Kind::Float);
        (dir, path, vs)
    }

    #[test]
    fn float32_weights_are_read_into_the_variables() {
        let (_dir, path, original) = saved(Kind::Float);
        let vs = VarStore::new(Device::Cpu);
        net(&vs);
        assert!(load_in_place(&vs, &path).unwrap());
        assert_eq!(vs.variables().len(), 4);
        for (name, var) in original.variables() {
            assert!(vs.variables()[&name].equal(&var), "{name}");
        }
    }

    #[test]
    fn other_dtypes_are_left_to_tch() {
        let (_dir, path, _) = saved(Kind::Half);
        let vs = VarStore::new(Device::Cpu);
        net(&vs);
        let before: HashMap<String, Tensor> = vs
            .variables()
            .into_iter()
            .map(|(name, t)| (name, t.copy()))
            .collect();
        assert!(!load_in_place(&vs, &path).unwrap());
        for (name, var) in vs.variables() {
            assert!(before[&name].equal(&var), "{name} was changed");
        }
    }

    #[test]
    fn a_missing_or_misshapen_variable_is_an_error_naming_it() {
        let (_dir, path, _) = saved(Kind::Float);
        let vs = VarStore::new(Device::Cpu);
        net(&vs);
        nn::linear(vs.root() / "c", 3, 2, Default::default());
        let e = load_in_place(&vs, &path).unwrap_err().to_string();
        assert!(e.contains("lacks the weights c."), "{e}");

        let vs = VarStore::new(Device::Cpu);
        let root = vs.root();
        nn::linear(&root / "a", 6, 5, Default::default());
        let e = format!("{:#}", load_in_place(&vs, &path).unwrap_err());
        assert!(e.contains("a.") && e.contains("shape"), "{e}");
    }

    #[test]
    fn shared_copies_use_the_same_memory() {
        let (_dir, path, _) = saved(Kind::Float);
        let first = VarStore::new(Device::Cpu);
        let a = net(&first);
        assert!(load_in_place(&first, &path).unwrap());
        let second = VarStore::new(Device::Cpu);
        let b = net(&second);
        share(&first, &second).unwrap();
        for (name, var) in first.variables() {
            assert_eq!(
                second.variables()[&name].data_ptr(),
                var.data_ptr(),
                "{name}"
            );
        }
        let x = Tensor::from_slice(&[1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0]).view([1, 6]);
        assert!(a.forward(&x).equal(&b.forward(&x)));
    }
}
