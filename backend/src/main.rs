//! `onewindow serve`: the server binary. All the work is in the library.

fn main() -> std::process::ExitCode {
    onewindow::cli::main()
}
