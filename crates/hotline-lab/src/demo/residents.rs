//! The residents' part of the demo: reports in Chinese and English, a
//! mistyped compound, a cancel and a status query.

use super::turn;
use hotline_standin::StandIn;

/// Several residents of two compounds report faults; one writes English and
/// mistypes her compound; one cancels midway; one checks /status.
pub(super) async fn script(standin: &StandIn, store: &hotline::store::Store) -> anyhow::Result<()> {
    let wang = crate::settle::resident(standin, store, 1001, "王阿姨");
    let li = crate::settle::resident(standin, store, 1002, "Li");
    let zhang = crate::settle::resident(standin, store, 1003, "张先生");
    let zhao = crate::settle::resident(standin, store, 1004, "赵师傅");

    println!("── 23:00, 阳光花园小区: 王阿姨's tap runs dry ──\n");
    turn(&wang, "/start", &wang.send("/start").await?);
    turn(
        &wang,
        "📝 报修 Report a fault",
        &wang.send(hotline::texts::REPORT_BUTTON).await?,
    );
    turn(&wang, "[停水]", &wang.press("停水").await?);
    turn(
        &wang,
        "阳光花园 3号楼2单元",
        &wang.send("阳光花园 3号楼2单元").await?,
    );
    turn(
        &wang,
        "从晚上十点开始整栋楼都没水了",
        &wang.send("从晚上十点开始整栋楼都没水了").await?,
    );
    turn(
        &wang,
        "(shares her phone number)",
        &wang.share_contact("13800138000").await?,
    );
    turn(&wang, "[确认提交]", &wang.press("确认提交").await?);

    println!("── Li, a neighbour who reads English, mistypes the compound ──\n");
    turn(&li, "/lang", &li.send("/lang").await?);
    turn(&li, "[English]", &li.press("English").await?);
    turn(&li, "/report", &li.send("/report").await?);
    turn(&li, "(a sticker)", &li.send_sticker().await?);
    turn(&li, "[Water quality]", &li.press("Water quality").await?);
    turn(&li, "Sunshine Gardn", &li.send("Sunshine Gardn").await?);
    turn(&li, "[阳光花园小区]", &li.press("阳光花园小区").await?);
    turn(
        &li,
        "building 7 unit 1",
        &li.send("building 7 unit 1").await?,
    );
    let photo = li
        .send_photo(
            "AgACAgUAAxkBAAIBrownWater",
            Some("The water is brown and smells of rust"),
        )
        .await?;
    turn(&li, "(photo) The water is brown and smells of rust", &photo);
    turn(&li, "Skip", &li.send(hotline::texts::SKIP_BUTTON).await?);
    turn(&li, "[Confirm]", &li.press("Confirm").await?);

    println!("── 燕山小区: 张先生 starts a report, then cancels ──\n");
    turn(&zhang, "/report", &zhang.send("/report").await?);
    turn(&zhang, "[漏水/爆管]", &zhang.press("漏水").await?);
    turn(&zhang, "/cancel", &zhang.send("/cancel").await?);

    println!("── 燕山小区: 赵师傅 reports low pressure and checks on it ──\n");
    turn(&zhao, "/report", &zhao.send("/report").await?);
    turn(&zhao, "[水压低]", &zhao.press("水压低").await?);
    turn(&zhao, "燕山小区", &zhao.send("燕山小区").await?);
    turn(&zhao, "12号楼", &zhao.send("12号楼").await?);
    turn(
        &zhao,
        "六楼以上水压很低，热水器打不着火",
        &zhao.send("六楼以上水压很低，热水器打不着火").await?,
    );
    turn(&zhao, "0531-8888 6666", &zhao.send("0531-8888 6666").await?);
    turn(&zhao, "[确认提交]", &zhao.press("确认提交").await?);
    let ticket = zhao
        .shown()
        .iter()
        .find_map(|m| {
            m.text
                .split("工单号：")
                .nth(1)
                .map(|t| t.lines().next().unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    turn(
        &zhao,
        &format!("/status {ticket}"),
        &zhao.send(&format!("/status {ticket}")).await?,
    );
    turn(&wang, "/my", &wang.send("/my").await?);
    Ok(())
}
