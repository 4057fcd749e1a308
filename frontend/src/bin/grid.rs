//! Entry point of the grid lookup app (grid.html): everything lives in the library.

fn main() {
    onewindow_frontend::grid::start();
}
