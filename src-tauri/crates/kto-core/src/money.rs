//! Money as integer euro cents. Never a float: figures are summed, compared and signed.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// An amount of euros held as whole cents.
///
/// Arithmetic saturates instead of overflowing: an office never reaches `i64::MAX` cents
/// (€92 quadrillion), so a saturated value can only come from corrupt input and stays visible.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "number"))]
pub struct Money(i64);

impl Money {
    /// Zero euros.
    pub const ZERO: Money = Money(0);

    /// An amount from whole cents.
    pub const fn from_cents(cents: i64) -> Self {
        Money(cents)
    }

    /// An amount from whole euros.
    pub const fn from_euros(euros: i64) -> Self {
        Money(euros.saturating_mul(100))
    }

    /// The amount in cents.
    pub const fn cents(self) -> i64 {
        self.0
    }

    /// True when the amount is below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The smaller of the amount and `cap`.
    pub fn min(self, cap: Money) -> Money {
        Money(self.0.min(cap.0))
    }

    /// The larger of the amount and `floor`.
    pub fn max(self, floor: Money) -> Money {
        Money(self.0.max(floor.0))
    }

    /// `self × numerator / denominator`, rounded half away from zero to a whole cent.
    ///
    /// Used for percentages held as basis points (`apply_ratio(bp, 10_000)`). Returns zero
    /// when `denominator` is zero.
    pub fn apply_ratio(self, numerator: i64, denominator: i64) -> Money {
        if denominator == 0 {
            return Money::ZERO;
        }
        let num = i128::from(self.0) * i128::from(numerator);
        let den = i128::from(denominator);
        let half = den.abs() / 2;
        let rounded = if (num >= 0) == (den > 0) {
            (num.abs() + half) / den.abs()
        } else {
            -((num.abs() + half) / den.abs())
        };
        Money(rounded.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
    }
}

impl fmt::Display for Money {
    /// Formats as `€1234.56` (no grouping, `-€12.00` for negatives); the UI formats per locale.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}€{}.{:02}", abs / 100, abs % 100)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        *self = *self + rhs;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0.saturating_sub(rhs.0))
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        *self = *self - rhs;
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(self.0.saturating_neg())
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_cents_with_two_digits() {
        assert_eq!(Money::from_cents(123_456).to_string(), "€1234.56");
        assert_eq!(Money::from_cents(-5).to_string(), "-€0.05");
    }

    #[test]
    fn ratio_rounds_half_away_from_zero() {
        // 40 % of €0.05 = 2 cents exactly; 30 % of 5 cents = 1.5 -> 2.
        assert_eq!(Money::from_cents(5).apply_ratio(3_000, 10_000).cents(), 2);
        assert_eq!(Money::from_cents(-5).apply_ratio(3_000, 10_000).cents(), -2);
        assert_eq!(Money::from_cents(100).apply_ratio(1, 0), Money::ZERO);
    }

    #[test]
    fn sums_saturate_instead_of_overflowing() {
        let big = Money::from_cents(i64::MAX);
        assert_eq!((big + Money::from_cents(1)).cents(), i64::MAX);
    }
}
