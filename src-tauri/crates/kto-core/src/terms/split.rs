//! Apportioning a whole number (basis points, cents) over weights so that the parts add up
//! exactly: the largest-remainder (Hamilton) method.

/// Splits `total` over `weights` in proportion, as whole units that sum to exactly `total`.
///
/// Every part starts at `floor(total × weight / Σweights)`; the units left over go one each
/// to the parts with the largest remainders, ties to the earlier part. Zero weights get zero.
/// When all weights are zero every part is zero (the sum is then zero, not `total`).
/// Returns `None` when `total × weight` does not fit in `u128`.
pub(crate) fn apportion(total: u128, weights: &[u128]) -> Option<Vec<u128>> {
    let sum = weights
        .iter()
        .try_fold(0u128, |acc, w| acc.checked_add(*w))?;
    if sum == 0 {
        return Some(vec![0; weights.len()]);
    }
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for (index, weight) in weights.iter().enumerate() {
        let product = total.checked_mul(*weight)?;
        parts.push(product / sum);
        remainders.push((product % sum, index));
    }
    let handed_out: u128 = parts.iter().sum();
    let left = total - handed_out;
    // Largest remainder first; on a tie the earlier part wins.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, index) in remainders.iter().take(usize::try_from(left).ok()?) {
        parts[*index] += 1;
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::apportion;

    #[test]
    fn parts_add_up_to_the_total_with_leftovers_to_the_largest_remainders() {
        // 10_000 × 1/3 = 3333.33 each; the one unit left goes to the first (tie).
        assert_eq!(
            apportion(10_000, &[1, 1, 1]),
            Some(vec![3_334, 3_333, 3_333])
        );
        // 100 over 1:2:7 is exact.
        assert_eq!(apportion(100, &[1, 2, 7]), Some(vec![10, 20, 70]));
        // 5 over 2:2:1 = 2, 2, 1 exactly.
        assert_eq!(apportion(5, &[2, 2, 1]), Some(vec![2, 2, 1]));
        // 10 over 1:1:1 → 3.33 each → 4, 3, 3.
        assert_eq!(apportion(10, &[1, 1, 1]), Some(vec![4, 3, 3]));
    }

    #[test]
    fn zero_weights_get_nothing() {
        assert_eq!(apportion(7, &[0, 3, 0]), Some(vec![0, 7, 0]));
        assert_eq!(apportion(7, &[0, 0]), Some(vec![0, 0]));
    }
}
