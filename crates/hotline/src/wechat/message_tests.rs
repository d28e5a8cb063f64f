use super::*;
use crate::domain::{ChatId, InlineButton, ReplyButton};

fn chat() -> ChatId {
    ChatId(ChatId::WECHAT_BASE + 1)
}

#[test]
fn buttons_become_a_menu_message_whose_ids_are_the_callback_data() {
    let keyboard = Keyboard::inline(vec![vec![
        InlineButton {
            text: "停水".into(),
            data: "w:1:cat:outage".into(),
        },
        InlineButton {
            text: "水质".into(),
            data: "w:1:cat:quality".into(),
        },
    ]]);
    let message = OutMessage::with_keyboard(chat(), "请选择问题类型", keyboard);
    let bodies = bodies("oWang", &message);
    assert_eq!(bodies.len(), 1);
    let menu = &bodies[0]["msgmenu"];
    assert_eq!(bodies[0]["msgtype"], "msgmenu");
    assert_eq!(menu["head_content"], "请选择问题类型");
    assert_eq!(menu["list"][0]["id"], "w:1:cat:outage");
    assert_eq!(menu["list"][1]["content"], "水质");
}

#[test]
fn big_buttons_are_items_but_not_those_asking_for_a_phones_contact() {
    let button = |text: &str, kind| ReplyButton {
        text: text.into(),
        kind,
    };
    let keyboard = Keyboard::Reply {
        rows: vec![vec![
            button("📝 报修", ReplyButtonKind::Plain),
            button("📱 分享号码", ReplyButtonKind::RequestContact),
            button("❓ 帮助", ReplyButtonKind::Plain),
        ]],
    };
    let bodies = bodies("o", &OutMessage::with_keyboard(chat(), "您好", keyboard));
    let list = bodies[0]["msgmenu"]["list"].as_array().unwrap().clone();
    let items: Vec<(&str, &str)> = list
        .iter()
        .map(|i| (i["id"].as_str().unwrap(), i["content"].as_str().unwrap()))
        .collect();
    assert_eq!(items, [("k1", "📝 报修"), ("k2", "❓ 帮助")]);
}

#[test]
fn a_long_text_is_cut_on_line_breaks_within_wechats_size() {
    let line = "水".repeat(100); // 300 bytes
    let text = vec![line.as_str(); 15].join("\n");
    let bodies = bodies("o", &OutMessage::text(chat(), text.clone()));
    assert!(bodies.len() >= 3, "{}", bodies.len());
    let mut joined = Vec::new();
    for body in &bodies {
        let content = body["text"]["content"].as_str().unwrap();
        assert!(content.len() <= MAX_BYTES);
        joined.push(content.to_owned());
    }
    assert_eq!(joined.join("\n"), text);
    assert_eq!(
        split(&"水".repeat(1000), 2000).len(),
        2,
        "cut inside no character"
    );
}

#[test]
fn news_goes_as_a_template_with_the_ticket_and_status() {
    let news = News {
        kind: NewsKind::Resolved,
        subject: "JN-0001".into(),
    };
    let body = template_body(
        "oWang",
        "tmpl-resolved",
        &news,
        "✅ 您的报修 JN-0001 已解决。",
    );
    assert_eq!(body["template_id"], "tmpl-resolved");
    assert_eq!(body["data"]["keyword1"]["value"], "JN-0001");
    assert!(
        body["data"]["keyword2"]["value"]
            .as_str()
            .unwrap()
            .contains("已解决")
    );
    assert!(
        body["data"]["remark"]["value"]
            .as_str()
            .unwrap()
            .contains("JN-0001")
    );
    let templates = crate::config::WechatTemplates {
        resolved: Some("tmpl-resolved".into()),
        ..Default::default()
    };
    assert_eq!(
        template_for(&templates, NewsKind::Resolved),
        Some("tmpl-resolved")
    );
    assert_eq!(template_for(&templates, NewsKind::Incident), None);
}

#[test]
fn what_a_wechat_chat_has_no_place_for_is_not_sent() {
    let menu = OutMessage::Menu {
        chat_id: chat(),
        commands: vec![("start".into(), "开始".into())],
    };
    assert!(bodies("o", &menu).is_empty());
}

#[test]
fn an_edit_that_only_records_a_press_is_not_sent_and_any_other_goes_as_new() {
    let edit = |text: &str, keyboard| OutMessage::Edit {
        chat_id: chat(),
        message_id: 7,
        text: text.into(),
        keyboard,
    };
    let pressed = crate::texts::answered("第 1/4 步：请选择故障类型。", "停水");
    assert!(bodies("oWang", &edit(&pressed, Keyboard::Keep)).is_empty());
    let receipt = edit("✅ 已提交，工单号 JN-1", Keyboard::Keep);
    let sent = bodies("oWang", &receipt);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["text"]["content"], "✅ 已提交，工单号 JN-1");
    let next = Keyboard::inline(vec![vec![InlineButton {
        text: "确认".into(),
        data: "w:1:ok".into(),
    }]]);
    let question = bodies("oWang", &edit(&pressed, next));
    assert_eq!(
        question[0]["msgtype"], "msgmenu",
        "a new question with its items"
    );
}
