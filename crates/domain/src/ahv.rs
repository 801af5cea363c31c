//! AHV number (AHVN13): `756.XXXX.XXXX.XX` with an EAN-13 check digit. It may be stored and checked, but it
//! is never a key: people without one are normal, and a wrongly typed number must be correctable.

use std::fmt;

/// A syntactically valid Swiss social-security number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ahvn13 {
    digits: [u8; 13],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AhvError {
    #[error("Die AHV-Nummer hat 13 Ziffern im Format 756.XXXX.XXXX.XX.")]
    WrongLength,
    #[error("Die AHV-Nummer beginnt mit 756.")]
    WrongCountryPrefix,
    #[error("Die Prüfziffer der AHV-Nummer stimmt nicht. Bitte die Nummer nochmals abschreiben.")]
    WrongCheckDigit,
}

impl Ahvn13 {
    /// Accepts the number with or without dots and spaces.
    pub fn parse(input: &str) -> Result<Self, AhvError> {
        let cleaned: Vec<char> = input.chars().filter(|c| !matches!(c, '.' | ' ' | '\u{a0}')).collect();
        if cleaned.len() != 13 || !cleaned.iter().all(char::is_ascii_digit) {
            return Err(AhvError::WrongLength);
        }
        let mut digits = [0u8; 13];
        for (slot, c) in digits.iter_mut().zip(&cleaned) {
            *slot = *c as u8 - b'0';
        }
        if digits[..3] != [7, 5, 6] {
            return Err(AhvError::WrongCountryPrefix);
        }
        if ean13_check_digit(&digits[..12]) != digits[12] {
            return Err(AhvError::WrongCheckDigit);
        }
        Ok(Self { digits })
    }

    /// Builds a valid number from the nine digits after `756`, computing the check digit (demo data, tests).
    pub fn from_serial(serial: u32) -> Self {
        let mut digits = [7, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let mut rest = serial % 1_000_000_000;
        for slot in digits[3..12].iter_mut().rev() {
            *slot = (rest % 10) as u8;
            rest /= 10;
        }
        digits[12] = ean13_check_digit(&digits[..12]);
        Self { digits }
    }
}

/// EAN-13: weights 1 and 3 alternate from the left; the check digit tops the sum up to a multiple of ten.
fn ean13_check_digit(first_twelve: &[u8]) -> u8 {
    let sum: u32 = first_twelve
        .iter()
        .enumerate()
        .map(|(index, digit)| u32::from(*digit) * if index % 2 == 0 { 1 } else { 3 })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

impl fmt::Display for Ahvn13 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d: String = self.digits.iter().map(|digit| char::from(b'0' + digit)).collect();
        write!(f, "{}.{}.{}.{}", &d[0..3], &d[3..7], &d[7..11], &d[11..13])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_published_sample_number_with_and_without_dots() {
        let dotted = Ahvn13::parse("756.9217.0769.85").unwrap();
        let plain = Ahvn13::parse("7569217076985").unwrap();
        assert_eq!(dotted, plain);
        assert_eq!(plain.to_string(), "756.9217.0769.85");
    }

    #[test]
    fn refuses_wrong_check_digit() {
        assert_eq!(Ahvn13::parse("756.9217.0769.84"), Err(AhvError::WrongCheckDigit));
    }

    #[test]
    fn refuses_other_prefix_and_length() {
        assert_eq!(Ahvn13::parse("123.4567.8901.23"), Err(AhvError::WrongCountryPrefix));
        assert_eq!(Ahvn13::parse("756.9217.0769"), Err(AhvError::WrongLength));
        assert_eq!(Ahvn13::parse("756.9217.0769.8x"), Err(AhvError::WrongLength));
    }

    #[test]
    fn generated_numbers_pass_their_own_check() {
        for serial in [0, 1, 123_456_789, 999_999_999] {
            let number = Ahvn13::from_serial(serial);
            assert_eq!(Ahvn13::parse(&number.to_string()), Ok(number));
        }
    }
}
