//! Unit tests of the wizard transitions.
