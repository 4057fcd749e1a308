//! Entry point of the legal-aid booking app (booking.html): everything lives in the library.

fn main() {
    onewindow_frontend::booking::start();
}
