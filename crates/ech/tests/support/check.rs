//! What the reader must do with any delivery, mutated or not (used by the property test of `tests/reader.rs`
//! and by the mutation benchmark): read it to the end, with events or typed errors, in few bytes of memory,
//! with messages that name a problem instead of repeating the input.

use iim_ech::read_delivery;

/// What reading a delivery gave.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Read {
    pub refused: bool,
    pub events: usize,
    pub faulty: usize,
}

/// Reads the delivery to its end. An `Err` is a broken property (a panic is one too, caught by the caller):
/// more events than bytes, or a message that repeats what it read instead of naming the problem.
pub fn read(bytes: &[u8]) -> Result<Read, String> {
    let reader = match read_delivery(bytes) {
        Ok(reader) => reader,
        Err(refusal) => {
            let message = refusal.to_string();
            return bounded(&message).map(|()| Read { refused: true, ..Read::default() });
        }
    };
    let mut read = Read::default();
    for event in reader {
        match event {
            Ok(_) => read.events += 1,
            Err(error) => {
                bounded(&error.to_string())?;
                read.faulty += 1;
            }
        }
        if read.events + read.faulty > bytes.len() {
            return Err(format!("{} events from {} bytes", read.events + read.faulty, bytes.len()));
        }
    }
    Ok(read)
}

/// A message names the problem in a line; it does not carry megabytes of the input.
fn bounded(message: &str) -> Result<(), String> {
    if message.len() > 2_000 {
        return Err(format!("a message of {} bytes: {}…", message.len(), &message[..message.floor_char_boundary(200)]));
    }
    Ok(())
}

/// The peak resident memory of this process in MB, where the system says (Linux).
pub fn peak_memory_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024)
}
