//! Pages of the accounts: login, API tokens, the access log.

pub(crate) mod audit;
pub(crate) mod login;
pub(crate) mod tokens;
