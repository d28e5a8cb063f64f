//! Nobody's phone number or name in a public answer (issue 26): Open311's
//! `address`, `description` and `status_notes`, in JSON and XML, and the
//! desk's CSV export, through one masking function.

use hotline::domain::Role;

use crate::driver::{WAIT, Wizard, get as get_text};
use crate::helpers::alerts;
use crate::open311::{KEY, get, post, spawn_api, url};

/// Every way the numbers of these tests can be written.
const PRIVATE: [&str; 8] = [
    "13912345678",
    "13800138000",
    "１３８００１３８０００",
    "138.0013.8000",
    "138/0013/8000",
    "138_0013_8000",
    "王小明",
    "8000",
];

fn assert_private(text: &str) {
    for private in PRIVATE {
        assert!(!text.contains(private), "{private} exposed in {text}");
    }
}

#[tokio::test]
async fn phones_in_the_address_and_the_resolve_note_are_masked_in_json_and_xml() {
    let app = spawn_api("").await;
    let duty = app.on_call(Role::DutyManager);
    let fields = [
        ("api_key", KEY),
        ("service_code", "leak"),
        ("address_string", "阳光花园 3号楼 电话13912345678"),
        (
            "description",
            "水管爆了 １３８００１３８０００ 或 138.0013.8000, 138/0013/8000, 138_0013_8000",
        ),
    ];
    let (status, created) = post(&app, &fields).await;
    assert_eq!(status, 200, "{created}");
    let id = created[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_string();
    app.standin
        .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
        .await
        .unwrap();
    let done = app
        .staff(&duty)
        .send(&format!("/resolve {id} 已联系住户 13800138000"))
        .await
        .unwrap();
    assert!(done[0].text.contains(&id), "{:?}", done[0].text);

    let (_, one) = get(&app, &format!("requests/{id}.json")).await;
    let r = &one[0];
    assert_eq!(r["address"], "阳光花园小区 3号楼 电话***");
    assert_eq!(r["description"], "水管爆了 *** 或 ***, ***, ***");
    assert_eq!(r["status_notes"], "已联系住户 ***");
    assert_private(&one.to_string());
    let (_, listed) = get(&app, "requests.json").await;
    assert_eq!(listed[0]["address"], "阳光花园小区 3号楼 电话***");
    assert_private(&listed.to_string());

    let (status, xml) = get_text(&url(&app, &format!("requests/{id}.xml"))).await;
    assert_eq!(status, 200);
    assert!(
        xml.contains("<address>阳光花园小区 3号楼 电话***</address>"),
        "{xml}"
    );
    assert!(
        xml.contains("<status_notes>已联系住户 ***</status_notes>"),
        "{xml}"
    );
    assert_private(&xml);
    let (_, xml_list) = get_text(&url(&app, "requests.xml?status=closed")).await;
    assert!(xml_list.contains("<description>水管爆了 *** 或 ***, ***, ***</description>"));
    assert_private(&xml_list);
    app.stop().await;
}

#[tokio::test]
async fn a_chat_residents_name_and_number_are_masked_in_open311_and_the_csv() {
    let app = spawn_api("").await;
    let ticket = app
        .resident(4242, "王小明")
        .report(
            "漏水",
            "燕山小区 6号楼",
            "王小明家管道爆了，电话 138-0013-8000",
        )
        .await;

    let (_, one) = get(&app, &format!("requests/{ticket}.json")).await;
    assert_eq!(one[0]["description"], "***家管道爆了，电话 ***", "{one}");
    assert_private(&one.to_string());
    let (_, xml) = get_text(&url(
        &app,
        &format!("requests.xml?service_request_id={ticket}"),
    ))
    .await;
    assert!(
        xml.contains("<description>***家管道爆了，电话 ***</description>"),
        "{xml}"
    );
    assert_private(&xml);

    let day = chrono::NaiveDate::from_ymd_opt(2026, 2, 9).unwrap();
    let csv = hotline::web::reports::export_csv(&app.config, day, day)
        .await
        .unwrap();
    assert!(csv.contains("***家管道爆了，电话 ***"), "{csv}");
    assert_private(&csv);
    // Staff still see everything in the bot's own records.
    let stored = app.reports().await;
    assert!(stored[0].description.contains("王小明"), "{stored:?}");
    app.stop().await;
}
