//! Reading a caseload list into rows of text cells: a CSV file (UTF-8, `;` or `,`, as Excel writes it) or the
//! first sheet of an Excel workbook (.xlsx, read with calamine). Pure and bounded before the parser in
//! `iim_domain::caseload` sees a cell: the file (10 MB), the workbook's unpacked size (a small zip must not
//! unpack to gigabytes), and the rows (20 000 below the header).

use iim_domain::caseload::{MAX_BYTES, MAX_ROWS};
use iim_domain::regeln::CaseloadDateiRegel;
use std::io::Cursor;

/// Most bytes the parts of a workbook may unpack to together.
const MAX_UNPACKED: u64 = 200 * 1024 * 1024;
/// Most columns read per row (the template has 15; others are ignored anyway).
const MAX_COLUMNS: usize = 60;

/// The rows of the file, header first, each cell as text (Excel dates as `TT.MM.JJJJ`).
pub fn read_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, CaseloadDateiRegel> {
    if bytes.len() > MAX_BYTES {
        return Err(CaseloadDateiRegel::ZuGross);
    }
    let rows = if bytes.starts_with(b"PK\x03\x04") { xlsx_rows(bytes)? } else { csv_rows(bytes)? };
    if rows.len() > MAX_ROWS + 1 {
        return Err(CaseloadDateiRegel::ZuVieleZeilen);
    }
    Ok(rows)
}

fn csv_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, CaseloadDateiRegel> {
    let text = std::str::from_utf8(bytes).map_err(|_| CaseloadDateiRegel::Unlesbar)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.matches(';').count() >= first_line.matches(',').count() { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| CaseloadDateiRegel::Unlesbar)?;
        rows.push(record.iter().take(MAX_COLUMNS).map(str::to_owned).collect());
        if rows.len() > MAX_ROWS + 1 {
            return Err(CaseloadDateiRegel::ZuVieleZeilen);
        }
    }
    Ok(rows)
}

fn xlsx_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, CaseloadDateiRegel> {
    use calamine::Reader;
    check_unpacked_size(bytes)?;
    let mut workbook = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|_| CaseloadDateiRegel::Unlesbar)?;
    let range =
        workbook.worksheet_range_at(0).ok_or(CaseloadDateiRegel::Leer)?.map_err(|_| CaseloadDateiRegel::Unlesbar)?;
    if range.height() > MAX_ROWS + 1 {
        return Err(CaseloadDateiRegel::ZuVieleZeilen);
    }
    Ok(range.rows().map(|row| row.iter().take(MAX_COLUMNS).map(cell_text).collect()).collect())
}

/// Refuses a workbook whose parts would unpack to more than [`MAX_UNPACKED`] bytes.
fn check_unpacked_size(bytes: &[u8]) -> Result<(), CaseloadDateiRegel> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| CaseloadDateiRegel::Unlesbar)?;
    let mut total = 0u64;
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(|_| CaseloadDateiRegel::Unlesbar)?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_UNPACKED { Err(CaseloadDateiRegel::ZuGross) } else { Ok(()) }
}

fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Int(number) => number.to_string(),
        Data::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => format!("{number:.0}"),
        Data::Float(number) => number.to_string(),
        Data::Bool(value) => if *value { "ja" } else { "nein" }.to_owned(),
        Data::DateTime(date) => excel_date(date.as_f64()),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// An Excel serial date (days since 30.12.1899) as `TT.MM.JJJJ`; a number out of range stays a number.
fn excel_date(serial: f64) -> String {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30);
    let days = serial.floor();
    let date = (0.0..2_958_466.0)
        .contains(&days)
        .then(|| epoch.and_then(|e| e.checked_add_days(chrono::Days::new(days as u64))))
        .flatten();
    date.map_or_else(|| serial.to_string(), |d| d.format("%d.%m.%Y").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_semicolons_and_a_byte_order_mark_is_read() {
        let rows = read_rows("\u{feff}Name;Vorname\nMüller;Ana\n".as_bytes()).unwrap();
        assert_eq!(rows, vec![vec!["Name", "Vorname"], vec!["Müller", "Ana"]]);
    }

    #[test]
    fn csv_with_commas_is_read() {
        let rows = read_rows(b"Name,Vorname\n\"Rossi, jun.\",Luca\n").unwrap();
        assert_eq!(rows[1], vec!["Rossi, jun.", "Luca"]);
    }

    #[test]
    fn a_file_that_is_not_utf8_or_too_large_is_refused() {
        assert_eq!(read_rows(b"Name\n\xe4\n"), Err(CaseloadDateiRegel::Unlesbar));
        assert_eq!(read_rows(&vec![b'a'; MAX_BYTES + 1]), Err(CaseloadDateiRegel::ZuGross));
        assert_eq!(read_rows(b"PK\x03\x04garbage"), Err(CaseloadDateiRegel::Unlesbar));
    }

    #[test]
    fn more_than_20000_rows_are_refused() {
        let text = "Name\n".repeat(MAX_ROWS + 2);
        assert_eq!(read_rows(text.as_bytes()), Err(CaseloadDateiRegel::ZuVieleZeilen));
    }

    #[test]
    fn excel_serial_dates_become_swiss_dates() {
        assert_eq!(excel_date(45_658.0), "01.01.2025");
        assert_eq!(excel_date(-1.0), "-1");
    }
}
