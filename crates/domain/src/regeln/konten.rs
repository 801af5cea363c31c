//! Refusals of accounts and API tokens: a login the stored credentials or the throttle refuse, an account the
//! operator cannot create as given, an operator command for an account that does not exist or is disabled, a
//! personal token without a purpose.

use super::Regel;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KontenRegel {
    /// No active account has this user name and password. The login does not say which of the two is wrong, so
    /// it reveals nothing about which accounts exist. Shown above the login form as a whole.
    ZugangsdatenFalsch,
    /// Too many failed logins from this address or for this user name: the login waits this many minutes.
    /// Shown above the login form as a whole.
    ZuVieleFehlversuche { minuten: i64 },
    /// A user name is 3 to 64 characters: lowercase letters, digits, dot, hyphen (and underscore).
    BenutzernameUngueltig,
    /// An account names the person who uses it.
    NameFehlt,
    /// An account without a role could do nothing.
    RolleFehlt,
    /// The organisation code names no organisation of the directory.
    OrganisationUnbekannt { code: String },
    /// Another account already has this user name.
    BenutzernameVergeben { benutzername: String },
    /// A password shorter than the minimum is refused.
    PasswortZuKurz { mindestens: usize },
    /// The operator command names an account that does not exist or is disabled.
    BenutzerUnbekannt,
    /// A personal API token says what it is for, so its owner recognises it in the list and revokes the right one.
    TokenZweckFehlt,
}

impl Regel for KontenRegel {
    fn feld(&self) -> &'static str {
        match self {
            KontenRegel::ZugangsdatenFalsch | KontenRegel::ZuVieleFehlversuche { .. } => "login",
            KontenRegel::BenutzernameUngueltig | KontenRegel::BenutzernameVergeben { .. } => "username",
            KontenRegel::NameFehlt => "display_name",
            KontenRegel::RolleFehlt => "roles",
            KontenRegel::OrganisationUnbekannt { .. } => "organisation",
            KontenRegel::PasswortZuKurz { .. } => "password",
            KontenRegel::BenutzerUnbekannt => "benutzer",
            KontenRegel::TokenZweckFehlt => "name",
        }
    }
}

impl std::fmt::Display for KontenRegel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KontenRegel::ZugangsdatenFalsch => f.write_str("Benutzername oder Passwort ist falsch."),
            KontenRegel::ZuVieleFehlversuche { minuten } => {
                write!(f, "Zu viele Fehlversuche. Bitte in {minuten} Minuten erneut versuchen.")
            }
            KontenRegel::BenutzernameUngueltig => {
                f.write_str("Benutzername: 3–64 Zeichen, Kleinbuchstaben, Ziffern, Punkt, Bindestrich.")
            }
            KontenRegel::NameFehlt => f.write_str("Bitte den Namen der Person angeben."),
            KontenRegel::RolleFehlt => f.write_str("Mindestens eine Rolle angeben."),
            KontenRegel::OrganisationUnbekannt { code } => write!(f, "Organisation «{code}» gibt es nicht."),
            KontenRegel::BenutzernameVergeben { benutzername } => {
                write!(f, "Den Benutzernamen «{benutzername}» gibt es schon.")
            }
            KontenRegel::PasswortZuKurz { mindestens } => {
                write!(f, "Das Passwort muss mindestens {mindestens} Zeichen lang sein.")
            }
            KontenRegel::BenutzerUnbekannt => f.write_str("Diesen Benutzer gibt es nicht, oder er ist gesperrt."),
            KontenRegel::TokenZweckFehlt => {
                f.write_str("Bitte angeben, wofür das Token dient (z. B. «Fachsystem Sozialdienst»).")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_throttled_login_says_how_long_to_wait() {
        let regel = KontenRegel::ZuVieleFehlversuche { minuten: 15 };
        assert_eq!(regel.feld(), "login");
        assert_eq!(regel.to_string(), "Zu viele Fehlversuche. Bitte in 15 Minuten erneut versuchen.");
    }

    #[test]
    fn a_taken_user_name_is_named_at_the_user_name() {
        let regel = KontenRegel::BenutzernameVergeben { benutzername: "anna.muster".to_owned() };
        assert_eq!(regel.feld(), "username");
        assert_eq!(regel.to_string(), "Den Benutzernamen «anna.muster» gibt es schon.");
    }

    #[test]
    fn a_short_password_names_the_minimum() {
        let errors = KontenRegel::PasswortZuKurz { mindestens: 10 }.als_feldfehler();
        assert_eq!(errors.get("password"), Some("Das Passwort muss mindestens 10 Zeichen lang sein."));
    }
}
