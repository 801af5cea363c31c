//! Register deliveries from files, folders and zip archives, shared by `iim import ech0020` and the upload
//! page: a week's batch arrives as many files or as one zip. Every XML file is one delivery; a folder gives
//! its `.xml` and `.zip` files, a zip its `.xml` entries, both in name order; other entries are reported as
//! skipped. A zip entry is read straight from the archive (streaming, never unpacked into memory), and
//! consecutive entries of one archive share one opened archive. After every [`WORK_BETWEEN_PAUSES`] of
//! importing, the import leaves a SQLite database free for a moment (`Store::let_others_write`), as between
//! the batches of one delivery: back to back, one transaction per small delivery, it kept another writer
//! waiting for over a second (docs/performance.md).

use crate::{ImportReport, Store, StoreError};
use iim_domain::Actor;
use iim_ech::read_delivery;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use zip::ZipArchive;

/// Importing between two pauses on SQLite. A writer that began waiting meanwhile tries again at least every
/// 25 ms for its first 128 ms (SQLite's busy handler), so it finds the pause that follows. Counted in time, not
/// in deliveries: on a busy machine 40 small deliveries held the lock for longer than that, and the writer,
/// by then trying only every 50–100 ms, missed the pause and waited half a second.
const WORK_BETWEEN_PAUSES: Duration = Duration::from_millis(50);

/// One delivery to import (or an entry to report), named as the user knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryFile {
    /// The file name, or «archiv.zip/eintrag.xml» for an entry of a zip.
    pub name: String,
    source: Source,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    Xml(PathBuf),
    ZipEntry {
        archive: PathBuf,
        index: usize,
    },
    /// Not a delivery (e.g. a PDF inside a zip): reported, not read.
    Skip(String),
    /// Could not be read at all (missing file, broken zip).
    Unreadable(String),
}

/// What became of one file or entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    Imported(ImportReport),
    /// Not an eCH-0020 v3 delivery, or not readable: the German reason.
    Refused(String),
    Skipped(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileResult {
    pub name: String,
    pub outcome: FileOutcome,
}

/// The deliveries in the given files and folders, each with the name to show (`(path, name)`; a folder's files
/// and a zip's entries are named after themselves).
pub fn delivery_files(inputs: &[(PathBuf, String)]) -> Vec<DeliveryFile> {
    let mut files = Vec::new();
    for (path, name) in inputs {
        if path.is_dir() {
            files.extend(folder(path, name));
        } else if has_extension(name, "zip") {
            files.extend(zip_entries(path, name));
        } else {
            files.push(DeliveryFile { name: name.clone(), source: Source::Xml(path.clone()) });
        }
    }
    files
}

fn folder(path: &Path, name: &str) -> Vec<DeliveryFile> {
    let entries = match std::fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) => return vec![unreadable(name, &e.to_string())],
    };
    let mut found: Vec<(PathBuf, String)> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter_map(|p| Some((p.clone(), p.file_name()?.to_string_lossy().into_owned())))
        .filter(|(p, n)| p.is_file() && (has_extension(n, "xml") || has_extension(n, "zip")))
        .collect();
    found.sort_by(|a, b| a.1.cmp(&b.1));
    delivery_files(&found)
}

fn open_zip(path: &Path) -> Result<ZipArchive<BufReader<File>>, String> {
    let file = File::open(path).map_err(|e| format!("nicht lesbar: {e}"))?;
    ZipArchive::new(BufReader::new(file)).map_err(|e| format!("nicht lesbar: kein gültiges Zip-Archiv ({e})"))
}

fn zip_entries(path: &Path, name: &str) -> Vec<DeliveryFile> {
    let archive = match open_zip(path) {
        Ok(archive) => archive,
        Err(reason) => return vec![DeliveryFile { name: name.to_owned(), source: Source::Unreadable(reason) }],
    };
    let mut entries: Vec<(usize, String)> = (0..archive.len())
        .filter_map(|index| Some((index, archive.name_for_index(index)?.ok()?.into_owned())))
        .filter(|(_, entry)| !entry.ends_with('/'))
        .collect();
    entries.sort_by(|a, b| a.1.cmp(&b.1));
    entries
        .into_iter()
        .map(|(index, entry)| {
            let source = if has_extension(&entry, "xml") {
                Source::ZipEntry { archive: path.to_owned(), index }
            } else {
                Source::Skip("keine XML-Datei".to_owned())
            };
            DeliveryFile { name: format!("{name}/{entry}"), source }
        })
        .collect()
}

/// The largest zip entry read: a baseDelivery of the largest Gemeinde of the canton has about 60 MB.
const MAX_ZIP_ENTRY_BYTES: u64 = 512 * 1024 * 1024;

/// How much larger than in the archive an entry of more than [`RATIO_CHECKED_ABOVE`] bytes may be. eCH-0020
/// XML packs about ten to one; a zip bomb a thousand to one.
const MAX_COMPRESSION_RATIO: u64 = 100;
const RATIO_CHECKED_ABOVE: u64 = 10 * 1024 * 1024;

