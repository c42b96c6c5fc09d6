//! The day roster as a CSV file that Excel opens correctly on a Japanese Windows PC:
//! cells escaped against formula injection, CRLF line ends, and either UTF-8 with a BOM
//! (Excel needs the BOM to read UTF-8) or Shift_JIS (CP932) for older Excel and tools.
//!
//! Pure: rows of text in, bytes out.
use std::borrow::Cow;

/// The BOM Excel looks for to read a CSV file as UTF-8.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// What a character that Shift_JIS (CP932) cannot hold becomes: 〓 (げた記号, 0x81AC), the
/// mark Japanese typesetting and municipal systems use for "a character could not be
/// printed here". Unlike `?` it cannot be mistaken for punctuation in a name, it is
/// full-width like the character it replaces, and clerks know it means "see the original".
pub const CP932_REPLACEMENT: char = '〓';
const CP932_REPLACEMENT_BYTES: &[u8] = b"\x81\xAC";

/// The character set of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvEncoding {
    /// UTF-8 with a BOM: every character kept. The default.
    Utf8Bom,
    /// Shift_JIS as Windows writes it (CP932 = encoding_rs's WHATWG `SHIFT_JIS`).
    Cp932,
}

impl CsvEncoding {
    /// From the `encoding` query parameter: `cp932`, `sjis` or `shift_jis` choose
    /// Shift_JIS; anything else is UTF-8.
    pub fn from_param(param: Option<&str>) -> CsvEncoding {
        match param.map(|p| p.trim().to_ascii_lowercase()).as_deref() {
            Some("cp932" | "sjis" | "shift_jis" | "shift-jis" | "windows-31j") => {
                CsvEncoding::Cp932
            }
            _ => CsvEncoding::Utf8Bom,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            CsvEncoding::Utf8Bom => "text/csv; charset=utf-8",
            CsvEncoding::Cp932 => "text/csv; charset=Shift_JIS",
        }
    }

    /// A short ASCII tag for file names.
    pub fn file_suffix(self) -> &'static str {
        match self {
            CsvEncoding::Utf8Bom => "",
            CsvEncoding::Cp932 => "-sjis",
        }
    }
}

/// Whether a spreadsheet could read the cell as a formula (or, for tab and CR, strip the
/// character and then read one). The full-width forms are included as cheap insurance:
/// a Japanese name never starts with them.
fn starts_like_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'])
}

/// A cell made safe against formula injection: a leading `=`, `+`, `-`, `@`, tab or CR
/// gets a `'` in front, so Excel shows the text instead of running it.
pub fn neutralise_formula(cell: &str) -> Cow<'_, str> {
    if starts_like_formula(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// One cell as it goes in the file: neutralised, then quoted when it holds a comma, a
/// double quote, a line break, or leading or trailing spaces (doubling inner quotes).
pub fn escape_cell(cell: &str) -> String {
    let safe = neutralise_formula(cell);
    let needs_quotes = safe.contains([',', '"', '\r', '\n'])
        || safe.starts_with(char::is_whitespace)
        || safe.ends_with(char::is_whitespace);
    if needs_quotes {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe.into_owned()
    }
}

/// The rows as CSV text: comma-separated escaped cells, every line (the last too) ended
/// with CRLF.
pub fn to_csv<R, C>(rows: R) -> String
where
    R: IntoIterator,
    R::Item: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let mut out = String::new();
    for row in rows {
        let mut first = true;
        for cell in row {
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(&escape_cell(cell.as_ref()));
        }
        out.push_str("\r\n");
    }
    out
}

/// The file's bytes in `encoding`.
pub fn encode(text: &str, encoding: CsvEncoding) -> Vec<u8> {
    match encoding {
        CsvEncoding::Utf8Bom => {
            let mut out = Vec::with_capacity(UTF8_BOM.len() + text.len());
            out.extend_from_slice(UTF8_BOM);
            out.extend_from_slice(text.as_bytes());
            out
        }
        CsvEncoding::Cp932 => encode_cp932(text).0,
    }
}

