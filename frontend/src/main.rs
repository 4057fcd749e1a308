//! Entry point: everything lives in the library; this only mounts it.

fn main() {
    onewindow_frontend::start();
}
