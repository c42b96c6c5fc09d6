//! What every imported list shares (the notice list, the vaccination ticket list): the file
//! read into a header and numbered data rows, the header's cells matched to the list's
//! columns, and the per-row collection of errors. Each list names its own columns through
//! [`ListColumn`] and checks its own values.
use super::lines::LineCounter;
use super::{FileError, Limits, RowError, WHOLE_ROW, decode, is_zero_width, normalise_header};

/// The columns of one kind of list.
pub trait ListColumn: Copy + PartialEq + 'static {
    /// Every column, in the order their errors are reported.
    fn all() -> &'static [Self];
    /// The column's Japanese name, used in every message.
    fn label(self) -> &'static str;
    /// Header names accepted for the column (compared after [`normalise_header`]); the
    /// first is the label.
    fn aliases(self) -> &'static [&'static str];
    fn required(self) -> bool;

    /// The column a header cell names, if any.
    fn from_header(cell: &str) -> Option<Self> {
        let key = normalise_header(cell);
        Self::all()
            .iter()
            .copied()
            .find(|c| c.aliases().iter().any(|a| normalise_header(a) == key))
    }

    /// Where the column is in [`ListColumn::all`].
    fn index(self) -> usize {
        Self::all()
            .iter()
            .position(|&c| c == self)
            .expect("a column is in its own list")
    }
}

/// A readable file: its encoding, where its columns are, and the data rows with the line
/// each starts on (the header is line 1 unless blank lines precede it).
#[derive(Debug)]
pub struct Table<C> {
    pub encoding: &'static str,
    pub map: ColumnMap<C>,
    pub rows: Vec<(usize, csv::StringRecord)>,
}

pub(super) fn is_blank(record: &csv::StringRecord) -> bool {
    record
        .iter()
        .all(|f| f.chars().all(|c| c.is_whitespace() || is_zero_width(c)))
}

/// Reads the whole file into a [`Table`]: the size limit first, then the encoding, the
/// header's columns, then every row (so an oversized file stops before any checking).
/// Blank rows are skipped.
pub fn read_table<C: ListColumn>(bytes: &[u8], limits: Limits) -> Result<Table<C>, FileError> {
    if bytes.len() > limits.max_bytes {
        return Err(FileError::TooLarge {
            bytes: bytes.len(),
            max: limits.max_bytes,
        });
    }
    let decoded = decode(bytes)?;
    if decoded
        .text
        .chars()
        .all(|c| c.is_whitespace() || is_zero_width(c))
    {
        return Err(FileError::Empty);
    }
    let mut lines = LineCounter::new(&decoded.text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(decoded.text.as_bytes());
    let mut records = reader.records();
    // The file's own line, like the rows' (csv's line count is off for CRLF and CR files).
    let csv_error = |lines: &mut LineCounter, e: csv::Error| FileError::Csv {
        line: lines.line_at(e.position().map(|p| p.byte() as usize)),
        detail: e.to_string(),
    };

    // The first row that is not blank is the header.
    let header = loop {
        match records.next() {
            None => return Err(FileError::Empty),
            Some(Err(e)) => return Err(csv_error(&mut lines, e)),
            Some(Ok(r)) if is_blank(&r) => continue,
            Some(Ok(r)) => break r,
        }
    };
    let map = ColumnMap::read(&header)?;

    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(|e| csv_error(&mut lines, e))?;
        if is_blank(&record) {
            continue;
        }
        if rows.len() == limits.max_rows {
            return Err(FileError::TooManyRows {
                max: limits.max_rows,
            });
        }
        let line = lines.line_of(&record);
        rows.push((line, record));
    }
    if rows.is_empty() {
        return Err(FileError::NoDataRows);
    }
    Ok(Table {
        encoding: decoded.encoding,
        map,
        rows,
    })
}

