//! systemd's notify protocol (`Type=notify`, `WatchdogSec=`), by hand: one
//! datagram per state ("READY=1", "WATCHDOG=1") to the Unix socket named
//! in `$NOTIFY_SOCKET`. A dozen lines of std rather than a crate: the
//! protocol is one `sendto`, and the bot's dependencies stay as they are.
//!
//! READY=1 goes out once start-up is done (store, Telegram's `getMe`, the
//! worker, the engine, HTTP, polling). WATCHDOG=1 goes out every half of
//! `$WATCHDOG_USEC` only while `/healthz`'s checks find the database
//! answering and the engine not stuck (see `steps::systemd_ready` for why
//! a Telegram outage does not count): a stuck bot stops feeding, and
//! systemd restarts it.

use std::future::Future;
use std::io;
use std::os::unix::net::UnixDatagram;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Where and how often to tell systemd, from the variables it sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemdNotify {
    /// `$NOTIFY_SOCKET`: a path, or `@name` in the abstract namespace.
    pub socket: String,
    /// Half of `$WATCHDOG_USEC` (when `$WATCHDOG_PID`, if set, is this
    /// process): how often to feed the watchdog. None: no watchdog.
    pub watchdog: Option<Duration>,
}

impl SystemdNotify {
    /// From the process environment; None when not started by systemd
    /// with `Type=notify`.
    pub fn from_env() -> Option<SystemdNotify> {
        let var = |name: &str| std::env::var(name).ok();
        SystemdNotify::from_vars(var, std::process::id())
    }

    /// From `var` (a variable's value by name), for process `pid`.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>, pid: u32) -> Option<SystemdNotify> {
        let socket = var("NOTIFY_SOCKET").filter(|s| !s.trim().is_empty())?;
        let ours = var("WATCHDOG_PID").is_none_or(|p| p.trim() == pid.to_string());
        let usec = var("WATCHDOG_USEC").and_then(|u| u.trim().parse::<u64>().ok());
        let watchdog = usec
            .filter(|u| *u > 0 && ours)
            .map(|u| Duration::from_micros(u / 2));
        Some(SystemdNotify { socket, watchdog })
    }

    /// Sends one state, e.g. "READY=1".
    pub fn send(&self, state: &str) -> io::Result<()> {
        let socket = UnixDatagram::unbound()?;
        socket.set_nonblocking(true)?;
        send_to(&socket, &self.socket, state.as_bytes())
    }

    /// Feeds the watchdog every `watchdog` while `healthy()` says so, until
    /// `stop` turns true. None without a watchdog.
    pub fn feed<F, C>(
        &self,
        mut healthy: C,
        mut stop: watch::Receiver<bool>,
    ) -> Option<JoinHandle<()>>
    where
        C: FnMut() -> F + Send + 'static,
        F: Future<Output = bool> + Send,
    {
        let every = self.watchdog?;
        let notify = self.clone();
        Some(tokio::spawn(async move {
            let mut fed = true;
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(every) => {}
                    _ = stop.changed() => return,
                }
                let now_healthy = healthy().await;
                if now_healthy && let Err(error) = notify.send("WATCHDOG=1") {
                    tracing::warn!(%error, "could not feed systemd's watchdog");
                }
                if fed && !now_healthy {
                    tracing::error!("unhealthy (see /healthz): not feeding systemd's watchdog");
                }
                fed = now_healthy;
            }
        }))
    }
}

#[cfg(target_os = "linux")]
fn send_to(socket: &UnixDatagram, to: &str, datagram: &[u8]) -> io::Result<()> {
    use std::os::linux::net::SocketAddrExt;
    match to.strip_prefix('@') {
        Some(name) => {
            let addr = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())?;
            socket.send_to_addr(datagram, &addr).map(drop)
        }
        None => socket.send_to(datagram, to).map(drop),
    }
}

#[cfg(not(target_os = "linux"))]
fn send_to(socket: &UnixDatagram, to: &str, datagram: &[u8]) -> io::Result<()> {
    socket.send_to(datagram, to).map(drop)
}

#[cfg(test)]
mod tests;