/// Characters that JIS X 0208 and CP932 map to different code points (the 波ダッシュ
/// problem): text typed on a Mac, or our own `09:00〜09:30`, uses the JIS one, which the
/// WHATWG (= CP932) encoder refuses. They are the same character on paper, so they are
/// written as their CP932 twin rather than replaced.
fn cp932_twin(c: char) -> Option<&'static [u8]> {
    Some(match c {
        '\u{301C}' => b"\x81\x60", // 〜 WAVE DASH → ～ FULLWIDTH TILDE
        '\u{2016}' => b"\x81\x61", // ‖ DOUBLE VERTICAL LINE → ∥ PARALLEL TO
        '\u{2014}' => b"\x81\x5C", // — EM DASH → ― HORIZONTAL BAR
        '\u{00A2}' => b"\x81\x91", // ¢ → ￠
        '\u{00A3}' => b"\x81\x92", // £ → ￡
        '\u{00AC}' => b"\x81\xCA", // ¬ → ￢
        _ => return None,
    })
}

/// `text` in Shift_JIS (CP932), with every character it cannot hold (𠮷, emoji...) as
/// [`CP932_REPLACEMENT`], and how many were replaced. encoding_rs's own `encode` would
/// write HTML numeric references (`&#134071;`) instead, which mean nothing in a CSV file.
pub fn encode_cp932(text: &str) -> (Vec<u8>, usize) {
    use encoding_rs::EncoderResult;
    let mut encoder = encoding_rs::SHIFT_JIS.new_encoder();
    let mut out = Vec::with_capacity(text.len() + 16);
    let mut replaced = 0;
    let mut rest = text;
    loop {
        let (result, read) =
            encoder.encode_from_utf8_to_vec_without_replacement(rest, &mut out, true);
        rest = &rest[read..];
        match result {
            EncoderResult::InputEmpty => break,
            EncoderResult::OutputFull => out.reserve(rest.len() * 2 + 16),
            EncoderResult::Unmappable(c) => match cp932_twin(c) {
                Some(twin) => out.extend_from_slice(twin),
                None => {
                    out.extend_from_slice(CP932_REPLACEMENT_BYTES);
                    replaced += 1;
                }
            },
        }
    }
    (out, replaced)
}

