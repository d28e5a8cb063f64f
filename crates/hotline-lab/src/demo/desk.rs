//! The demo's operator desk: on, on a free local port, and after the scripted
//! night the director asks for a sign-in link with `/desk`, which is printed.
//! From a terminal the demo then stays up (the desk shows the night) until
//! Ctrl-C; from a script it ends as before.

use std::io::IsTerminal;

use hotline::app::Running;
use hotline::config::Config;
use hotline::domain::Role;
use hotline_standin::StandIn;

/// Turns the desk on, at 127.0.0.1:8090 when free, else any free port.
pub(super) fn enable(config: &mut Config) {
    let listen = std::net::TcpListener::bind("127.0.0.1:8090")
        .or_else(|_| std::net::TcpListener::bind("127.0.0.1:0"))
        .and_then(|l| l.local_addr());
    if let Ok(addr) = listen {
        config.web.enabled = true;
        config.web.listen = addr;
        config.web.base_url = None;
    }
}

/// The director sends `/desk`; prints the link, then waits for Ctrl-C when
/// someone is watching.
pub(super) async fn show(
    standin: &StandIn,
    running: &Running,
    config: &Config,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    if !config.web.enabled {
        return Ok(());
    }
    let oncall = config.oncall()?;
    let director = oncall
        .holder(Role::Director, now, &[])
        .and_then(|h| config.people.iter().find(|p| p.id == h.person_id))
        .or(config.people.first());
    let Some(director) = director else {
        return Ok(());
    };
    let chat = crate::settle::resident(
        standin,
        &running.store,
        director.telegram_id,
        &director.name,
    );
    let shown = chat.send("/desk").await?;
    let link = shown
        .iter()
        .flat_map(|m| m.text.split_whitespace())
        .find(|w| w.starts_with("http"))
        .unwrap_or_default();
    println!(
        "── the operator desk ──\n{} signs in with: {link}",
        director.name
    );
    if std::io::stdin().is_terminal() {
        println!("(the desk stays open until Ctrl-C)");
        let _ = tokio::signal::ctrl_c().await;
    }
    Ok(())
}
