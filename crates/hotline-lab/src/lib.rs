//! The hotline's lab (not shipped, `publish = false`): the scripted demo
//! (`hotline-lab demo`), the benchmarks that run the bot as its own process
//! beside a baseline binary (`hotline-lab bench …`), and bulk history seeding
//! for them. It drives the bot through its library and the stand-ins of
//! `hotline-standin`; nothing here is in the binary a utility deploys.

pub mod bench;
pub mod db;
pub mod demo;
pub mod hall_seed;
pub mod history;
pub mod reads;
pub mod settle;
