//! `onewindow serve`: the server binary. All the work is in the library.

use clap::{Parser, Subcommand};
use onewindow::config::Config;
use std::io::Write;

#[derive(Parser)]
#[command(name = "onewindow", about = "OneWindow 一窗通办 server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the built app.
    Serve(Config),
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let Cli { command: Command::Serve(config) } = Cli::parse();
    let _ = std::io::stdout().flush();
    match onewindow::serve(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "the server failed");
            std::process::ExitCode::FAILURE
        }
    }
}
