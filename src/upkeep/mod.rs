//! Keeping the database in shape: the retention purge (daily, and
//! `hotline purge`), `hotline backup`, and `hotline open311 key add`.

pub mod backup;
pub mod keys;
pub mod purge;
