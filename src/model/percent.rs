//! Exact percentages, rounded only when shown.

use serde::{Serialize, Serializer};
use std::fmt;

/// An exact percentage `100 * numerator / denominator` (kept as a fraction so rounding is exact).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Percent {
    numerator: u64,
    denominator: u64,
}

impl Percent {
    /// `part / whole` as a percentage; 0 when `whole` is 0.
    pub fn of(part: u64, whole: u64) -> Percent {
        Percent {
            numerator: 100 * part,
            denominator: whole,
        }
    }

    pub fn value(self) -> f64 {
        if self.denominator == 0 {
            0.0
        } else {
            self.numerator as f64 / self.denominator as f64
        }
    }

    /// The value in tenths of a percent, rounded half away from zero (values are never negative).
    pub fn tenths(self) -> u64 {
        if self.denominator == 0 {
            return 0;
        }
        (20 * self.numerator + self.denominator) / (2 * self.denominator)
    }

    /// The value as shown: one decimal.
    pub fn shown(self) -> f64 {
        self.tenths() as f64 / 10.0
    }

    /// 100 minus this percentage.
    pub fn complement(self) -> Percent {
        if self.denominator == 0 {
            return Percent::of(1, 1);
        }
        Percent {
            numerator: 100 * self.denominator - self.numerator,
            denominator: self.denominator,
        }
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = self.tenths();
        write!(f, "{}.{}", tenths / 10, tenths % 10)
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.shown())
    }
}
