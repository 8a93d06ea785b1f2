//! "Did you mean ...?": the closest parameter name to an unknown keyword,
//! as CPython 3.13 and later add it to `_PyArg_UnpackKeywords`'s message.
//!
//! A port of `_Py_CalculateSuggestions` and its `levenshtein_distance`
//! (`Python/suggestions.c`): an edit distance over the names' UTF-8 bytes
//! where a change of case costs 1 and any other edit 2, and a candidate is
//! taken only if at most about a third of the characters must change.

use crate::instance::Bound;
use crate::types::PyStr;

/// C's `MAX_CANDIDATE_ITEMS`: with this many candidates or more, no
/// suggestion is looked for.
const MAX_CANDIDATE_ITEMS: usize = 750;
/// C's `MAX_STRING_SIZE`: longer names (after trimming common ends) are
/// never close.
const MAX_STRING_SIZE: usize = 40;
/// C's `MOVE_COST`: inserting, deleting or replacing a character.
const MOVE_COST: usize = 2;
/// C's `CASE_COST`: replacing a letter by itself in the other case.
const CASE_COST: usize = 1;

/// C's `substitution_cost`.
fn substitution_cost(a: u8, b: u8) -> usize {
    if a & 31 != b & 31 {
        // Not the same, not a case flip.
        return MOVE_COST;
    }
    if a == b {
        return 0;
    }
    if a.eq_ignore_ascii_case(&b) { CASE_COST } else { MOVE_COST }
}

/// C's `levenshtein_distance`: the cost of turning `a` into `b`, or
/// anything above `max_cost` once it is certain to exceed it.
fn levenshtein_distance<'a>(
    mut a: &'a [u8],
    mut b: &'a [u8],
    max_cost: usize,
) -> usize {
    // Trim away common affixes.
    while let (Some(x), Some(y)) = (a.first(), b.first()) {
        if x != y {
            break;
        }
        (a, b) = (&a[1..], &b[1..]);
    }
    while let (Some(x), Some(y)) = (a.last(), b.last()) {
        if x != y {
            break;
        }
        (a, b) = (&a[..a.len() - 1], &b[..b.len() - 1]);
    }
    if a.is_empty() || b.is_empty() {
        return (a.len() + b.len()) * MOVE_COST;
    }
    if a.len() > MAX_STRING_SIZE || b.len() > MAX_STRING_SIZE {
        return max_cost + 1;
    }
    // Prefer the shorter row.
    if b.len() < a.len() {
        (a, b) = (b, a);
    }
    // Quick fail when a match is impossible.
    if (b.len() - a.len()) * MOVE_COST > max_cost {
        return max_cost + 1;
    }
    // One row of the matrix, updated in place: row[i] is the cost of
    // turning b[..j] into a[..i + 1].
    let mut row: Vec<usize> = (1..=a.len()).map(|i| i * MOVE_COST).collect();
    let mut result = 0;
    for (j, &code) in b.iter().enumerate() {
        let mut distance = j * MOVE_COST;
        result = distance;
        let mut minimum = usize::MAX;
        for (i, &c) in a.iter().enumerate() {
            let substitute = distance + substitution_cost(code, c);
            distance = row[i];
            let insert_delete = result.min(distance) + MOVE_COST;
            result = insert_delete.min(substitute);
            row[i] = result;
            minimum = minimum.min(result);
        }
        if minimum > max_cost {
            // Everything in this row is too expensive.
            return max_cost + 1;
        }
    }
    result
}

/// The candidate closest to `name`, if one is close enough:
/// `_Py_CalculateSuggestions(candidates, name)`.
///
/// A name that UTF-8 cannot encode gets no suggestion (C's conversion
/// fails, and the error it sets is replaced by the message).
pub(crate) fn closest<'n>(
    name: &Bound<'_, PyStr>,
    candidates: impl ExactSizeIterator<Item = &'n str>,
) -> Option<&'n str> {
    if candidates.len() >= MAX_CANDIDATE_ITEMS {
        return None;
    }
    let name = match name.to_str() {
        Ok(name) => name,
        Err(e) => {
            drop(e.take(name.py()));
            return None;
        }
    };
    let mut best: Option<(&str, usize)> = None;
    for item in candidates {
        if item == name {
            continue;
        }
        // No more than 1/3 of the involved characters should need changed.
        let mut max_distance = (name.len() + item.len() + 3) * MOVE_COST / 6;
        // Don't take matches we've already beaten.
        if let Some((_, d)) = best {
            max_distance = max_distance.min(d - 1);
        }
        let distance =
            levenshtein_distance(name.as_bytes(), item.as_bytes(), max_distance);
        if distance > max_distance {
            continue;
        }
        if best.is_none_or(|(_, d)| distance < d) {
            best = Some((item, distance));
        }
    }
    best.map(|(item, _)| item)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_weigh_a_change_of_case_half() {
        assert_eq!(levenshtein_distance(b"key", b"key", 10), 0);
        assert_eq!(levenshtein_distance(b"ky", b"key", 10), 2);
        assert_eq!(levenshtein_distance(b"A", b"a", 10), 1);
        assert_eq!(levenshtein_distance(b"lo_", b"lo", 10), 2);
        assert!(levenshtein_distance(b"hello", b"key", 2) > 2);
    }
}
