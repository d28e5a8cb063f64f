//! The GeoReport v2 text's own examples (wiki.open311.org/GeoReport_v2), run
//! against the endpoint in both formats: the same query strings and the same
//! POST body (its `jurisdiction_id`, attributes of another city, a phone
//! number of nine digits, a media URL), with our key and service codes in
//! place of the examples' `xyz` and `001`/`033`.

use serde_json::Value;

use crate::driver::{get as get_text, post_form};
use crate::open311::{KEY, spawn_api, url};

/// The example POST body of "POST Service Request", fields in its order.
fn example_post(key: &str) -> Vec<(&'static str, String)> {
    [
        ("api_key", key),
        ("jurisdiction_id", "city.gov"),
        ("service_code", "leak"),
        ("lat", "37.76524078"),
        ("long", "-122.4212043"),
        ("address_string", "1234 5th street"),
        ("email", "smit333@sfgov.edu"),
        ("device_id", "tt222111"),
        ("account_id", "123456"),
        ("first_name", "john"),
        ("last_name", "smith"),
        ("phone", "111111111"),
        ("description", "A large sinkhole is destroying the street"),
        (
            "media_url",
            "http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg",
        ),
        ("attribute[WHISPAWN]", "123456"),
        ("attribute[WHISDCFL]", "COMMONS"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect()
}

/// One example in one format: the status and the body as JSON (XML is
/// checked for its root and returned as a string value).
async fn example(app: &crate::helpers::TestApp, path: &str, ext: &str, root: &str) -> Value {
    let path = path.replace("{ext}", ext);
    let (status, text) = get_text(&url(app, &path)).await;
    assert_eq!(status, 200, "{path}: {text}");
    match ext {
        "json" => serde_json::from_str(&text).unwrap(),
        _ => {
            let start = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><{root}>");
            assert!(text.starts_with(&start), "{path}: {text}");
            Value::String(text)
        }
    }
}

#[tokio::test]
async fn the_specs_examples_work_in_xml_and_json() {
    let app = spawn_api("").await;
    for ext in ["xml", "json"] {
        example(&app, "discovery.{ext}", ext, "discovery").await;
        let services = example(
            &app,
            "services.{ext}?jurisdiction_id=city.gov",
            ext,
            "services",
        )
        .await;
        if let Some(list) = services.as_array() {
            assert_eq!(list.len(), 7);
        }
        let definition = example(
            &app,
            "services/leak.{ext}?jurisdiction_id=city.gov",
            ext,
            "service_definition",
        )
        .await;
        if ext == "json" {
            assert_eq!(definition["service_code"], "leak");
        }

        let fields = example_post(KEY);
        let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, created) = post_form(&url(&app, &format!("requests.{ext}")), &[], &form).await;
        assert_eq!(status, 200, "{created}");
        let id = match ext {
            "json" => {
                let v: Value = serde_json::from_str(&created).unwrap();
                v[0]["service_request_id"].as_str().unwrap().to_string()
            }
            _ => {
                assert!(
                    created.contains("<service_requests><request><service_request_id>"),
                    "{created}"
                );
                let start = created.find("<service_request_id>").unwrap() + 20;
                let end = created.find("</service_request_id>").unwrap();
                created[start..end].to_string()
            }
        };

        let token = example(
            &app,
            &format!("tokens/{id}.{{ext}}?jurisdiction_id=city.gov"),
            ext,
            "service_requests",
        )
        .await;
        let window = "requests.{ext}?start_date=2010-05-24T00:00:00Z&end_date=2010-06-24T00:00:00Z&status=open&jurisdiction_id=city.gov";
        let old = example(&app, window, ext, "service_requests").await;
        let one = example(
            &app,
            &format!("requests/{id}.{{ext}}?jurisdiction_id=city.gov"),
            ext,
            "service_requests",
        )
        .await;
        match ext {
            "json" => {
                assert_eq!(token[0]["service_request_id"], id.as_str());
                assert_eq!(old.as_array().unwrap().len(), 0, "none in 2010");
                let r = &one[0];
                assert_eq!(r["service_code"], "leak");
                assert_eq!(r["status"], "open");
                assert_eq!(
                    r["description"],
                    "A large sinkhole is destroying the street"
                );
                assert_eq!(r["address"], "1234 5th street");
                assert_eq!(r["lat"], 37.76524078);
                assert_eq!(r["long"], -122.4212043);
                assert_eq!(
                    r["media_url"],
                    "http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg"
                );
            }
            _ => {
                let one = one.as_str().unwrap();
                assert!(
                    one.contains(&format!("<service_request_id>{id}</service_request_id>")),
                    "{one}"
                );
                assert!(one.contains("<address>1234 5th street</address>"), "{one}");
                assert!(
                    old.as_str()
                        .unwrap()
                        .ends_with("<service_requests></service_requests>")
                );
            }
        }
        let text = one.to_string();
        for private in ["111111111", "john", "smith", "smit333", "tt222111"] {
            assert!(!text.contains(private), "{private} exposed in {text}");
        }
    }
    let stored = app.reports().await;
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].phone.as_deref(), Some("111111111"));
    app.stop().await;
}
