//! An urgent report posted through Open311 reaches the duty manager as a chat
//! report does, and the manager's resolve note shows in `requests/{id}.json`.

use hotline::domain::Role;

use crate::driver::WAIT;
use crate::helpers::alerts;
use crate::open311::{KEY, get, post, spawn_api};

#[tokio::test]
async fn an_urgent_open311_report_pages_the_duty_manager_and_shows_the_resolve_note() {
    let app = spawn_api("").await;
    let duty = app.on_call(Role::DutyManager);
    let fields = [
        ("api_key", KEY),
        ("service_code", "leak"),
        ("attribute[compound]", "yanshan"),
        ("attribute[building]", "5号楼"),
        ("address_string", "东门外"),
        ("description", "主管道爆裂，水漫路面"),
    ];
    let (status, created) = post(&app, &fields).await;
    assert_eq!(status, 200, "{created}");
    let id = created[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_string();

    let shown = app
        .standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let alert = &alerts(&shown)[0].text;
    assert!(alert.contains("燕山小区"), "{alert}");

    let manager = app.staff(&duty);
    let done = manager
        .send(&format!("/resolve {id} 已关阀抢修完毕"))
        .await
        .unwrap();
    assert!(done[0].text.contains(&id), "{:?}", done[0].text);
    let (_, one) = get(&app, &format!("requests/{id}.json?locale=en")).await;
    assert_eq!(one[0]["status"], "closed", "{one}");
    assert_eq!(one[0]["status_notes"], "已关阀抢修完毕");
    assert_eq!(one[0]["service_name"], "Leak or burst pipe");
    assert_eq!(app.reports().await[0].address_detail, "5号楼 东门外");
    app.stop().await;
}
