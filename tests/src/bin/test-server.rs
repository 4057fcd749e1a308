//! The real server binary, built inside this package so that tests can start it as a
//! separate process (and kill it) via `CARGO_BIN_EXE_test-server`.

fn main() -> std::process::ExitCode {
    onewindow::cli::main()
}