/// Why a zip entry is not read at all, judged by the sizes the archive declares (the reader itself also stops
/// at [`MAX_ZIP_ENTRY_BYTES`], should the declared size be false).
fn entry_too_large(size: u64, compressed: u64) -> Option<String> {
    if size > MAX_ZIP_ENTRY_BYTES {
        return Some(format!("zu gross: {} MB entpackt, höchstens {} MB", size >> 20, MAX_ZIP_ENTRY_BYTES >> 20));
    }
    if size > RATIO_CHECKED_ABOVE && size / compressed.max(1) > MAX_COMPRESSION_RATIO {
        return Some(format!(
            "Verdacht auf eine Zip-Bombe: entpackt {} MB aus {} KB, mehr als {MAX_COMPRESSION_RATIO}-fach verdichtet",
            size >> 20,
            compressed >> 10
        ));
    }
    None
}

fn unreadable(name: &str, reason: &str) -> DeliveryFile {
    DeliveryFile { name: name.to_owned(), source: Source::Unreadable(format!("nicht lesbar: {reason}")) }
}

fn has_extension(name: &str, extension: &str) -> bool {
    Path::new(name).extension().is_some_and(|ext| ext.eq_ignore_ascii_case(extension))
}

impl Store {
    /// Imports the deliveries one by one in the name of `actor` (each in batches of its events, one
    /// transaction each, see [`Store::import_register_delivery`]); `done` hears of each as it finishes (progress bar). A file that is
    /// not a delivery is refused and the others go on; a refusal of the actor or a database failure stops.
    pub async fn import_register_files(
        &self,
        actor: &Actor,
        files: &[DeliveryFile],
        mut done: impl FnMut(&FileResult),
    ) -> Result<Vec<FileResult>, StoreError> {
        let mut results = Vec::with_capacity(files.len());
        let mut open: Option<(PathBuf, ZipArchive<BufReader<File>>)> = None;
        let mut since_pause = Instant::now();
        for file in files {
            if since_pause.elapsed() >= WORK_BETWEEN_PAUSES {
                self.let_others_write().await;
                since_pause = Instant::now();
            }
            let outcome = match &file.source {
                Source::Xml(path) => self.import_xml(actor, &file.name, path).await?,
                Source::ZipEntry { archive, index } => {
                    let cached = open.take().filter(|(path, _)| path == archive).map(|(_, zip)| Ok(zip));
                    match cached.unwrap_or_else(|| open_zip(archive)) {
                        Ok(mut zip) => {
                            let outcome = self.import_zip_entry(actor, &file.name, &mut zip, *index).await?;
                            open = Some((archive.clone(), zip));
                            outcome
                        }
                        Err(reason) => FileOutcome::Refused(reason),
                    }
                }
                Source::Skip(reason) => FileOutcome::Skipped(reason.clone()),
                Source::Unreadable(reason) => FileOutcome::Refused(reason.clone()),
            };
            let result = FileResult { name: file.name.clone(), outcome };
            done(&result);
            results.push(result);
        }
        Ok(results)
    }

    async fn import_xml(&self, actor: &Actor, name: &str, path: &Path) -> Result<FileOutcome, StoreError> {
        let file = match File::open(path) {
            Ok(file) => file,
            Err(e) => return Ok(FileOutcome::Refused(format!("nicht lesbar: {e}"))),
        };
        match read_delivery(file) {
            Ok(delivery) => Ok(FileOutcome::Imported(self.import_register_delivery(actor, name, delivery).await?)),
            Err(refusal) => Ok(FileOutcome::Refused(refusal.to_string())),
        }
    }

    async fn import_zip_entry(
        &self,
        actor: &Actor,
        name: &str,
        zip: &mut ZipArchive<BufReader<File>>,
        index: usize,
    ) -> Result<FileOutcome, StoreError> {
        let entry = match zip.by_index(index) {
            Ok(entry) => entry,
            Err(e) => return Ok(FileOutcome::Refused(format!("nicht lesbar: {e}"))),
        };
        if let Some(reason) = entry_too_large(entry.size(), entry.compressed_size()) {
            return Ok(FileOutcome::Refused(reason));
        }
        match read_delivery(entry.take(MAX_ZIP_ENTRY_BYTES)) {
            Ok(delivery) => Ok(FileOutcome::Imported(self.import_register_delivery(actor, name, delivery).await?)),
            Err(refusal) => Ok(FileOutcome::Refused(refusal.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zip_bomb_or_a_huge_entry_is_not_read_and_a_register_export_is() {
        let bomb = entry_too_large(256 << 20, 262 << 10).expect("256 MB from 262 KB is refused");
        assert!(bomb.contains("Zip-Bombe") && bomb.contains("256 MB aus 262 KB"), "{bomb}");
        let huge = entry_too_large(600 << 20, 60 << 20).expect("600 MB is refused");
        assert_eq!(huge, "zu gross: 600 MB entpackt, höchstens 512 MB");
        assert_eq!(entry_too_large(60 << 20, 6 << 20), None, "a baseDelivery packed ten to one is read");
        assert_eq!(entry_too_large(4 << 20, 1 << 10), None, "small entries are read whatever their ratio");
    }
}
