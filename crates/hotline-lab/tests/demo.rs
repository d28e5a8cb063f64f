//! `hotline-lab demo` as a newcomer runs it: the scripted night prints what each
//! person saw, in order.

use std::process::{Command, Stdio};

#[test]
fn the_demo_shows_the_property_manager_the_crews_update() {
    let out = Command::new(env!("CARGO_BIN_EXE_hotline-lab"))
        .arg("demo")
        .env_remove("HOTLINE_CONFIG")
        .env_remove("TELOXIDE_TOKEN")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The page printed for 物业老孙 after /update is the broadcast itself,
    // not the last message the chat held before it.
    let page = stdout
        .split("📟 to 物业老孙:")
        .nth(1)
        .expect("a page to the property manager");
    let first = page.trim_start().split("\n\n").next().unwrap_or_default();
    assert!(
        first.starts_with("🤖 📣") && first.contains("抢修队已到场"),
        "{first}\n---\n{stdout}"
    );
    // The WeChat resident reports beside the Telegram ones and gets a ticket.
    let wechat = stdout
        .split("孙女士 (WeChat): [确认提交]")
        .nth(1)
        .expect("the WeChat resident confirms");
    assert!(
        wechat.trim_start().starts_with("🤖 ✅ 已提交！工单号：JN-"),
        "{stdout}"
    );
    assert!(stdout.contains(" meter "), "{stdout}");
    assert!(stdout.contains("WeChat sends refused: 0"), "{stdout}");
    assert!(stdout.contains("signs in with: http"), "{stdout}");
    assert!(stdout.contains("429s received: 0"), "{stdout}");
}
