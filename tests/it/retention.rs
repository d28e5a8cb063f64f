//! Retention: purge and /forget remove exactly what they say; backups.
