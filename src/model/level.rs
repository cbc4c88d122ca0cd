//! The PDCA ladder: the five readiness levels an item can reach.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A readiness level, 0 (nothing in place) to 4 (reviewed and improved).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Level {
    Absent = 0,
    Planned = 1,
    Implemented = 2,
    Checked = 3,
    Improving = 4,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::Absent,
        Level::Planned,
        Level::Implemented,
        Level::Checked,
        Level::Improving,
    ];

    pub fn from_u8(value: u8) -> Option<Level> {
        Level::ALL.get(usize::from(value)).copied()
    }

    pub fn value(self) -> u8 {
        self as u8
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::Absent => "Absent",
            Level::Planned => "Planned",
            Level::Implemented => "Implemented",
            Level::Checked => "Checked",
            Level::Improving => "Improving",
        }
    }

    /// The PDCA stage this level stands for: none, P, D, C or A.
    pub fn stage(self) -> &'static str {
        match self {
            Level::Absent => "none",
            Level::Planned => "P",
            Level::Implemented => "D",
            Level::Checked => "C",
            Level::Improving => "A",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Level::Absent => "nothing in place",
            Level::Planned => "decided and planned, owner named",
            Level::Implemented => "done in practice, documented information exists",
            Level::Checked => "monitored, measured or audited, records kept",
            Level::Improving => "reviewed and improved, corrective actions closed",
        }
    }

    /// The item score of DESIGN.md: level / 4.
    pub fn score(self) -> f64 {
        f64::from(self.value()) / 4.0
    }
}

impl TryFrom<u8> for Level {
    type Error = String;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Level::from_u8(value).ok_or_else(|| format!("a level is 0 to 4, not {value}"))
    }
}

impl From<Level> for u8 {
    fn from(level: Level) -> u8 {
        level.value()
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.value(), self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_round_trip_through_numbers_and_refuse_five() {
        for level in Level::ALL {
            assert_eq!(Level::from_u8(level.value()), Some(level));
        }
        assert_eq!(Level::from_u8(5), None);
        assert!(serde_json::from_str::<Level>("7").is_err());
        assert_eq!(serde_json::from_str::<Level>("3").unwrap(), Level::Checked);
    }

    #[test]
    fn score_is_level_over_four() {
        assert_eq!(Level::Absent.score(), 0.0);
        assert_eq!(Level::Implemented.score(), 0.5);
        assert_eq!(Level::Improving.score(), 1.0);
    }
}
