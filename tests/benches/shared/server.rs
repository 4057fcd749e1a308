//! The server as its own process for the benches that read its memory (abuse,
//! figures). Included by path (`#[path = "shared/server.rs"] mod server;`).

use std::io::BufRead;
use std::path::Path;

/// The server as its own process, so its memory can be read from /proc.
pub struct Server {
    child: std::process::Child,
    pub url: String,
}

impl Server {
    /// The release server on a free port over the database at `db`, with more flags.
    pub fn start(db: &Path, flags: &[&str]) -> Server {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_test-server"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(flags)
            .arg("--db")
            .arg(db)
            .env("RUST_LOG", "error")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start the server");
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        std::io::BufReader::new(stdout).read_line(&mut line).unwrap();
        let url = line.trim().strip_prefix("listening on ").expect("the server says where it listens").to_string();
        Server { child, url }
    }

    /// A line of /proc/PID/status (in KiB there), in MB (VmRSS now, VmHWM the peak).
    pub fn memory_mb(&self, field: &str) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        let kib: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.trim_start_matches(':').trim().strip_suffix("kB")?.trim().parse().ok())
            .unwrap_or(0.0);
        kib * 1024.0 / 1e6
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
