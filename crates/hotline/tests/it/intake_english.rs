//! Residents who read English: a whole report in English, and the first
//! greeting in the language of their Telegram app.

use hotline_standin::texts;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_resident_reports_in_english_with_a_photo_and_a_typed_number() {
    let app = TestApp::spawn().await;
    let li = app.resident(1002, "Li");
    li.send("/lang").await.unwrap();
    let set = li.press("English").await.unwrap();
    assert!(set[0].text.contains("English"), "{:?}", texts(&set));

    let step1 = li.send("/report").await.unwrap();
    assert!(step1[0].text.starts_with("Step 1/4"), "{:?}", step1[0].text);
    li.press("Water quality").await.unwrap();
    // A near miss offers the closest compounds as buttons.
    let pick = li.send("Sunshine Gardn").await.unwrap();
    assert!(pick[0].text.contains("Did you mean"), "{:?}", texts(&pick));
    li.press("阳光花园小区").await.unwrap();
    let step3 = li.send("building 7 unit 1").await.unwrap();
    assert!(step3[0].text.starts_with("Step 3/4"));
    let step4 = li
        .send_photo("photo-file-1", Some("The water is brown"))
        .await
        .unwrap();
    assert!(step4[0].text.starts_with("Step 4/4"), "{:?}", texts(&step4));
    // No phone step: a number typed on the summary is taken, other text is
    // answered with the summary again.
    let bad = li.send("call me maybe").await.unwrap();
    assert_eq!(
        bad[0].text,
        hotline::texts::press_a_button(hotline::domain::Lang::En)
    );
    let step5 = li.send("+86 531 8888 6666").await.unwrap();
    assert!(
        step5.last().unwrap().text.contains("+865318888"),
        "{:?}",
        texts(&step5)
    );
    let done = li.press("Confirm").await.unwrap();
    assert!(
        done[0].text.contains("Your ticket: JN-260209-0001"),
        "{:?}",
        done[0].text
    );

    let r = &app.reports().await[0];
    assert_eq!(
        (r.category.as_str(), r.resident_lang.as_str()),
        ("quality", "en")
    );
    assert_eq!(
        (r.compound_id.as_deref(), r.address_detail.as_str()),
        (Some("yangguang"), "building 7 unit 1")
    );
    assert_eq!(r.photos(), vec!["photo-file-1".to_string()]);
    assert_eq!(
        (r.description.as_str(), r.phone.as_deref()),
        ("The water is brown", Some("+8653188886666"))
    );
    app.stop().await;
}

#[tokio::test]
async fn a_resident_whose_telegram_is_in_english_is_greeted_in_english_until_they_choose() {
    let app = TestApp::spawn().await;
    let john = app.resident(1010, "John").with_client_lang("en-GB");

    let hello = john.send("/start").await.unwrap();
    assert!(hello[0].text.contains("Hello John"), "{:?}", hello[0].text);
    let step1 = john.send("/report").await.unwrap();
    assert!(step1[0].text.starts_with("Step 1/4"), "{:?}", step1[0].text);

    john.send("/cancel").await.unwrap();
    john.send("/lang").await.unwrap();
    john.press("中文").await.unwrap();
    let again = john.send("/start").await.unwrap();
    assert!(again[0].text.contains("John您好"), "{:?}", again[0].text);
    app.stop().await;
}
