//! The file's own line numbers for the records csv reads, whatever ends its lines.

/// Line numbers as an editor or Excel shows them: `\r\n`, `\n` and a lone `\r` (old Mac
/// exports) each end one line, blank lines and line breaks inside quoted values count, and a
/// record that runs over several lines is at the line it starts on.
///
/// csv's own line count is no use here (it skips blank lines, counts a CRLF file one line
/// behind and never counts a lone `\r`), so lines are counted from the records' byte
/// offsets. Such an offset is where the reader stopped after the previous record, which is
/// often *inside* the line break that ended it (on the `\n` of a `\r\n`) or before blank
/// lines; the record itself starts at the first byte after those breaks. A record with
/// anything in it never starts with `\r` or `\n` (an unquoted value cannot hold one, a
/// quoted one starts with `"`), so skipping them is exact. Offsets must be asked for in
/// increasing order; each byte is looked at once.
pub(super) struct LineCounter<'t> {
    text: &'t [u8],
    /// Bytes before `offset` are counted; `offset` never falls inside a `\r\n`.
    offset: usize,
    /// The line `offset` is on.
    line: usize,
}

impl<'t> LineCounter<'t> {
    pub(super) fn new(text: &'t str) -> LineCounter<'t> {
        LineCounter {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The line the record starts on.
    pub(super) fn line_of(&mut self, record: &csv::StringRecord) -> usize {
        self.line_at(record.position().map(|p| p.byte() as usize))
    }

    /// The line of the first byte at or after `byte` that is not a line break (the line
    /// reached so far when the reader gave no position).
    pub(super) fn line_at(&mut self, byte: Option<usize>) -> usize {
        let Some(byte) = byte else {
            return self.line;
        };
        let mut start = byte.clamp(self.offset, self.text.len());
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        self.line += count_line_breaks(self.text, self.offset, start);
        self.offset = start;
        self.line
    }
}

/// How many lines end in `text[from..to]`. A `\r` is a line end of its own only when no
/// `\n` follows it anywhere in `text` (not only in the range), so a `\r\n` cut by the
/// range's end is not counted twice.
fn count_line_breaks(text: &[u8], from: usize, to: usize) -> usize {
    text[from..to]
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && text.get(from + i + 1) != Some(&b'\n')))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line each record csv reads starts on, as the import reads them.
    fn record_lines(text: &str) -> Vec<usize> {
        let mut lines = LineCounter::new(text);
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| lines.line_of(&r.expect("readable")))
            .collect()
    }

    #[test]
    fn every_line_end_gives_the_same_numbers() {
        for nl in ["\n", "\r\n", "\r"] {
            let text = ["a,b", "c,d", "", "e,f", "", "", "g,h"].join(nl);
            assert_eq!(record_lines(&text), vec![1, 2, 4, 7], "{nl:?}");
            // The same with a line end after the last line.
            assert_eq!(
                record_lines(&format!("{text}{nl}")),
                vec![1, 2, 4, 7],
                "{nl:?}"
            );
        }
    }

    #[test]
    fn a_quoted_break_is_a_line_and_the_record_is_where_it_starts() {
        for nl in ["\n", "\r\n", "\r"] {
            let text = format!("a,b{nl}\"one{nl}two{nl}three\",c{nl}d,e{nl}");
            assert_eq!(record_lines(&text), vec![1, 2, 5], "{nl:?}");
            // A record whose first value is empty starts with the comma, not the break.
            let text = format!("a,b{nl}{nl},\"x{nl}y\"{nl},z{nl}");
            assert_eq!(record_lines(&text), vec![1, 3, 5], "{nl:?}");
        }
    }

    #[test]
    fn mixed_line_ends_in_one_file_are_each_one_line() {
        // Excel rows (CRLF) with a value pasted from a Mac (CR) and one from Unix (LF).
        let text = "a,b\r\n\"x\ry\",c\r\n\"p\nq\",r\r\n\r\ns,t\n\ru,v";
        assert_eq!(record_lines(text), vec![1, 2, 4, 7, 9]);
    }

    #[test]
    fn a_crlf_cut_by_an_offset_is_counted_once() {
        let text = "a\r\nb\r\nc";
        let mut lines = LineCounter::new(text);
        // On the \n of the first \r\n (where csv leaves its offset), then on the second.
        assert_eq!(lines.line_at(Some(2)), 2);
        assert_eq!(lines.line_at(Some(5)), 3);
        // No position: the line reached so far.
        assert_eq!(lines.line_at(None), 3);
        // An offset past the end stays at the last line.
        assert_eq!(lines.line_at(Some(100)), 3);
    }
}
