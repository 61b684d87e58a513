//! Exact fractions for prices and amounts that are not whole cents.
//!
//! A conversion price after a weighted-average adjustment, an original issue price
//! `pre-money / shares` and a preference of `multiple × price × shares` are in general not
//! whole cents. They are held as arbitrary-precision fractions ([`BigRational`]) so that no
//! adjustment, however many follow each other, loses a share to rounding and no figure can
//! overflow; only what is paid out or shown is rounded, once, at the end.

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive, Zero};
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::money::Money;

/// An exact price in cents per share (or any exact amount of cents), never rounded.
///
/// Serialised as `{numerator, denominator, cents}`: the reduced fraction as decimal strings
/// and `cents`, the value rounded half up to four decimals of a cent, for display.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(
        export,
        type = "{ numerator: string, denominator: string, cents: string }"
    )
)]
pub struct ExactPrice(pub BigRational);

impl ExactPrice {
    /// `numerator / denominator` cents; `denominator` must not be zero (zero gives zero).
    pub fn new(numerator: u128, denominator: u128) -> ExactPrice {
        if denominator == 0 {
            return ExactPrice(BigRational::zero());
        }
        ExactPrice(BigRational::new(
            BigInt::from(numerator),
            BigInt::from(denominator),
        ))
    }

    /// The value as a fraction.
    pub fn value(&self) -> &BigRational {
        &self.0
    }

    /// Cents rounded half up to `decimals` decimals, as text (`"77.7778"`).
    pub fn cents_text(&self, decimals: u32) -> String {
        let scale = BigInt::from(10u32).pow(decimals);
        let scaled = round_half_up(&(&self.0 * BigRational::from_integer(scale.clone())));
        let negative = scaled.is_negative();
        let (whole, frac) = scaled.abs().div_rem(&scale);
        let sign = if negative { "-" } else { "" };
        if decimals == 0 {
            format!("{sign}{whole}")
        } else {
            format!(
                "{sign}{whole}.{frac:0>width$}",
                width = usize::try_from(decimals).unwrap_or(0)
            )
        }
    }
}

impl Serialize for ExactPrice {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("ExactPrice", 3)?;
        s.serialize_field("numerator", &self.0.numer().to_string())?;
        s.serialize_field("denominator", &self.0.denom().to_string())?;
        s.serialize_field("cents", &self.cents_text(4))?;
        s.end()
    }
}

/// A whole number as a fraction.
pub(crate) fn int(x: impl Into<BigInt>) -> BigRational {
    BigRational::from_integer(x.into())
}

/// `numerator / denominator` as a fraction (`denominator` must not be zero).
pub(crate) fn ratio(numerator: impl Into<BigInt>, denominator: impl Into<BigInt>) -> BigRational {
    BigRational::new(numerator.into(), denominator.into())
}

/// Rounds half up (towards +∞ on an exact half).
pub(crate) fn round_half_up(x: &BigRational) -> BigInt {
    let half = ratio(1, 2);
    (x + half).floor().to_integer()
}

/// The largest whole number not above `x`, as `u64`, or `None` when it does not fit.
pub(crate) fn floor_u64(x: &BigRational) -> Option<u64> {
    x.floor().to_integer().to_u64()
}

/// `x` rounded half up to whole cents.
pub(crate) fn to_money(x: &BigRational) -> Option<Money> {
    round_half_up(x).to_i64().map(Money::from_cents)
}

/// Splits `total` whole cents over exact amounts that add up to `total`: each part is the
/// floor of its amount, and the cents left over go one each to the largest fractional
/// remainders (ties to the earlier part). Every part is then within one cent of its exact
/// amount. Returns `None` when a part does not fit in `i64`.
pub(crate) fn apportion_exact(total: i64, exact: &[BigRational]) -> Option<Vec<i64>> {
    let mut parts = Vec::with_capacity(exact.len());
    let mut remainders = Vec::with_capacity(exact.len());
    for (index, amount) in exact.iter().enumerate() {
        let floor = amount.floor();
        parts.push(floor.to_integer().to_i64()?);
        remainders.push((amount - floor, index));
    }
    let handed_out: i64 = parts.iter().try_fold(0i64, |acc, p| acc.checked_add(*p))?;
    let left = usize::try_from(total.checked_sub(handed_out)?.max(0)).ok()?;
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, index) in remainders.iter().take(left) {
        parts[*index] += 1;
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_price_is_shown_rounded_half_up_to_four_decimals_of_a_cent() {
        assert_eq!(ExactPrice::new(700, 9).cents_text(4), "77.7778");
        assert_eq!(ExactPrice::new(100, 1).cents_text(2), "100.00");
        assert_eq!(ExactPrice::new(1, 8).cents_text(2), "0.13");
    }

    #[test]
    fn exact_amounts_are_apportioned_to_whole_cents_that_add_up() {
        let thirds = vec![ratio(100, 3), ratio(100, 3), ratio(100, 3)];
        assert_eq!(apportion_exact(100, &thirds), Some(vec![34, 33, 33]));
        let uneven = vec![ratio(5, 2), ratio(15, 2)];
        assert_eq!(apportion_exact(10, &uneven), Some(vec![3, 7]));
    }
}
