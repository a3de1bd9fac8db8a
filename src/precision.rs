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
    /// int8 matrix products (fbgemm, any x86-64 CPU) for the layers that keep their accuracy
    /// in it, f32 for the rest; NER with BERT models only (`stages::entities::int8`).
    Int8,
}

impl Precision {
    pub fn is_f32(&self) -> bool {
        *self == Precision::F32
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Precision::F32 => "f32",
            Precision::Bf16 => "bf16",
            Precision::Int8 => "int8",
        }
    }

    /// The number format of the weights kept as floats (int8 keeps them in f32 and
    /// quantises its layers from there).
    pub fn kind(&self) -> tch::Kind {
        match self {
            Precision::F32 | Precision::Int8 => tch::Kind::Float,
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
            "int8" | "qint8" => Ok(Precision::Int8),
            other => anyhow::bail!("unknown precision {other:?}: use f32, bf16 or int8"),
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

/// A number format as the command line asks for it: a fixed one, or `auto`: bf16 where
/// [`cpu_has_native_bf16`], else int8 where the model has an int8 form, else f32.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrecisionSetting {
    #[default]
    Auto,
    Fixed(Precision),
}

impl PrecisionSetting {
    /// The precision the setting means on this machine for a model that has an int8 form
    /// (`int8_capable`) or not.
    pub fn resolve(self, int8_capable: bool) -> Precision {
        self.resolve_for(cpu_has_native_bf16(), int8_capable)
    }

    /// [`resolve`](Self::resolve) on a CPU with bf16 units or without. Measured on the
    /// shipped NER model (`docs/entities.md`): bf16 and int8 both keep the held-out F1 within
    /// 0.003 of f32; bf16 is the faster where the CPU computes it, int8 everywhere else.
    pub fn resolve_for(self, cpu_bf16: bool, int8_capable: bool) -> Precision {
        match self {
            PrecisionSetting::Fixed(p) => p,
            PrecisionSetting::Auto if cpu_bf16 => Precision::Bf16,
            PrecisionSetting::Auto if int8_capable => Precision::Int8,
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
                .map_err(|_| {
                    anyhow::anyhow!("unknown precision {s:?}: use auto, f32, bf16 or int8")
                }),
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
        assert!(
            e.contains("fp16") && e.contains("auto, f32, bf16 or int8"),
            "{e}"
        );
        assert_eq!("int8".parse::<Precision>().unwrap(), Precision::Int8);
    }

    #[test]
    fn a_setting_resolves_to_itself_and_auto_follows_the_cpu() {
        for p in [Precision::F32, Precision::Bf16, Precision::Int8] {
            for cpu_bf16 in [false, true] {
                assert_eq!(PrecisionSetting::Fixed(p).resolve_for(cpu_bf16, true), p);
            }
        }
        let auto = PrecisionSetting::Auto;
        assert_eq!(auto.resolve_for(true, true), Precision::Bf16);
        assert_eq!(auto.resolve_for(true, false), Precision::Bf16);
        // A CPU without bf16 units: int8 where the model has an int8 form, else f32.
        assert_eq!(auto.resolve_for(false, true), Precision::Int8);
        assert_eq!(auto.resolve_for(false, false), Precision::F32);
        assert_eq!(auto.resolve(true) == Precision::Bf16, cpu_has_native_bf16());
    }

    #[test]
    fn precision_serialises_as_its_name() {
        assert_eq!(serde_json::to_string(&Precision::Bf16).unwrap(), "\"bf16\"");
        assert_eq!(Precision::F32.as_str(), "f32");
        assert_eq!(Precision::Bf16.kind(), tch::Kind::BFloat16);
    }
}
