//! Overviews without personal data of clients (Gemeinden, Kennzahlen) as files: XLSX with real numbers and
//! dates, a bold frozen header and a filter, and CSV through the register export's writer. XLSX writes text as
//! text cells, which Excel never runs as formulas, so they keep exactly their text; the CSV writer defuses
//! them, since Excel guesses a CSV cell's type.

use super::export::{csv_download, download};
use crate::error::{AppError, PageError};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A cell: text, a whole number, or a date.
pub enum Zelle {
    Text(String),
    Zahl(u64),
    Datum(Option<NaiveDate>),
}

impl Zelle {
    fn text(&self) -> String {
        match self {
            Zelle::Text(text) => text.clone(),
            Zelle::Zahl(zahl) => zahl.to_string(),
            Zelle::Datum(datum) => datum.map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default(),
        }
    }
}

/// Column titles with their width in Excel's character units.
pub type Spalten<'a> = &'a [(&'a str, f64)];

pub fn csv(spalten: Spalten<'_>, zeilen: &[Vec<Zelle>], datei: &str) -> Result<Response, PageError> {
    let header: Vec<&str> = spalten.iter().map(|(title, _)| *title).collect();
    csv_download(&header, zeilen.iter().map(|zeile| zeile.iter().map(Zelle::text).collect()), datei)
}

pub fn xlsx(blatt: &str, spalten: Spalten<'_>, zeilen: &[Vec<Zelle>], datei: &str) -> Result<Response, PageError> {
    let bytes = workbook(blatt, spalten, zeilen).map_err(|e| PageError(AppError::Internal(format!("XLSX: {e}"))))?;
    download(bytes, XLSX_TYPE, datei)
}

fn workbook(blatt: &str, spalten: Spalten<'_>, zeilen: &[Vec<Zelle>]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(blatt)?;
    let bold = Format::new().set_bold();
    for (column, (title, width)) in (0u16..).zip(spalten) {
        sheet.write_string_with_format(0, column, *title, &bold)?;
        sheet.set_column_width(column, *width)?;
    }
    let dates = Format::new().set_num_format("dd.mm.yyyy");
    let mut last_row = 0;
    for (row, zeile) in (1u32..).zip(zeilen) {
        for (column, zelle) in (0u16..).zip(zeile) {
            match zelle {
                Zelle::Text(text) => {
                    sheet.write_string(row, column, text)?;
                }
                Zelle::Zahl(zahl) => {
                    sheet.write_number(row, column, *zahl as f64)?;
                }
                Zelle::Datum(Some(datum)) => {
                    let year =
                        u16::try_from(datum.year()).map_err(|_| XlsxError::DateTimeRangeError(datum.to_string()))?;
                    let excel = ExcelDateTime::from_ymd(year, datum.month() as u8, datum.day() as u8)?;
                    sheet.write_datetime_with_format(row, column, &excel, &dates)?;
                }
                Zelle::Datum(None) => {}
            }
        }
        last_row = row;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last_row, spalten.len().saturating_sub(1) as u16)?;
    workbook.save_to_buffer()
}
