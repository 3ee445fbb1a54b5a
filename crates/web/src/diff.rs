//! Which lines of an entity's body changed, so that a comparison shows the
//! one changed line of a long record instead of leaving the reader to find it.

/// One line of a side of a comparison, and whether it is not on the other side.
pub type Line = (String, bool);

/// Bodies longer than this (in lines, both sides multiplied) are shown
/// without marks: the table of common lines would cost more than it helps.
const MAX_CELLS: usize = 4_000_000;

/// The lines of `before` and `after`, each marked when it is not part of
/// their longest common subsequence: removed on the left, added on the right.
pub fn sides(before: &str, after: &str) -> (Vec<Line>, Vec<Line>) {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    let plain = |x: &[&str], mark: bool| x.iter().map(|l| ((*l).to_owned(), mark)).collect::<Vec<_>>();
    if a.is_empty() || b.is_empty() {
        return (plain(&a, true), plain(&b, true));
    }
    if a.len() * b.len() > MAX_CELLS {
        return (plain(&a, false), plain(&b, false));
    }
    // common[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let w = b.len() + 1;
    let mut common = vec![0u32; (a.len() + 1) * w];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i * w + j] = if a[i] == b[j] {
                common[(i + 1) * w + j + 1] + 1
            } else {
                common[(i + 1) * w + j].max(common[i * w + j + 1])
            };
        }
    }
    let (mut left, mut right) = (plain(&a, true), plain(&b, true));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            left[i].1 = false;
            right[j].1 = false;
            i += 1;
            j += 1;
        } else if common[(i + 1) * w + j] >= common[i * w + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    (left, right)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(side: &[Line]) -> Vec<&str> {
        side.iter().filter(|l| l.1).map(|l| l.0.as_str()).collect()
    }

    #[test]
    fn an_added_line_is_the_only_mark() {
        let (l, r) =
            sides("id: sw\nname: Switch\nlocation: office\n", "id: sw\nname: Switch\nserial: X1\nlocation: office\n");
        assert!(marked(&l).is_empty());
        assert_eq!(marked(&r), ["serial: X1"]);
        assert_eq!(r.len(), 4);
    }

    #[test]
    fn a_changed_line_is_marked_on_both_sides() {
        let (l, r) = sides("a\nb: 1\nc\n", "a\nb: 2\nc\n");
        assert_eq!(marked(&l), ["b: 1"]);
        assert_eq!(marked(&r), ["b: 2"]);
    }

    #[test]
    fn created_and_deleted_are_wholly_marked() {
        let (l, r) = sides("", "a\nb\n");
        assert!(l.is_empty());
        assert_eq!(marked(&r), ["a", "b"]);
        let (l, r) = sides("a\n", "");
        assert_eq!(marked(&l), ["a"]);
        assert!(r.is_empty());
    }

    #[test]
    fn moved_lines_are_marked_once() {
        let (l, r) = sides("x\ny\nz\n", "y\nz\nx\n");
        assert_eq!(marked(&l), ["x"]);
        assert_eq!(marked(&r), ["x"]);
    }
}
