//! WeChat Official Account (服务号), the residents' second chat channel
//! (issue 28): the protocol (`crypt`: signatures and the encrypted mode;
//! `push`: the XML pushes and the passive reply), pure; the server URL on the
//! instance's HTTP server (`server`), which turns a push into the chat
//! layer's `Incoming` like `crate::telegram` turns an update.

pub mod crypt;
pub mod ids;
pub mod push;
pub mod server;
