//! Open311 to the letter (issue 26): ids override every filter and match
//! exactly; the spec's limits and statuses; address_id, media_url and phone
//! kept as given; discovery's url, changeset and key_service. JSON and XML.

use hotline::clock::Clock;

use crate::desk_client::{DeskClient, desk_link, free_port, manager};
use crate::driver::{get as get_text, post_form};
use crate::helpers::{STAFF, TestApp};
use crate::open311::{KEY, assert_error, get, post, spawn_api, url};

fn at(address: &'static str, code: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("api_key", KEY),
        ("service_code", code),
        ("address_string", address),
    ]
}

async fn file(app: &TestApp, fields: &[(&str, &str)]) -> String {
    let (status, created) = post(app, fields).await;
    assert_eq!(status, 200, "{created}");
    created[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn ids_override_every_other_filter_and_match_exactly() {
    let app = spawn_api("").await;
    let a = file(&app, &at("燕山小区 1号楼", "leak")).await;
    let b = file(&app, &at("舜耕小区 2号楼", "meter")).await;
    let both = format!(
        "requests.json?service_request_id={a},{b}&service_code=quality&status=closed&start_date=2010-01-01T00:00:00Z&end_date=2010-01-02T00:00:00Z"
    );
    let (status, listed) = get(&app, &both).await;
    assert_eq!(status, 200, "{listed}");
    let mut ids: Vec<&str> = (listed.as_array().unwrap().iter())
        .map(|r| r["service_request_id"].as_str().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, [a.as_str(), b.as_str()]);
    let (_, xml) = get_text(&url(&app, &both.replace(".json", ".xml"))).await;
    assert_eq!(xml.matches("<request>").count(), 2, "{xml}");

    let lower = a.to_lowercase();
    let (_, none) = get(&app, &format!("requests.json?service_request_id={lower}")).await;
    assert_eq!(none.as_array().unwrap().len(), 0, "exact, not case-folded");
    let part = &a[..a.len() - 1];
    let (_, none) = get(&app, &format!("requests.json?service_request_id={part}")).await;
    assert_eq!(none.as_array().unwrap().len(), 0, "no partial match");
    assert_error(
        &get(&app, &format!("requests/{lower}.json")).await,
        404,
        "service_request_id",
    );
    let (_, only_leaks) = get(&app, "requests.json?service_code=leak").await;
    assert_eq!(only_leaks.as_array().unwrap().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn the_specs_limits_and_statuses_apply() {
    let app = spawn_api("").await;
    let long = "水".repeat(4000);
    let mut fields = at("燕山小区 1号楼", "leak");
    fields.push(("description", &long));
    file(&app, &fields).await;
    let too_long = "水".repeat(4001);
    let mut fields = at("燕山小区 2号楼", "leak");
    fields.push(("description", &too_long));
    assert_error(&post(&app, &fields).await, 400, "description");

    let media = format!("https://photos.example.org/{}.jpg", "a".repeat(600));
    let mut fields = at("燕山小区 3号楼", "leak");
    fields.push(("media_url", &media));
    file(&app, &fields).await;
    let huge = format!("https://photos.example.org/{}.jpg", "a".repeat(2000));
    let mut fields = at("燕山小区 4号楼", "leak");
    fields.push(("media_url", &huge));
    assert_error(&post(&app, &fields).await, 400, "media_url");
    let mut fields = at("燕山小区 4号楼", "leak");
    fields.push(("media_url", "javascript:alert(1)"));
    assert_error(&post(&app, &fields).await, 400, "media_url");

    assert_error(
        &post(&app, &at("燕山小区", "teapot")).await,
        404,
        "service_code",
    );
    let (status, xml) = post_form(&url(&app, "requests.xml"), &[], &at("燕山小区", "teapot")).await;
    assert_eq!(status, 404);
    assert!(xml.contains("<errors><error><code>404</code>"), "{xml}");

    for planted in ["call me <a href=x>", "13800138000 ask for Li", "1234"] {
        let mut fields = at("燕山小区 5号楼", "leak");
        fields.push(("phone", planted));
        assert_error(&post(&app, &fields).await, 400, "phone");
    }
    assert_eq!(
        app.reports().await.len(),
        2,
        "refused requests store nothing"
    );
    app.stop().await;
}

#[tokio::test]
async fn address_id_media_url_and_phone_are_kept_and_staff_get_links() {
    let port = free_port();
    let config = format!(
        "{STAFF}\n[telegram]\nwebhook_listen = \"127.0.0.1:{port}\"\n\
         [web]\nenabled = true\nlisten = \"127.0.0.1:{port}\"\n\
         [open311]\nenabled = true\nkeys = [{{ client = \"city\", key_sha256 = \"{}\" }}]\n",
        hotline::secret::digest(KEY)
    );
    let app = TestApp::spawn_with(&config).await;
    let media = "https://photos.example.org/leak.jpg?a=1&b=2";
    let fields = [
        ("api_key", KEY),
        ("service_code", "leak"),
        ("address_id", "ADDR-0042"),
        ("lat", "36.6512"),
        ("long", "117.1201"),
        ("media_url", media),
        ("phone", "+86 138-0013-8000"),
    ];
    let id = file(&app, &fields).await;
    let (_, one) = get(&app, &format!("requests/{id}.json")).await;
    assert_eq!(one[0]["address_id"], "ADDR-0042", "{one}");
    assert_eq!(one[0]["address"], serde_json::Value::Null, "{one}");
    assert_eq!(one[0]["media_url"], media);
    let (_, xml) = get_text(&url(&app, &format!("requests/{id}.xml"))).await;
    assert!(xml.contains("<address_id>ADDR-0042</address_id>"), "{xml}");
    assert!(
        xml.contains("<media_url>https://photos.example.org/leak.jpg?a=1&amp;b=2</media_url>"),
        "{xml}"
    );
    assert_eq!(
        app.reports().await[0].phone.as_deref(),
        Some("+8613800138000")
    );

    let mut desk = DeskClient::new(&format!("http://127.0.0.1:{port}"));
    let link = desk_link(&app, &manager(&app)).await;
    desk.sign_in(&link).await;
    let (_, page) = desk.get(&format!("/desk/ticket/{id}")).await;
    assert!(
        page.contains("href=\"https://photos.example.org/leak.jpg?a=1&amp;b=2\""),
        "{page}"
    );
    assert!(page.contains("href=\"tel:+8613800138000\""), "{page}");
    app.stop().await;
}

#[tokio::test]
async fn discovery_derives_its_url_and_says_how_to_get_a_key() {
    let app = TestApp::spawn_with(&format!(
        "{STAFF}\n[telegram]\nwebhook_listen = \"127.0.0.1:0\"\n\
         [open311]\nenabled = true\ncontact = \"311@jnwater.test\"\n"
    ))
    .await;
    let (status, d) = get(&app, "discovery.json").await;
    assert_eq!(status, 200);
    let expected = format!("http://{}/open311/v2", app.http_addr());
    assert_eq!(d["endpoints"][0]["url"], expected.as_str());
    let key_service = d["key_service"].as_str().unwrap();
    assert!(key_service.contains("311@jnwater.test"), "{key_service}");
    assert!(!key_service.contains("hotline open311"), "{key_service}");
    let first = d["changeset"].as_str().unwrap().to_string();
    let when = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc();
    let since = app.clock.now() - when(&first);
    assert!(since < chrono::TimeDelta::minutes(1), "{first}");
    assert_eq!(d["endpoints"][0]["changeset"], first.as_str());
    let planted = reqwest::Client::new()
        .get(url(&app, "discovery.xml"))
        .header("host", "evil.example/<x>")
        .send()
        .await
        .unwrap();
    let xml = planted.text().await.unwrap();
    assert!(xml.contains("<url>/open311/v2</url>"), "{xml}");

    app.clock.advance(chrono::TimeDelta::hours(1));
    let (_, again) = get(&app, "discovery.json").await;
    assert_eq!(again["changeset"], first.as_str(), "nothing changed");
    // The compound list changes (another instance's config): the changeset moves.
    let later = hotline::clock::to_millis(app.clock.now());
    let moved = app
        .store()
        .open311_changeset("another list", later)
        .await
        .unwrap();
    assert_eq!(moved, later);
    let (_, after) = get(&app, "discovery.json").await;
    let moved_to = when(after["changeset"].as_str().unwrap());
    assert!(
        moved_to - when(&first) >= chrono::TimeDelta::minutes(59),
        "{after}"
    );
    app.stop().await;
}
