//! A Telegram that cannot be reached, for tests of the hotline's outage
//! behaviour: while "unreachable", new connections are closed as soon as
//! they are accepted (the client sees a refused/reset connection) and every
//! request on a connection already open hangs without an answer and is
//! never carried out (as a call lost on the way to Telegram), so a client's
//! timeout is the only way out. Lifting it serves requests normally again.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tokio::net::{TcpListener, TcpStream};

use super::{Shared, StandIn};

/// The stand-in's listener, closing connections while unreachable.
pub(super) struct Gate {
    inner: TcpListener,
    shared: Arc<Shared>,
}

impl Gate {
    pub fn new(inner: TcpListener, shared: Arc<Shared>) -> Gate {
        Gate { inner, shared }
    }
}

impl axum::serve::Listener for Gate {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        loop {
            let (io, addr) = axum::serve::Listener::accept(&mut self.inner).await;
            if !self.shared.unreachable.load(Ordering::SeqCst) {
                return (io, addr);
            }
            drop(io);
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// Holds a request that arrived while unreachable: it is never answered
/// nor carried out, even after the outage ends (a call that never arrived).
pub(super) async fn hang_if_unreachable(shared: &Shared) {
    if shared.unreachable.load(Ordering::SeqCst) {
        std::future::pending::<()>().await;
    }
}

impl StandIn {
    /// Makes Telegram unreachable (`true`: connections refused, calls on
    /// open connections hang unanswered) or reachable again (`false`).
    pub fn set_unreachable(&self, on: bool) {
        self.handle.shared.unreachable.store(on, Ordering::SeqCst);
    }
}
