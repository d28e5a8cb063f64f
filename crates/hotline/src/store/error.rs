//! The store's error type: every failure says what was being done, so a log
//! line reads "while counting a compound's open reports: database is locked"
//! instead of a bare driver message. Callers that branch on it match the
//! variant; workers and start-up wrap it in `anyhow` with `?`.

/// A failed store operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed a query.
    #[error("database error while {context}")]
    Query {
        context: &'static str,
        #[source]
        source: sqlx::Error,
    },
    /// A stored value the code does not know (a row written by a newer
    /// version, or edited by hand): parsed at the store's edge, never passed on.
    #[error("unknown {what} `{value}` stored in the database")]
    Corrupt { what: &'static str, value: String },
    /// The schema could not be brought up to date.
    #[error("database error while {context}")]
    Migrate {
        context: &'static str,
        #[source]
        source: sqlx::migrate::MigrateError,
    },
    /// This process's writers queued for SQLite's one write lock longer
    /// than SQLite's own busy timeout would wait.
    #[error("timed out waiting for a turn to write to the database")]
    Busy,
    /// This instance does not hold the leader lock it was asked about.
    #[error("this instance is not the leader")]
    NotLeader,
    /// The leader lock's connection stopped answering: the server may have
    /// ended the session and released the lock to another instance.
    #[error("the leader lock's connection stopped answering")]
    LeaderLost,
    /// A delivery worker's lock connection is gone (it is opened again on
    /// the next sweep).
    #[error("the delivery worker's lock connection is gone")]
    SenderLockLost,
    /// The database URL names neither SQLite nor PostgreSQL.
    #[error("database URL must start with sqlite: or postgres:")]
    UnknownBackend,
    /// A backup that cannot be made as asked (the reason says why).
    #[error("{0}")]
    Backup(String),
    /// The database's file could not be created (0600, before SQLite opens it).
    #[error("{0}")]
    File(String),
    /// A JSON column could not be written or read.
    #[error("bad JSON while {context}")]
    Json {
        context: &'static str,
        #[source]
        source: serde_json::Error,
    },
}

/// What store functions return.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// `.context("…")` on driver results: the store's own, so `anyhow` stays out
/// of this module.
pub(crate) trait Context<T> {
    fn context(self, context: &'static str) -> Result<T>;
}

impl<T> Context<T> for std::result::Result<T, sqlx::Error> {
    fn context(self, context: &'static str) -> Result<T> {
        self.map_err(|source| StoreError::Query { context, source })
    }
}

impl<T> Context<T> for std::result::Result<T, sqlx::migrate::MigrateError> {
    fn context(self, context: &'static str) -> Result<T> {
        self.map_err(|source| StoreError::Migrate { context, source })
    }
}

impl<T> Context<T> for std::result::Result<T, serde_json::Error> {
    fn context(self, context: &'static str) -> Result<T> {
        self.map_err(|source| StoreError::Json { context, source })
    }
}

/// Parses a stored code, or says which kind of value was not understood.
pub(crate) fn parse_code<T>(
    what: &'static str,
    value: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T> {
    parse(value).ok_or_else(|| StoreError::Corrupt {
        what,
        value: value.to_owned(),
    })
}
