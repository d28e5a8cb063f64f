use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::*;

fn vars<'a>(list: &'a [(&str, &str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| {
        list.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
}

#[test]
fn the_watchdog_is_fed_at_half_its_period_and_only_for_its_own_process() {
    let env = [
        ("NOTIFY_SOCKET", "/run/n.sock"),
        ("WATCHDOG_USEC", "30000000"),
    ];
    let ours = SystemdNotify::from_vars(vars(&env), 7).unwrap();
    assert_eq!(ours.watchdog, Some(Duration::from_secs(15)));
    let other = [
        ("NOTIFY_SOCKET", "@hotline"),
        ("WATCHDOG_USEC", "30000000"),
        ("WATCHDOG_PID", "8"),
    ];
    let theirs = SystemdNotify::from_vars(vars(&other), 7).unwrap();
    assert_eq!(
        (theirs.socket.as_str(), theirs.watchdog),
        ("@hotline", None)
    );
    assert_eq!(
        SystemdNotify::from_vars(vars(&[("NOTIFY_SOCKET", "")]), 7),
        None
    );
}

fn listener() -> (tempfile::TempDir, UnixDatagram, SystemdNotify) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&path).unwrap();
    socket.set_nonblocking(true).unwrap();
    let notify = SystemdNotify {
        socket: path.display().to_string(),
        watchdog: Some(Duration::from_millis(20)),
    };
    (dir, socket, notify)
}

fn received(socket: &UnixDatagram) -> Vec<String> {
    let mut out = Vec::new();
    let mut buf = [0u8; 64];
    while let Ok(n) = socket.recv(&mut buf) {
        out.push(String::from_utf8_lossy(&buf[..n]).into_owned());
    }
    out
}

#[tokio::test]
async fn an_unhealthy_bot_stops_feeding_the_watchdog_and_a_healthy_one_feeds_it() {
    let (_dir, socket, notify) = listener();
    notify.send("READY=1").unwrap();
    assert_eq!(received(&socket), ["READY=1"]);
    let healthy = Arc::new(AtomicBool::new(false));
    let checks = Arc::new(AtomicUsize::new(0));
    let (stop, stopped) = watch::channel(false);
    let (h, c) = (healthy.clone(), checks.clone());
    let task = notify
        .feed(
            move || {
                let (h, c) = (h.clone(), c.clone());
                async move {
                    c.fetch_add(1, Ordering::SeqCst);
                    h.load(Ordering::SeqCst)
                }
            },
            stopped,
        )
        .unwrap();
    while checks.load(Ordering::SeqCst) < 3 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(
        received(&socket),
        Vec::<String>::new(),
        "three checks failed: no feed"
    );
    healthy.store(true, Ordering::SeqCst);
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let mut fed = Vec::new();
    while fed.is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
        fed = received(&socket);
    }
    assert!(
        fed.iter().all(|d| d == "WATCHDOG=1") && !fed.is_empty(),
        "{fed:?}"
    );
    stop.send(true).unwrap();
    task.await.unwrap();
}
