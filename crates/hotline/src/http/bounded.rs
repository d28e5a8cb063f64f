//! An HTTP server that cannot be held open (issue 25): axum's own `serve`
//! has no timeouts, so a few hundred silent sockets could use up the
//! process's file descriptors and stop `/healthz`, the webhook and Open311.
//! Here each connection is served by hyper's HTTP/1 builder with
//! [`HEADER_READ_TIMEOUT`]: a request's headers must arrive within it, and
//! because hyper starts that timer whenever a connection waits for its next
//! request, an idle keep-alive connection is closed after the same time.
//! At most [`max_connections`] are open at once (a semaphore, kept below
//! the descriptor limit); beyond that, new ones wait in the kernel's
//! backlog until a slot frees, and an accept error never ends the loop.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::service::{Service, service_fn};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Time allowed for a request's headers, and for an idle keep-alive
/// connection before it is closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Descriptors kept free for the database, Telegram, the gateway and logs.
const RESERVED_FDS: u64 = 128;

/// Raises the soft limit on open files to the hard limit (as Go's runtime
/// does), and returns the soft limit in force.
pub fn raise_fd_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read and write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 1024;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    limit.rlim_cur
}

/// The cap on open connections: 4,096, or less to stay below the soft
/// descriptor limit with [`RESERVED_FDS`] to spare.
pub fn max_connections() -> usize {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct passed.
    let soft = match unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } {
        0 => limit.rlim_cur,
        _ => 1024,
    };
    soft.saturating_sub(RESERVED_FDS).clamp(16, 4096) as usize
}

/// Serves `app` on `listener` until the task is aborted.
pub async fn serve(listener: TcpListener, app: Router, max_connections: usize) {
    let slots = Arc::new(Semaphore::new(max_connections));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                tracing::warn!(%error, "accepting an HTTP connection failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let inner = TowerToHyperService::new(app.clone());
        // The peer's address, for handlers that limit per client
        // (`ConnectInfo`, as `axum::serve` would give).
        let service = service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            inner.call(request)
        });
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            if let Err(error) = connection.await {
                tracing::debug!(%error, "HTTP connection ended");
            }
            drop(slot);
        });
    }
}