/// Where each known column is in the file.
#[derive(Debug)]
pub struct ColumnMap<C> {
    positions: Vec<Option<usize>>,
    width: usize,
    /// Header cells that name no known column; their values are not read.
    pub ignored: Vec<String>,
    columns: std::marker::PhantomData<C>,
}

impl<C: ListColumn> ColumnMap<C> {
    /// Matches the header's cells to the columns; a required column missing, or a column
    /// named twice, is a problem with the whole file.
    pub fn read(header: &csv::StringRecord) -> Result<ColumnMap<C>, FileError> {
        let mut positions: Vec<Option<usize>> = vec![None; C::all().len()];
        let mut ignored = Vec::new();
        for (i, cell) in header.iter().enumerate() {
            match C::from_header(cell) {
                Some(column) => {
                    if let Some(first) = positions[column.index()] {
                        return Err(FileError::DuplicateColumn {
                            column: column.label(),
                            first: (first + 1, header[first].replace('\u{FEFF}', "")),
                            second: (i + 1, cell.replace('\u{FEFF}', "")),
                        });
                    }
                    positions[column.index()] = Some(i);
                }
                None if cell.trim().is_empty() => {}
                None => ignored.push(cell.trim().to_string()),
            }
        }
        let missing: Vec<&'static str> = C::all()
            .iter()
            .filter(|c| c.required() && positions[c.index()].is_none())
            .map(|c| c.label())
            .collect();
        if !missing.is_empty() {
            return Err(FileError::MissingColumns {
                missing,
                found: header
                    .iter()
                    .map(|h| h.replace('\u{FEFF}', "").trim().to_string())
                    .collect(),
            });
        }
        Ok(ColumnMap {
            positions,
            width: header.len(),
            ignored,
            columns: std::marker::PhantomData,
        })
    }

    /// The cell of `column` in the row; empty when the file has no such column or the row
    /// is short.
    pub fn get<'r>(&self, record: &'r csv::StringRecord, column: C) -> &'r str {
        self.positions[column.index()]
            .and_then(|i| record.get(i))
            .unwrap_or("")
    }

    /// Cells beyond the header with something in them: usually a comma inside an unquoted
    /// name, which shifts every later column. One error for the whole row.
    pub fn overflow(&self, record: &csv::StringRecord, line: usize) -> Option<RowError> {
        let over = record.len() > self.width
            && record.iter().skip(self.width).any(|c| !c.trim().is_empty());
        over.then(|| RowError {
            line,
            field: WHOLE_ROW,
            reason: format!(
                "見出しより列が多くなっています(見出しは{}列、この行は{}列)。値に「,」が含まれる場合は値を「\"」で囲んでください。",
                self.width,
                record.len()
            ),
        })
    }
}

/// The errors of one row as they are found.
pub struct RowCheck {
    pub line: usize,
    pub errors: Vec<RowError>,
}

impl RowCheck {
    pub fn new(line: usize) -> RowCheck {
        RowCheck {
            line,
            errors: Vec::new(),
        }
    }

    /// The cell's text, or None (with an error) when it holds a line break: a quoted value
    /// that runs over lines, most often a quote that was never closed.
    pub fn cell<'r, C: ListColumn>(
        &mut self,
        map: &ColumnMap<C>,
        record: &'r csv::StringRecord,
        column: C,
    ) -> Option<&'r str> {
        let value = map.get(record, column);
        if value.contains(['\n', '\r']) {
            self.errors.push(RowError {
                line: self.line,
                field: column.label(),
                reason: "値の中に改行があります。「\"」の閉じ忘れがないか確認してください。"
                    .to_string(),
            });
            return None;
        }
        Some(value)
    }

    /// The value, or None with `result`'s reason recorded against `column`.
    pub fn check<T, C: ListColumn>(&mut self, column: C, result: Result<T, String>) -> Option<T> {
        result
            .map_err(|reason| {
                self.errors.push(RowError {
                    line: self.line,
                    field: column.label(),
                    reason,
                })
            })
            .ok()
    }
}
