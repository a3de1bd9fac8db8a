//! Random weights for test models that depend on a seed and nothing else. libtorch's
//! global generator is no use for that: the tests of one binary run on parallel threads, and
//! every model construction (any test loading a model) draws from it, so `tch::manual_seed`
//! before building a fixture does not make its weights reproducible.

use std::collections::HashMap;

use tch::{nn::VarStore, Tensor};

/// Redraws every variable of `vs` that libtorch initialised at random, with libtorch's own
/// distributions but from `seed` (and the variable's name): embedding matrices standard
/// normal, linear weights uniform within ±sqrt(6 / fan_in), their biases within
/// ±1 / sqrt(fan_in). Constant variables (layer norms, zero biases) are left alone.
pub fn redraw(vs: &VarStore, seed: i64) {
    let variables = vs.variables();
    tch::no_grad(|| {
        for (name, var) in &variables {
            let mut var = var.shallow_clone();
            let size = var.size();
            let values =
                if size.len() == 2 && (name.contains("embed") || name == "model.shared.weight") {
                    normal(&size, seed, name)
                } else if let Some(fan_in) = linear_fan_in(&variables, name) {
                    let bound = if name.ends_with(".weight") {
                        (6.0 / fan_in as f64).sqrt()
                    } else {
                        1.0 / (fan_in as f64).sqrt()
                    };
                    uniform(&size, seed, name) * bound
                } else {
                    continue;
                };
            var.copy_(&values);
        }
    });
}

/// The input width of the linear layer a `.weight` or `.bias` variable belongs to.
fn linear_fan_in(variables: &HashMap<String, Tensor>, name: &str) -> Option<i64> {
    let layer = name
        .strip_suffix(".weight")
        .or_else(|| name.strip_suffix(".bias"))?;
    if layer.contains("embed") || layer.contains("norm") || layer.contains("LayerNorm") {
        return None;
    }
    match variables.get(&format!("{layer}.weight"))?.size().as_slice() {
        [_, fan_in] => Some(*fan_in),
        _ => None,
    }
}

/// Values in (0, 1] from `seed` and `name` only (splitmix64).
fn units(n: usize, seed: i64, name: &str) -> Vec<f64> {
    let mut state = name
        .bytes()
        .fold(seed as u64 ^ 0x9E37_79B9_7F4A_7C15, |h, b| {
            (h ^ b as u64).wrapping_mul(0x0100_0000_01B3)
        });
    (0..n)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            ((z >> 11) as f64 + 1.0) / (1u64 << 53) as f64
        })
        .collect()
}

/// Standard normal values (Box-Muller).
fn normal(shape: &[i64], seed: i64, name: &str) -> Tensor {
    let n: i64 = shape.iter().product();
    let values: Vec<f32> = units(2 * n as usize, seed, name)
        .chunks(2)
        .map(|p| ((-2.0 * p[0].ln()).sqrt() * (2.0 * std::f64::consts::PI * p[1]).cos()) as f32)
        .collect();
    Tensor::from_slice(&values).view(shape)
}

/// Values uniform in [-1, 1).
fn uniform(shape: &[i64], seed: i64, name: &str) -> Tensor {
    let n: i64 = shape.iter().product();
    let values: Vec<f32> = units(n as usize, seed, name)
        .into_iter()
        .map(|u| (2.0 * u - 1.0) as f32)
        .collect();
    Tensor::from_slice(&values).view(shape)
}
