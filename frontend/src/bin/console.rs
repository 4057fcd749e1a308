//! Entry point of the staff console (console.html): everything lives in the library.

fn main() {
    onewindow_frontend::console::start();
}
