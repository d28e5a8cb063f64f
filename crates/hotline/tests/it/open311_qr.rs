//! A compound's QR poster: `hotline qr` prints the deep link and writes a
//! PNG; the link's `/start c-<compound>` starts a report with the compound
//! filled in, a forged one gets the normal greeting. And `/forget` in chat.

use std::process::Command;

use hotline_standin::texts;

use crate::driver::Wizard;
use crate::helpers::TestApp;
use hotline::domain::ChatId;

#[tokio::test]
async fn the_posters_link_starts_a_report_with_the_compound_filled_in() {
    let app = TestApp::spawn().await;
    let r = app.resident(7001, "李先生");
    let hello = r.send("/start c-yanshan").await.unwrap();
    assert!(hello[0].text.contains("燕山小区"), "{:?}", texts(&hello));
    assert!(
        hello.iter().any(|m| m.text.contains("第 1/4 步")),
        "{:?}",
        texts(&hello)
    );
    let next = r.press("停水").await.unwrap();
    let asked = next.last().unwrap();
    assert!(
        asked.text.contains("小区：燕山小区"),
        "straight to the building: {:?}",
        texts(&next)
    );
    r.send("3号楼").await.unwrap();
    r.send("没水了").await.unwrap();
    let done = r.press("确认提交").await.unwrap();
    assert!(done[0].text.contains("JN-"), "{:?}", texts(&done));
    let stored = &app.reports().await[0];
    assert_eq!(stored.compound_id.as_deref(), Some("yanshan"));
    assert_eq!(stored.address_detail, "3号楼");
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_or_forged_payload_gets_the_normal_greeting() {
    let app = TestApp::spawn().await;
    for (i, payload) in ["c-atlantis", "c-", "x-yanshan", "c-yanshan'--"]
        .into_iter()
        .enumerate()
    {
        let r = app.resident(7100 + i as i64, "居民");
        let hello = r.send(&format!("/start {payload}")).await.unwrap();
        assert_eq!(hello.len(), 1, "{payload}: {:?}", texts(&hello));
        assert!(
            hello[0].text.contains("24 小时供水服务热线"),
            "{payload}: {:?}",
            texts(&hello)
        );
    }
    assert!(
        app.store()
            .dialogue_state(ChatId(7100))
            .await
            .unwrap()
            .is_none_or(|s| !s.contains("reporting"))
    );
    app.stop().await;
}

#[tokio::test]
async fn forget_erases_the_residents_phone_and_notes_it_on_open_reports() {
    let app = TestApp::spawn().await;
    let r = app.resident(7201, "王阿姨");
    r.start("漏水", "燕山小区 2号楼").await;
    r.send("楼道漏水").await.unwrap();
    r.share_contact("13900139000").await.unwrap();
    r.press("确认提交").await.unwrap();
    assert_eq!(app.reports().await[0].phone.as_deref(), Some("13900139000"));

    let answer = r.send("/forget").await.unwrap();
    assert!(answer[0].text.contains("已删除"), "{:?}", texts(&answer));
    let report = &app.reports().await[0];
    assert_eq!(report.phone, None);
    let events = app.store().report_events(report.id).await.unwrap();
    assert!(events.iter().any(|e| e.0 == "forgotten"), "{events:?}");
    app.stop().await;
}

#[test]
fn hotline_qr_prints_the_link_and_writes_a_png() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("yanshan.png");
    let out = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .env_remove("HOTLINE_CONFIG")
        .args([
            "qr",
            "--compound",
            "yanshan",
            "--bot",
            "@jn_water_bot",
            "--out",
        ])
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("https://t.me/jn_water_bot?start=c-yanshan"),
        "{stdout}"
    );
    let png = std::fs::read(&file).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");

    let unknown = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .env_remove("HOTLINE_CONFIG")
        .args(["qr", "--compound", "atlantis", "--bot", "jn_water_bot"])
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("atlantis"));
}
