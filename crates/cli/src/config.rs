//! Configuration: built-in defaults, then an optional TOML file, then `IIM_*` environment variables
//! (each later source wins). The database URL may contain a password, so it is kept as a secret and
//! only ever shown redacted.

use anyhow::Context;
use chrono::NaiveDate;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use iim_domain::clock::{Clock, FixedClock, SystemClock};
use iim_domain::fruehfoerderung::{KindergartenRegel, MonatTag};
use iim_store::RegionMapping;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`; unset: a SQLite file under `data_dir`.
    #[serde(default, skip_serializing)]
    pub database_url: Option<SecretString>,
    /// Folder for the embedded SQLite database.
    pub data_dir: PathBuf,
    /// Address to listen on.
    pub listen: String,
    /// Mark cookies `Secure` (HTTPS only). Unset: on for `serve`, off for `demo` (plain HTTP on this machine).
    pub secure_cookies: Option<bool>,
    /// CSV file assigning each Gemeinde to its Sozialregion and Leitgemeinde; unset: the built-in example.
    pub region_mapping: Option<PathBuf>,
    /// `text` (readable) or `json` (one JSON object per line, for log collectors).
    pub log_format: String,
    /// Frühe Sprachförderung: a child enters the Kindergarten in the year it turns 4 on or before this day
    /// (`TT.MM.`, Solothurn: 31.07.).
    pub kindergarten_stichtag: String,
    /// First day of the Kindergarten year (`TT.MM.`, Solothurn: 01.08.); the German assessment is planned 18
    /// months before it.
    pub kindergarten_beginn: String,
    /// Mentoring-Pools: days after their last change until the data of mentors who left (or were not
    /// accepted) and of mentees whose tandems ended is deleted.
    pub mentoring_aufbewahrung_tage: u32,
    /// For tests and reproducible demos only: the store's clock stands still on this day (`TT.MM.JJJJ`, at
    /// noon in Switzerland) instead of following the wall clock. Unset in real use.
    pub heute: Option<String>,
    /// Reverse proxies in front of the app whose `X-Forwarded-For` is believed (addresses or networks,
    /// separated by commas); empty: the header is ignored.
    pub trusted_proxies: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: None,
            data_dir: PathBuf::from("var"),
            listen: "127.0.0.1:8080".to_owned(),
            secure_cookies: None,
            region_mapping: None,
            log_format: "text".to_owned(),
            kindergarten_stichtag: "31.07.".to_owned(),
            kindergarten_beginn: "01.08.".to_owned(),
            mentoring_aufbewahrung_tage: 365,
            heute: None,
            trusted_proxies: String::new(),
        }
    }
}

impl Config {
    /// Reads the configuration; `file` is the `--config` path, else `iim.toml` if it exists.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) => {
                anyhow::ensure!(path.exists(), "Konfigurationsdatei {} gibt es nicht", path.display());
                figment = figment.merge(Toml::file(path));
            }
            None => figment = figment.merge(Toml::file("iim.toml")),
        }
        figment.merge(Env::prefixed("IIM_")).extract().context("Konfiguration ungültig")
    }

    /// The database URL to connect to.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.expose_secret().to_owned(),
            None => format!("sqlite://{}", self.data_dir.join("iim.sqlite3").display()),
        }
    }

    /// The database URL with any password replaced, for messages and logs.
    pub fn database_url_redacted(&self) -> String {
        redact(&self.database_url())
    }

    pub fn region_mapping(&self) -> anyhow::Result<RegionMapping> {
        match &self.region_mapping {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("Zuordnungsdatei {} nicht lesbar", path.display()))?;
                Ok(RegionMapping::parse(&text)?)
            }
            None => Ok(RegionMapping::example()?),
        }
    }
}

impl Config {
    /// The Kindergarten entry rule of the frühe Sprachförderung.
    pub fn kindergarten_regel(&self) -> anyhow::Result<KindergartenRegel> {
        let stichtag = MonatTag::parse(&self.kindergarten_stichtag)
            .with_context(|| format!("kindergarten_stichtag «{}»", self.kindergarten_stichtag))?;
        let beginn = MonatTag::parse(&self.kindergarten_beginn)
            .with_context(|| format!("kindergarten_beginn «{}»", self.kindergarten_beginn))?;
        Ok(KindergartenRegel::new(stichtag, beginn))
    }
}

impl Config {
    /// The clock of the store: the wall clock, or a clock standing still on `heute` (tests, reproducible
    /// demos). 11:00 UTC is noon in Switzerland in winter and 13:00 in summer: the same day either way.
    pub fn clock(&self) -> anyhow::Result<Arc<dyn Clock>> {
        let Some(heute) = &self.heute else { return Ok(Arc::new(SystemClock)) };
        let day = NaiveDate::parse_from_str(heute.trim(), "%d.%m.%Y")
            .with_context(|| format!("heute «{heute}»: bitte als TT.MM.JJJJ angeben"))?;
        let noon = day.and_hms_opt(11, 0, 0).context("heute: keine gültige Uhrzeit")?.and_utc();
        Ok(Arc::new(FixedClock(noon)))
    }

    /// The trusted reverse proxies, checked at start so a typo does not silently trust nobody.
    pub fn trusted_proxies(&self) -> anyhow::Result<Vec<iim_web::IpNet>> {
        iim_web::parse_trusted_proxies(&self.trusted_proxies)
            .map_err(|message| anyhow::anyhow!("trusted_proxies: {message}"))
    }
}

fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_database_urls_are_redacted() {
        assert_eq!(redact("postgres://iim:geheim@db.example/iim"), "postgres://iim:***@db.example/iim");
        assert_eq!(redact("sqlite://var/iim.sqlite3"), "sqlite://var/iim.sqlite3");
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail fixes the error type
    fn environment_overrides_the_file_which_overrides_the_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("iim.toml", "listen = \"0.0.0.0:9000\"\ndata_dir = \"/srv/iim\"\nlog_format = \"json\"")?;
            jail.set_env("IIM_LISTEN", "127.0.0.1:9100");
            let config = Config::load(None).map_err(|e| e.to_string())?;
            assert_eq!(config.listen, "127.0.0.1:9100");
            assert_eq!(config.data_dir, PathBuf::from("/srv/iim"));
            assert_eq!(config.log_format, "json");
            assert_eq!(config.database_url(), "sqlite:///srv/iim/iim.sqlite3");
            assert_eq!(config.secure_cookies, None);
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail fixes the error type
    fn the_kindergarten_rule_defaults_to_solothurn_and_is_configurable() {
        let regel = Config::default().kindergarten_regel().unwrap();
        assert_eq!(
            (regel.stichtag().to_string(), regel.eintritt().to_string()),
            ("31.07.".to_owned(), "01.08.".to_owned())
        );
        figment::Jail::expect_with(|jail| {
            jail.create_file("iim.toml", "kindergarten_stichtag = \"30.04.\"")?;
            jail.set_env("IIM_KINDERGARTEN_BEGINN", "15.08.");
            let regel =
                Config::load(None).map_err(|e| e.to_string())?.kindergarten_regel().map_err(|e| e.to_string())?;
            assert_eq!(
                (regel.stichtag().to_string(), regel.eintritt().to_string()),
                ("30.04.".to_owned(), "15.08.".to_owned())
            );
            Ok(())
        });
        let wrong = Config { kindergarten_stichtag: "29.02.".to_owned(), ..Config::default() };
        let error = format!("{:#}", wrong.kindergarten_regel().unwrap_err());
        assert!(error.contains("kindergarten_stichtag «29.02.»") && error.contains("29. Februar"), "{error}");
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail fixes the error type
    fn iim_heute_stops_the_clock_on_that_day_and_a_wrong_day_is_refused() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("IIM_HEUTE", "29.02.2028");
            let clock = Config::load(None).map_err(|e| e.to_string())?.clock().map_err(|e| e.to_string())?;
            assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2028, 2, 29).unwrap());
            Ok(())
        });
        let wrong = Config { heute: Some("30.02.2027".to_owned()), ..Config::default() };
        let error = format!("{:#}", wrong.clock().unwrap_err());
        assert!(error.contains("heute «30.02.2027»"), "{error}");
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail fixes the error type
    fn trusted_proxies_are_addresses_or_networks_and_a_typo_is_refused() {
        assert!(Config::default().trusted_proxies().unwrap().is_empty());
        figment::Jail::expect_with(|jail| {
            jail.set_env("IIM_TRUSTED_PROXIES", "10.0.0.5, 192.168.0.0/16");
            let proxies =
                Config::load(None).map_err(|e| e.to_string())?.trusted_proxies().map_err(|e| e.to_string())?;
            let shown: Vec<String> = proxies.iter().map(ToString::to_string).collect();
            assert_eq!(shown, ["10.0.0.5/32", "192.168.0.0/16"]);
            Ok(())
        });
        let typo = Config { trusted_proxies: "10.0.0.256".to_owned(), ..Config::default() };
        assert!(typo.trusted_proxies().unwrap_err().to_string().contains("10.0.0.256"));
    }

    #[test]
    fn a_named_config_file_must_exist() {
        let error = Config::load(Some(Path::new("/gibt/es/nicht.toml"))).unwrap_err();
        assert!(error.to_string().contains("gibt es nicht"), "{error}");
    }

    #[test]
    fn debug_output_does_not_show_the_database_url() {
        let config = Config { database_url: Some(SecretString::from("postgres://u:geheim@h/d")), ..Config::default() };
        assert!(!format!("{config:?}").contains("geheim"));
    }
}
