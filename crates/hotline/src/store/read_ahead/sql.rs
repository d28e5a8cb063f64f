//! The read-ahead's statements, built for a list's padded length (the
//! SQL is placeholders only: every value is bound).

use super::CHUNK;

/// Updates per resident of `n` (`$2`…) since `$1`.
pub(in crate::store) fn recent_counts_sql(n: usize) -> String {
    format!(
        "SELECT user_id, COUNT(*) FROM processed_updates
         WHERE user_id IN ({}) AND processed_at >= $1 GROUP BY user_id",
        placeholders(2, n)
    )
}

/// The rows of `n` residents.
pub(in crate::store) fn residents_sql(n: usize) -> String {
    format!(
        "SELECT user_id, lang, chat_id, first_name FROM residents WHERE user_id IN ({})",
        placeholders(1, n)
    )
}

/// Records `n` update ids (id, user, time each); returns the new ones.
pub(in crate::store) fn mark_sql(n: usize) -> String {
    let rows: Vec<String> = (0..n)
        .map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
        .collect();
    format!(
        "INSERT INTO processed_updates (update_id, user_id, processed_at) VALUES {}
         ON CONFLICT (update_id) DO NOTHING RETURNING update_id",
        rows.join(", ")
    )
}

/// Saves `n` dialogues (chat, user, state, time each).
pub(super) fn write_dialogues_sql(n: usize) -> String {
    let rows: Vec<String> = (0..n)
        .map(|i| {
            let b = 4 * i;
            format!("(${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4)
        })
        .collect();
    format!(
        "INSERT INTO dialogues (chat_id, user_id, state, updated_at) VALUES {}
         ON CONFLICT (chat_id) DO UPDATE
         SET state = excluded.state, updated_at = excluded.updated_at",
        rows.join(", ")
    )
}

/// The dialogues of `n` chats.
pub(in crate::store) fn dialogues_sql(n: usize) -> String {
    format!(
        "SELECT chat_id, state FROM dialogues WHERE chat_id IN ({})",
        placeholders(1, n)
    )
}

/// The padded length of a list of `n` ids: 8, 16, 32 or 64.
pub(super) fn padded(n: usize) -> usize {
    n.next_power_of_two().clamp(8, CHUNK)
}

/// The list repeated at its last item up to its padded length.
pub(super) fn pad<T: Copy>(items: &[T]) -> impl Iterator<Item = T> + '_ {
    let last = items[items.len() - 1];
    let extra = padded(items.len()) - items.len();
    items
        .iter()
        .copied()
        .chain(std::iter::repeat_n(last, extra))
}

/// `$first, …` for `n` parameters.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_padded_to_four_lengths() {
        assert_eq!(padded(1), 8);
        assert_eq!(padded(8), 8);
        assert_eq!(padded(9), 16);
        assert_eq!(padded(33), 64);
        assert_eq!(padded(64), 64);
        assert_eq!(
            pad(&[1, 2, 3]).collect::<Vec<_>>(),
            [1, 2, 3, 3, 3, 3, 3, 3]
        );
        assert_eq!(placeholders(2, 3), "$2, $3, $4");
    }
}
