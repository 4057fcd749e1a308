//! The connection loop under the router: accepts TCP connections and serves each over
//! HTTP/1.1 with hyper, closing a connection whose next request's headers have not
//! arrived within `Limits::idle_seconds` — a client sending them a byte at a time
//! (slowloris), one that connects and sends nothing, or a kept-alive connection left
//! idle. axum::serve sets no such limit, so a few thousand silent connections could hold
//! the server's sockets forever. The whole request, body included, has its own limit
//! (`Limits::request_seconds`, a layer in `crate::app`).

use crate::limits::Limits;
use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::{TcpListener, TcpSocket};
use tower::ServiceExt;

/// Listens on `addr` with each connection's receive buffer as `Limits::receive_buffer_kb`
/// says (accepted sockets inherit the listener's). With the system's own, which grows to
/// megabytes, a flood of large bodies refused on their headers still made the kernel take
/// in megabytes per request on the cores that serve everyone else (`tests/benches/abuse.rs`:
/// 2 MB tracking numbers raised the residents' p99 from 3.7 to 19.0 ms; with 256 KiB, 6.8).
pub fn bind(addr: SocketAddr, limits: &Limits) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    if limits.receive_buffer_kb > 0 {
        socket.set_recv_buffer_size(limits.receive_buffer_kb.saturating_mul(1024))?;
    }
    socket.bind(addr)?;
    socket.listen(1024)
}

/// Serves `app` on `listener` until `shutdown` completes, then lets the requests in
/// flight finish.
pub async fn run(listener: TcpListener, app: Router, idle: Duration, shutdown: impl Future<Output = ()>) {
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(idle);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    pause_after(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        // Handlers and the rate limits read the peer's address as axum's serve gives it.
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(request)
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A client that went away, or timed out sending its headers: nothing to do.
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection closed");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// After a failed accept: at once when only that connection failed, else (out of file
/// descriptors, say) a pause, so that the loop does not spin.
async fn pause_after(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if !matches!(e.kind(), ConnectionAborted | ConnectionRefused | ConnectionReset) {
        tracing::error!(error = %e, "accepting a connection failed");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsRawFd;

    /// SO_RCVBUF of a socket, as Linux reports it (twice what was asked: its bookkeeping).
    fn receive_buffer(socket: &impl AsRawFd) -> usize {
        let mut value: libc::c_int = 0;
        let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: getsockopt writes at most `len` bytes into `value`, which has them.
        let rc = unsafe {
            libc::getsockopt(
                socket.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVBUF,
                (&raw mut value).cast(),
                &raw mut len,
            )
        };
        assert_eq!(rc, 0, "getsockopt");
        usize::try_from(value).unwrap()
    }

    #[tokio::test]
    async fn accepted_connections_get_the_configured_receive_buffer() {
        let limits = Limits { receive_buffer_kb: 256, ..Limits::default() };
        let listener = bind("127.0.0.1:0".parse().unwrap(), &limits).unwrap();
        let _client = tokio::net::TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
        let (accepted, _) = listener.accept().await.unwrap();
        // The system may cap what a socket can ask for (net.core.rmem_max).
        let cap: usize = std::fs::read_to_string("/proc/sys/net/core/rmem_max").unwrap().trim().parse().unwrap();
        assert_eq!(receive_buffer(&accepted), 2 * cap.min(256 * 1024));
    }
}
