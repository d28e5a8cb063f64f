//! Pushes as WeChat's documentation shows them.

use super::*;

fn wrap(body: &str) -> String {
    format!(
        "<xml><ToUserName><![CDATA[gh_account]]></ToUserName>\
         <FromUserName><![CDATA[oResident]]></FromUserName>\
         <CreateTime>1348831860</CreateTime>{body}</xml>"
    )
}

#[test]
fn a_text_push_is_read_with_its_msg_id() {
    let push = parse(&wrap(
        "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[漏水 a<b]]></Content>\
         <MsgId>1234567890123456</MsgId>",
    ))
    .unwrap();
    assert_eq!(push.from, "oResident");
    assert_eq!(push.to, "gh_account");
    assert_eq!(push.create_time, 1348831860);
    assert_eq!(
        push.kind,
        PushKind::Text {
            msg_id: "1234567890123456".into(),
            content: "漏水 a<b".into(),
            menu_id: None
        }
    );
    assert_eq!(push.dedup_key(), "msg:1234567890123456");
}

#[test]
fn a_menu_press_comes_back_as_text_with_its_id() {
    let push = parse(&wrap(
        "<MsgType>text</MsgType><Content>报修</Content><MsgId>1</MsgId>\
         <bizmsgmenuid>101</bizmsgmenuid>",
    ))
    .unwrap();
    assert!(matches!(push.kind, PushKind::Text { menu_id: Some(ref id), .. } if id == "101"));
}

#[test]
fn image_and_location_pushes_are_read() {
    let image = parse(&wrap(
        "<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://p/1.jpg]]></PicUrl>\
         <MediaId><![CDATA[media_1]]></MediaId><MsgId>2</MsgId>",
    ))
    .unwrap();
    assert!(matches!(image.kind, PushKind::Image { ref media_id, .. } if media_id == "media_1"));
    let location = parse(&wrap(
        "<MsgType><![CDATA[location]]></MsgType><Location_X>36.6512</Location_X>\
         <Location_Y>117.1201</Location_Y><Scale>20</Scale><Label><![CDATA[济南]]></Label>\
         <MsgId>3</MsgId>",
    ))
    .unwrap();
    assert_eq!(
        location.kind,
        PushKind::Location {
            msg_id: "3".into(),
            latitude: 36.6512,
            longitude: 117.1201,
            label: "济南".into()
        }
    );
}

#[test]
fn events_subscribe_scan_and_click_are_read_and_keyed_by_sender_and_time() {
    let event = |name: &str, key: &str| {
        parse(&wrap(&format!(
            "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{name}]]></Event>\
             <EventKey><![CDATA[{key}]]></EventKey>"
        )))
        .unwrap()
    };
    let subscribe = event("subscribe", "qrscene_compound_7");
    assert_eq!(
        subscribe.kind,
        PushKind::Subscribe {
            scene: Some("compound_7".into())
        }
    );
    assert_eq!(
        event("SCAN", "compound_7").kind,
        PushKind::Scan {
            scene: "compound_7".into()
        }
    );
    assert_eq!(
        event("CLICK", "REPORT").kind,
        PushKind::Click {
            key: "REPORT".into()
        }
    );
    assert_eq!(subscribe.dedup_key(), subscribe.clone().dedup_key());
    assert!(
        subscribe
            .dedup_key()
            .starts_with("event:oResident:1348831860:")
    );
    assert_ne!(subscribe.dedup_key(), event("CLICK", "REPORT").dedup_key());
}

#[test]
fn a_body_without_the_needed_fields_is_refused() {
    assert_eq!(parse("<xml></xml>"), Err(BadPush("MsgType")));
    assert_eq!(
        parse(&wrap("<MsgType>text</MsgType><Content>x</Content>")),
        Err(BadPush("MsgId"))
    );
}

#[test]
fn the_passive_reply_swaps_sender_and_receiver_and_survives_cdata_ends() {
    let push = parse(&wrap(
        "<MsgType>text</MsgType><Content>x</Content><MsgId>1</MsgId>",
    ))
    .unwrap();
    let reply = text_reply(&push, 1348831861, "您好 ]]> 再见");
    assert_eq!(field(&reply, "ToUserName").unwrap(), "oResident");
    assert_eq!(field(&reply, "FromUserName").unwrap(), "gh_account");
    assert_eq!(field(&reply, "MsgType").unwrap(), "text");
    assert_eq!(field(&reply, "Content").unwrap(), "您好 ]]> 再见");
    assert_eq!(field(&reply, "CreateTime").unwrap(), "1348831861");
}
