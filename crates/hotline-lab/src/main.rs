//! `hotline-lab`: the scripted demo and the benchmarks (see the library).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "hotline-lab",
    about = "The hotline's demo and benchmarks (not shipped)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Play a scripted night against a local Telegram stand-in and print the
    /// conversation (built-in defaults plus config/demo.toml's staff).
    Demo {
        /// Keep the demo's SQLite file here instead of a temporary directory.
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Benchmarks: the bot as its own process against a local stand-in that
    /// enforces Telegram's limits (demo staff plus generated compounds).
    Bench {
        #[command(subcommand)]
        which: hotline_lab::bench::BenchCommand,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Demo { db } => hotline_lab::demo::run(db).await,
        Command::Bench { which } => hotline_lab::bench::run(which).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
