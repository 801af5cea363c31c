//! Fresh, empty databases for tests and benchmarks: a SQLite file in a temporary folder, or a new
//! PostgreSQL database on the server that `IIM_TEST_POSTGRES_URL` names. Each test gets its own, so tests
//! never share state and can run in parallel.

use crate::StoreError;
use rand::RngCore;
use sea_orm::{ConnectionTrait, Database};

/// Environment variable naming the PostgreSQL server for tests (e.g. `postgres://postgres@127.0.0.1/test`).
pub const POSTGRES_URL_VAR: &str = "IIM_TEST_POSTGRES_URL";

/// Prefix of scratch PostgreSQL databases; `scripts/test` drops leftovers by it.
pub const SCRATCH_PREFIX: &str = "iim_scratch_";

/// A scratch database. Keep it alive as long as it is used: dropping it removes a SQLite temp folder.
#[derive(Debug)]
pub struct ScratchDatabase {
    pub url: String,
    _folder: Option<tempfile::TempDir>,
}

impl ScratchDatabase {
    /// A PostgreSQL database when [`POSTGRES_URL_VAR`] is set, else a SQLite file.
    pub async fn from_env() -> Result<Self, StoreError> {
        match std::env::var(POSTGRES_URL_VAR) {
            Ok(server) if !server.trim().is_empty() => Self::postgres(&server).await,
            _ => Self::sqlite(),
        }
    }

    pub fn sqlite() -> Result<Self, StoreError> {
        let folder = tempfile::Builder::new()
            .prefix("iim-scratch-")
            .tempdir()
            .map_err(|e| StoreError::Config(format!("temporärer Ordner: {e}")))?;
        let url = format!("sqlite://{}", folder.path().join("iim.sqlite3").display());
        Ok(Self { url, _folder: Some(folder) })
    }

    /// Creates a new database on the server; its name is random, so parallel tests never collide.
    pub async fn postgres(server_url: &str) -> Result<Self, StoreError> {
        let mut suffix = [0u8; 8];
        rand::rng().fill_bytes(&mut suffix);
        let name: String = format!("{SCRATCH_PREFIX}{}", suffix.iter().map(|b| format!("{b:02x}")).collect::<String>());
        let admin = Database::connect(server_url).await?;
        admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
        admin.close().await?;
        let mut url =
            url::Url::parse(server_url).map_err(|e| StoreError::Config(format!("{POSTGRES_URL_VAR}: {e}")))?;
        url.set_path(&name);
        Ok(Self { url: url.to_string(), _folder: None })
    }
}