/// A phone number stored as digits, written the way Japanese lists write it, so that a
/// reader can dial it and Excel keeps it as text (a bare `0312345678` becomes the number
/// 312345678). Mobile and IP phones are 3-4-4, free dial 4-3-3 or 4-3-4, Tokyo and Osaka
/// 2-4-4. Other fixed lines: the area code's length varies by town, but the last four
/// digits are always the subscriber number, so only those are split off (`013812-3456`).
/// Anything else is returned as stored.
pub fn format_phone(digits: &str) -> String {
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return digits.to_string();
    }
    let split = |parts: &[usize]| {
        let mut out = Vec::new();
        let mut at = 0;
        for len in parts {
            out.push(&digits[at..at + len]);
            at += len;
        }
        out.join("-")
    };
    match digits.len() {
        11 if digits.starts_with("0800") => split(&[4, 3, 4]),
        11 if ["050", "060", "070", "080", "090"]
            .iter()
            .any(|p| digits.starts_with(p)) =>
        {
            split(&[3, 4, 4])
        }
        10 if digits.starts_with("0120") || digits.starts_with("0570") => split(&[4, 3, 3]),
        10 if digits.starts_with("03") || digits.starts_with("06") => split(&[2, 4, 4]),
        10 if digits.starts_with('0') => split(&[6, 4]),
        _ => digits.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_cp932(bytes: &[u8]) -> String {
        let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
        assert!(!had_errors, "valid Shift_JIS");
        text.into_owned()
    }

    #[test]
    fn formula_starts_get_an_apostrophe() {
        for cell in ["=1+1", "+81", "-3", "@SUM(A1)", "\tx", "\rx", "＝1"] {
            assert_eq!(neutralise_formula(cell), format!("'{cell}"), "{cell:?}");
        }
        assert_eq!(
            escape_cell("=cmd|' /C calc'!A0"),
            "'=cmd|' /C calc'!A0",
            "no comma or quote: no quoting needed"
        );
        for cell in [
            "山田 太郎",
            "1234-5678-90",
            "09:00〜09:30",
            "",
            "a=b",
            "A-1",
        ] {
            assert_eq!(neutralise_formula(cell), cell, "{cell:?}");
        }
    }

    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(escape_cell("a,b"), "\"a,b\"");
        assert_eq!(escape_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(escape_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(escape_cell(" padded "), "\" padded \"");
        // Neutralised first, then quoted: the apostrophe sits inside the quotes.
        assert_eq!(escape_cell("=A1,B1"), "\"'=A1,B1\"");
        assert_eq!(
            escape_cell("\tx"),
            "'\tx",
            "a tab inside a cell needs no quotes"
        );
    }

    #[test]
    fn every_line_ends_with_crlf() {
        let csv = to_csv([vec!["氏名", "フリガナ"], vec!["山田 太郎", "ヤマダ タロウ"]]);
        assert_eq!(csv, "氏名,フリガナ\r\n山田 太郎,ヤマダ タロウ\r\n");
        assert!(!csv.replace("\r\n", "").contains('\n'));
        assert_eq!(to_csv(Vec::<Vec<String>>::new()), "");
    }

    #[test]
    fn utf8_starts_with_the_bom() {
        let bytes = encode("氏名\r\n", CsvEncoding::Utf8Bom);
        assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
        assert_eq!(std::str::from_utf8(&bytes[3..]).unwrap(), "氏名\r\n");
    }

    #[test]
    fn cp932_round_trips_through_encoding_rs() {
        let text = to_csv([
            vec!["受付番号", "氏名", "フリガナ", "時間", "状態"],
            vec![
                "1234-5678-90",
                "髙橋 﨑子",
                "タカハシ サキコ",
                "09:00～09:30",
                "来庁済",
            ],
            vec!["", "斎藤 ①", "ｻｲﾄｳ", "～－∥￢", "'=1"],
        ]);
        let (bytes, replaced) = encode_cp932(&text);
        assert_eq!(replaced, 0);
        assert!(!bytes.starts_with(UTF8_BOM));
        assert_eq!(decode_cp932(&bytes), text);
        assert_eq!(encode(&text, CsvEncoding::Cp932), bytes);
    }

    #[test]
    fn jis_forms_are_written_as_their_cp932_twins() {
        let (bytes, replaced) = encode_cp932("09:00〜09:30 ‖—¢£¬ −");
        assert_eq!(replaced, 0);
        assert_eq!(&bytes[5..7], b"\x81\x60", "the wave dash Excel shows as 〜");
        assert_eq!(decode_cp932(&bytes), "09:00～09:30 ∥―￠￡￢ －");
    }

    #[test]
    fn characters_outside_cp932_become_the_geta_mark() {
        let (bytes, replaced) = encode_cp932("𠮷田 太郎😀,\r\n");
        assert_eq!(replaced, 2);
        assert_eq!(decode_cp932(&bytes), "〓田 太郎〓,\r\n");
        assert!(
            !bytes.windows(2).any(|w| w == b"&#"),
            "no numeric references"
        );
        assert_eq!(
            encoding_rs::SHIFT_JIS.encode("〓").0.as_ref(),
            CP932_REPLACEMENT_BYTES
        );
    }

    #[test]
    fn long_text_is_encoded_whole() {
        let text = "𠮷あ".repeat(5000);
        let (bytes, replaced) = encode_cp932(&text);
        assert_eq!(replaced, 5000);
        assert_eq!(decode_cp932(&bytes), "〓あ".repeat(5000));
    }

    #[test]
    fn encoding_comes_from_the_parameter() {
        assert_eq!(CsvEncoding::from_param(None), CsvEncoding::Utf8Bom);
        assert_eq!(CsvEncoding::from_param(Some("utf-8")), CsvEncoding::Utf8Bom);
        assert_eq!(CsvEncoding::from_param(Some("CP932")), CsvEncoding::Cp932);
        assert_eq!(
            CsvEncoding::from_param(Some("shift_jis")),
            CsvEncoding::Cp932
        );
        assert_eq!(
            CsvEncoding::Cp932.content_type(),
            "text/csv; charset=Shift_JIS"
        );
    }

    #[test]
    fn phones_are_grouped_so_excel_keeps_the_zero() {
        assert_eq!(format_phone("09012345678"), "090-1234-5678");
        assert_eq!(format_phone("05012345678"), "050-1234-5678");
        assert_eq!(format_phone("0312345678"), "03-1234-5678");
        assert_eq!(format_phone("0120123456"), "0120-123-456");
        assert_eq!(format_phone("08001234567"), "0800-123-4567");
        assert_eq!(format_phone("0138123456"), "013812-3456");
        assert_eq!(format_phone(""), "");
        assert_eq!(format_phone("12345"), "12345");
        assert_eq!(format_phone("03-1234"), "03-1234");
    }
}
