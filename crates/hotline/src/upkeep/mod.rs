//! Keeping the database in shape: the retention purge (daily, and
//! `hotline purge`), `hotline backup`, `hotline open311 key add` and `hotline qr` (posters).

pub mod backup;
pub mod guard;
pub mod keys;
pub mod purge;
pub mod qr;

pub use crate::config::RetentionConfig;
