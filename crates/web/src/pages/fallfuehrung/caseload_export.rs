//! The caseload as a file, from the caseload page: XLSX for Excel (real dates, a filter on every column)
//! and CSV for everything else. Both carry the same columns. A name such as `=HYPERLINK(…)` stays inert text
//! in either format: XLSX stores it as a text cell, which Excel never runs, so it shows exactly as typed; only
//! the CSV, where Excel guesses each cell's type, needs the register export's defusing apostrophe.

use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::pages::export::{csv_download, download};
use crate::pages::swiss_date;
use crate::state::SharedState;
use axum::extract::State;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use iim_store::{CaseloadRow, ExportFormat};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// Column titles with their width in Excel's character units.
const COLUMNS: [(&str, f64); 13] = [
    ("Dossier-Nr.", 11.0),
    ("Nachname", 22.0),
    ("Vornamen", 22.0),
    ("Geburtsdatum", 13.0),
    ("Wohngemeinde", 20.0),
    ("Status", 17.0),
    ("Fallführung", 24.0),
    ("eröffnet am", 12.0),
    ("Kurzassessment am", 18.0),
    ("nächste Standortbestimmung", 26.0),
    ("überfällig", 10.0),
    ("Zielgruppen", 45.0),
    ("offene Ziele", 12.0),
];

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A cell of the export: text, a count, or a date Excel can sort and filter.
enum Cell {
    Text(String),
    Number(u64),
    Date(Option<NaiveDate>),
}

impl Cell {
    /// The cell as CSV text (defused by the CSV writer).
    fn text(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Number(number) => number.to_string(),
            Cell::Date(date) => date.map(swiss_date).unwrap_or_default(),
        }
    }
}

fn cells(row: &CaseloadRow) -> [Cell; 13] {
    [
        Cell::Number(row.id.unsigned_abs()),
        Cell::Text(row.nachname.clone()),
        Cell::Text(row.vornamen.clone()),
        Cell::Text(row.geburtsdatum.to_string()),
        Cell::Text(row.wohngemeinde.clone()),
        Cell::Text(row.status.label().to_owned()),
        Cell::Text(row.responsible.clone()),
        Cell::Date(Some(row.opened_on)),
        Cell::Date(row.kurzassessment_am),
        Cell::Date(row.next_standortbestimmung),
        Cell::Text(if row.overdue { "ja" } else { "nein" }.to_owned()),
        Cell::Text(row.groups.labels().join(", ")),
        Cell::Number(row.open_goals),
    ]
}

pub async fn xlsx(State(state): State<SharedState>, user: CurrentUser) -> Result<Response, PageError> {
    let rows = state.store.export_caseload(user.actor(), ExportFormat::Xlsx).await?;
    let bytes = workbook(&rows).map_err(|e| PageError(AppError::Internal(format!("XLSX: {e}"))))?;
    download(bytes, XLSX_TYPE, &file_name(&state, "xlsx"))
}

pub async fn csv(State(state): State<SharedState>, user: CurrentUser) -> Result<Response, PageError> {
    let rows = state.store.export_caseload(user.actor(), ExportFormat::Csv).await?;
    let header = COLUMNS.map(|(title, _)| title);
    let records = rows.iter().map(|row| cells(row).iter().map(Cell::text).collect());
    csv_download(&header, records, &file_name(&state, "csv"))
}

/// `faelle-2026-11-21.xlsx`: the date tells apart the files of several days in the downloads folder.
fn file_name(state: &SharedState, extension: &str) -> String {
    format!("faelle-{}.{extension}", state.store.clock().today().format("%Y-%m-%d"))
}

/// One sheet: a bold, frozen header row with a filter, then one row per dossier.
fn workbook(rows: &[CaseloadRow]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Fälle")?;
    let bold = Format::new().set_bold();
    for (column, (title, width)) in (0u16..).zip(COLUMNS) {
        sheet.write_string_with_format(0, column, title, &bold)?;
        sheet.set_column_width(column, width)?;
    }
    let date_format = Format::new().set_num_format("dd.mm.yyyy");
    let mut last_row = 0;
    for (number, row) in (1u32..).zip(rows) {
        for (column, cell) in (0u16..).zip(cells(row)) {
            write_cell(sheet, number, column, &cell, &date_format)?;
        }
        last_row = number;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last_row, (COLUMNS.len() - 1) as u16)?;
    workbook.save_to_buffer()
}

/// Text is always written as a string cell, never as a formula, so it needs no defusing and keeps its text.
fn write_cell(sheet: &mut Worksheet, row: u32, column: u16, cell: &Cell, dates: &Format) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(text) => sheet.write_string(row, column, text).map(|_| ()),
        Cell::Number(number) => sheet.write_number(row, column, *number as f64).map(|_| ()),
        Cell::Date(Some(date)) => {
            let excel = ExcelDateTime::from_ymd(
                u16::try_from(date.year()).map_err(|_| XlsxError::DateTimeRangeError(date.to_string()))?,
                date.month() as u8,
                date.day() as u8,
            )?;
            sheet.write_datetime_with_format(row, column, &excel, dates).map(|_| ())
        }
        Cell::Date(None) => Ok(()),
    }
}
