//! Konten: users, sessions, logins and API tokens.

pub(crate) mod accounts;
