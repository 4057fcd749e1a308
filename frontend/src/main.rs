//! Entry point of the resident app (index.html): everything lives in the library.

fn main() {
    onewindow_frontend::resident::start();
}
