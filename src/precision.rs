//! The number format a model runs in (f32 or bfloat16), and whether this CPU computes bf16
//! natively.
//!
//! bf16 keeps f32's range with 8 bits of mantissa: half the memory, and on CPUs with
//! AVX512-BF16 or AMX the matrix products run on bf16 units (2-2.5x faster measured here,
//! `docs/performance.md`). Elsewhere libtorch emulates it and it is slower than f32.

use serde::{Deserialize, Serialize};

/// Number format a model computes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// 32-bit floats: what the weights are usually published in.
    #[default]
    F32,
    /// bfloat16 weights and arithmetic: half the memory, and faster on CPUs with native
    /// bf16 instructions ([`cpu_has_native_bf16`]); much slower on others.
    Bf16,
}

impl Precision {
    pub fn is_f32(&self) -> bool {
        *self == Precision::F32
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Precision::F32 => "f32",
            Precision::Bf16 => "bf16",
        }
    }

    pub fn kind(&self) -> tch::Kind {
        match self {
            Precision::F32 => tch::Kind::Float,
            Precision::Bf16 => tch::Kind::BFloat16,
        }
    }
}

impl std::str::FromStr for Precision {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> anyhow::Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "f32" | "float32" | "fp32" => Ok(Precision::F32),
            "bf16" | "bfloat16" => Ok(Precision::Bf16),
            other => anyhow::bail!("unknown precision {other:?}: use f32 or bf16"),
        }
    }
}

/// Whether this CPU has bf16 instructions (AVX512-BF16 or AMX-BF16), read from
/// `/proc/cpuinfo`; false where that file is missing (other systems) or says nothing of them.
/// Without them libtorch emulates bf16 and a bf16 model is several times slower than f32.
pub fn cpu_has_native_bf16() -> bool {
    std::fs::read_to_string("/proc/cpuinfo").is_ok_and(|info| {
        info.lines().filter(|l| l.starts_with("flags")).any(|l| {
            l.split_whitespace()
                .any(|f| f == "avx512_bf16" || f == "amx_bf16")
        })
    })
}

/// A number format as the command line asks for it: a fixed one, or `auto` (bf16 where
/// [`cpu_has_native_bf16`], else f32).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrecisionSetting {
    #[default]
    Auto,
    Fixed(Precision),
}

impl PrecisionSetting {
    /// The precision the setting means on this machine.
    pub fn resolve(self) -> Precision {
        match self {
            PrecisionSetting::Fixed(p) => p,
            PrecisionSetting::Auto if cpu_has_native_bf16() => Precision::Bf16,
            PrecisionSetting::Auto => Precision::F32,
        }
    }
}

impl std::str::FromStr for PrecisionSetting {
    type Err = anyhow::Error;

    /// `f32`, `bf16`, or `auto`, as the command line takes it.
    fn from_str(s: &str) -> anyhow::Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(PrecisionSetting::Auto),
            other => other
                .parse::<Precision>()
                .map(PrecisionSetting::Fixed)
                .map_err(|_| anyhow::anyhow!("unknown precision {s:?}: use auto, f32 or bf16")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_parse_with_their_common_spellings() {
        use PrecisionSetting::{Auto, Fixed};
        for (text, setting) in [
            ("auto", Auto),
            ("F32", Fixed(Precision::F32)),
            ("float32", Fixed(Precision::F32)),
            (" bf16", Fixed(Precision::Bf16)),
            ("bfloat16", Fixed(Precision::Bf16)),
        ] {
            assert_eq!(text.parse::<PrecisionSetting>().unwrap(), setting, "{text}");
        }
        let e = "fp16".parse::<PrecisionSetting>().unwrap_err().to_string();
        assert!(e.contains("fp16") && e.contains("auto, f32 or bf16"), "{e}");
        assert!("int8".parse::<Precision>().is_err());
    }

    #[test]
    fn a_setting_resolves_to_itself_and_auto_follows_the_cpu() {
        let fixed = |p| PrecisionSetting::Fixed(p).resolve();
        assert_eq!(fixed(Precision::F32), Precision::F32);
        assert_eq!(fixed(Precision::Bf16), Precision::Bf16);
        let auto = PrecisionSetting::Auto.resolve();
        assert_eq!(auto == Precision::Bf16, cpu_has_native_bf16());
    }

    #[test]
    fn precision_serialises_as_its_name() {
        assert_eq!(serde_json::to_string(&Precision::Bf16).unwrap(), "\"bf16\"");
        assert_eq!(Precision::F32.as_str(), "f32");
        assert_eq!(Precision::Bf16.kind(), tch::Kind::BFloat16);
    }
}
