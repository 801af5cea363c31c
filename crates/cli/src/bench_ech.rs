//! `iim bench-ech`: the raw speed of the eCH-0020 reader, without a database: a generated baseDelivery of N
//! persons read in one stream, and N single-event moveIn deliveries read one by one. This is the ceiling the
//! import into the database will be measured against (docs/performance.md).

use crate::bench_setup::peak_memory_mb;
use clap::Args;
use iim_ech::{RegisterEvent, read_delivery};
use std::fmt::Write;
use std::time::Instant;

#[derive(Debug, Args)]
pub struct BenchEchArgs {
    /// Persons in the baseDelivery, and number of single-event deliveries.
    #[arg(long, default_value_t = 100_000)]
    persons: usize,
}

const HEADER: &str = r#"<delivery xmlns="http://www.ech.ch/xmlns/eCH-0020/3" xmlns:p="http://www.ech.ch/xmlns/eCH-0044/4" xmlns:m="http://www.ech.ch/xmlns/eCH-0007/5" xmlns:h="http://www.ech.ch/xmlns/eCH-0058/5" xmlns:d="http://www.ech.ch/xmlns/eCH-0011/8" xmlns:c="http://www.ech.ch/xmlns/eCH-0008/3"><deliveryHeader><h:senderId>sedex://bench</h:senderId><h:messageId>bench</h:messageId></deliveryHeader>"#;

/// The person part shared by both kinds of delivery: identification, nationality, permit.
fn person(n: usize) -> String {
    format!(
        "<personIdentification><p:localPersonId><p:personIdCategory>CH.ZAR</p:personIdCategory><p:personId>{n}</p:personId></p:localPersonId><p:officialName>Tesfamariam-Čelik {n}</p:officialName><p:firstName>Selam</p:firstName><p:sex>2</p:sex><p:dateOfBirth><p:yearMonth>1994-03</p:yearMonth></p:dateOfBirth></personIdentification><nationalityData><d:nationalityStatus>2</d:nationalityStatus><d:countryInfo><d:country><c:countryIdISO2>ER</c:countryIdISO2><c:countryNameShort>Eritrea</c:countryNameShort></d:country></d:countryInfo></nationalityData><residencePermitData><d:residencePermit>05</d:residencePermit></residencePermitData>"
    )
}

const RESIDENCE: &str = "<reportingMunicipality><m:municipalityId>2581</m:municipalityId><m:municipalityName>Olten</m:municipalityName></reportingMunicipality>";

fn base_delivery(persons: usize) -> String {
    let mut xml = String::from(HEADER);
    xml.push_str("<baseDelivery>");
    for n in 0..persons {
        let _ = write!(
            xml,
            "<messages><baseDeliveryPerson>{}</baseDeliveryPerson><hasMainResidence>{RESIDENCE}</hasMainResidence></messages>",
            person(n)
        );
    }
    xml.push_str("</baseDelivery></delivery>");
    xml
}

fn move_in(n: usize) -> String {
    format!(
        "{HEADER}<moveIn><moveInPerson>{}</moveInPerson><hasMainResidence>{RESIDENCE}<arrivalDate>2026-11-02</arrivalDate><comesFrom><d:foreignCountry><d:country><c:countryIdISO2>ER</c:countryIdISO2><c:countryNameShort>Eritrea</c:countryNameShort></d:country></d:foreignCountry></comesFrom></hasMainResidence></moveIn></delivery>",
        person(n)
    )
}

/// Reads every event of one delivery; returns (events read, events refused).
fn read_all(xml: &str) -> anyhow::Result<(usize, usize)> {
    let mut read = 0;
    let mut refused = 0;
    for event in read_delivery(xml.as_bytes())? {
        read += 1;
        match event {
            Ok(RegisterEvent::NotUsed { .. }) | Err(_) => refused += 1,
            Ok(_) => {}
        }
    }
    Ok((read, refused))
}

pub fn run(args: BenchEchArgs) -> anyhow::Result<()> {
    println!(
        "# iim bench-ech\n\n| what | events | bytes | seconds | events/s | MB/s | refused |\n|---|---|---|---|---|---|---|"
    );
    let xml = base_delivery(args.persons);
    let started = Instant::now();
    let (read, refused) = read_all(&xml)?;
    print_row("one baseDelivery, read as a stream", read, xml.len(), started.elapsed().as_secs_f64(), refused);
    drop(xml);

    let files: Vec<String> = (0..args.persons).map(move_in).collect();
    let bytes: usize = files.iter().map(String::len).sum();
    let started = Instant::now();
    let (mut read, mut refused) = (0, 0);
    for file in &files {
        let (r, f) = read_all(file)?;
        read += r;
        refused += f;
    }
    print_row("single-event moveIn deliveries, one by one", read, bytes, started.elapsed().as_secs_f64(), refused);
    if let Some(peak) = peak_memory_mb() {
        println!("\npeak memory of the process (includes the generated XML held in memory): {peak:.0} MB");
    }
    Ok(())
}

fn print_row(what: &str, events: usize, bytes: usize, seconds: f64, refused: usize) {
    println!(
        "| {what} | {events} | {bytes} | {seconds:.2} | {:.0} | {:.1} | {refused} |",
        events as f64 / seconds,
        bytes as f64 / seconds / 1_000_000.0
    );
}
