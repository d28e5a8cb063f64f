//! `hotline demo`: the real bot against the local Telegram stand-in on a fresh
//! SQLite file, playing a scripted night at the hotline, printed as a transcript.

mod resident;

use std::path::PathBuf;
use std::sync::Arc;

pub use resident::{Resident, texts};

use crate::app::{self, StartOptions};
use chrono::{DateTime, Utc};

use crate::clock::{Clock, TestClock};
use crate::config::Config;
use crate::domain::Role;
use crate::telegram::standin::{Shown, StandIn, StandInOptions};

/// Prints one turn: what the person did, then what the bot answered.
fn turn(who: &Resident, action: &str, replies: &[Shown]) {
    println!("👤 {}: {action}", who.name());
    for reply in replies {
        let text = reply.text.replace('\n', "\n   ");
        println!("🤖 {text}");
        let buttons: Vec<String> = reply
            .inline
            .iter()
            .chain(&reply.keyboard)
            .flatten()
            .map(|b| format!("[{}]", b.text))
            .collect();
        if !buttons.is_empty() {
            println!("   {}", buttons.join(" "));
        }
    }
    println!();
}

/// The demo's staff and rotations, layered over the built-in defaults.
pub const DEMO_TOML: &str = include_str!("../../config/demo.toml");

/// 2026-02-09 23:00 in Jinan: the night of the story.
pub fn story_night() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-02-09T23:00:00+08:00")
        .expect("a valid instant")
        .to_utc()
}

/// Runs the scripted scenario and prints it. The demo's clock starts on the
/// story's night and jumps ahead where the script says "ten minutes later".
pub async fn run(db: Option<PathBuf>) -> anyhow::Result<()> {
    let mut config = Config::from_override_str(DEMO_TOML, "config/demo.toml")?;
    let dir = std::env::temp_dir().join(format!("hotline-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db = db.unwrap_or_else(|| dir.join("demo.db"));
    let _ = std::fs::remove_file(&db);
    config.database.url = format!("sqlite://{}", db.display());
    let standin = StandIn::start(StandInOptions::default()).await?;
    config.telegram.api_url = standin.api_url().to_string();
    let bot = crate::telegram::bot(standin.token(), &config.telegram.api_url)?;
    let clock = TestClock::starting_at(story_night());
    let stage = Stage {
        config: config.clone(),
        clock: clock.clone(),
    };
    let running = app::start(config, bot, Arc::new(clock), StartOptions::default()).await?;
    println!(
        "hotline demo: the real bot, a local Telegram stand-in, database {}\n",
        db.display()
    );
    let result = match script(&standin, &running.store).await {
        Ok(()) => night_shift(&standin, &running, &stage).await,
        Err(error) => Err(error),
    };
    let store = running.store.clone();
    let reports = store.all_reports().await?;
    running.stop().await;
    result?;
    println!("── stored reports ──");
    for r in reports {
        let place = format!("{} {}", r.compound_text, r.address_detail);
        println!(
            "{}  {:<16} {:<20} {}  phone {}",
            r.ticket,
            r.category,
            place.trim(),
            r.status.code(),
            r.phone.unwrap_or_default()
        );
    }
    println!(
        "\nTelegram calls made by the bot: {}; 429s received: {}",
        standin.calls().len(),
        standin.count_429()
    );
    Ok(())
}

/// Several residents of two compounds report faults; one writes English and
/// mistypes her compound; one cancels midway; one checks /status.
async fn script(standin: &StandIn, store: &crate::store::Store) -> anyhow::Result<()> {
    let wang = Resident::new(standin, store, 1001, "王阿姨");
    let li = Resident::new(standin, store, 1002, "Li");
    let zhang = Resident::new(standin, store, 1003, "张先生");
    let zhao = Resident::new(standin, store, 1004, "赵师傅");

    println!("── 23:00, 阳光花园小区: 王阿姨's tap runs dry ──\n");
    turn(&wang, "/start", &wang.send("/start").await?);
    turn(
        &wang,
        "📝 报修 Report a fault",
        &wang.send(crate::texts::REPORT_BUTTON).await?,
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
    turn(&li, "Skip", &li.send(crate::texts::SKIP_BUTTON).await?);
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

/// What the night shift needs: the staff list and the clock to move.
struct Stage {
    config: Config,
    clock: TestClock,
}

impl Stage {
    fn on_call(
        &self,
        standin: &StandIn,
        store: &crate::store::Store,
        role: Role,
    ) -> anyhow::Result<Resident> {
        let oncall = self.config.oncall()?;
        let holder = oncall
            .holder(role, self.clock.now(), &[])
            .ok_or_else(|| anyhow::anyhow!("nobody on call"))?;
        let person = self
            .config
            .people
            .iter()
            .find(|p| p.id == holder.person_id)
            .expect("configured");
        Ok(Resident::new(
            standin,
            store,
            person.telegram_id,
            &person.name,
        ))
    }
}

/// Waits for the next message in a staff member's chat and prints it.
async fn page(standin: &StandIn, who: &Resident, since: usize) -> anyhow::Result<()> {
    let new = standin
        .wait_for_new(who.chat_id(), since, 1, std::time::Duration::from_secs(20))
        .await?;
    println!("📟 to {}:", who.name());
    turn_replies(&new);
    Ok(())
}

fn turn_replies(replies: &[Shown]) {
    for reply in replies {
        println!("🤖 {}", reply.text.replace('\n', "\n   "));
        let buttons: Vec<String> = reply
            .inline
            .iter()
            .flatten()
            .map(|b| format!("[{}]", b.text))
            .collect();
        if !buttons.is_empty() {
            println!("   {}", buttons.join(" "));
        }
    }
    println!();
}

/// 23:05: a pump fails; the duty manager is paged, then, unanswered, the director.
async fn night_shift(
    standin: &StandIn,
    running: &app::Running,
    stage: &Stage,
) -> anyhow::Result<()> {
    let store = &running.store;
    let duty = stage.on_call(standin, store, Role::DutyManager)?;
    let director = stage.on_call(standin, store, Role::Director)?;
    let property = Resident::new(standin, store, 1005, "物业老孙");

    println!("── 23:05, 阳光花园小区: the secondary-supply pump fails ──\n");
    turn(&duty, "/oncall", &duty.send("/oncall").await?);
    let since = duty.shown().len();
    property.send("/report").await?;
    property.press("二次供水设备").await?;
    property.send("阳光花园 2号楼").await?;
    property.send("二次供水水泵停了，整栋楼没水").await?;
    property.share_contact("13700137000").await?;
    turn(
        &property,
        "(reports the pump failure and confirms)",
        &property.press("确认提交").await?,
    );
    page(standin, &duty, since).await?;

    println!("── ten minutes pass; nobody has acknowledged ──\n");
    stage.clock.advance(chrono::Duration::minutes(11));
    let since = director.shown().len();
    running.wakes.engine.notify_one();
    page(standin, &director, since).await?;
    turn(
        &director,
        "[✅ 确认 Acknowledge]",
        &director.press("确认").await?,
    );
    let edited = standin.wait_for_shown(duty.chat_id(), std::time::Duration::from_secs(20), |s| {
        s.iter().any(|m| m.edited && m.text.contains("已于"))
    });
    let edited = edited.await?;
    println!("📟 {}'s alert, updated in place:", duty.name());
    turn_replies(&edited.into_iter().filter(|m| m.edited).collect::<Vec<_>>());

    println!("── a neighbour reports the same fault: it is already known ──\n");
    let neighbour = Resident::new(standin, store, 1006, "周奶奶");
    neighbour.send("/report").await?;
    turn(
        &neighbour,
        "/report → [二次供水设备]",
        &neighbour.press("二次供水设备").await?,
    );
    turn(
        &neighbour,
        "阳光花园 2号楼",
        &neighbour.send("阳光花园 2号楼").await?,
    );
    turn(
        &neighbour,
        "[✅ 加入并接收进展]",
        &neighbour.press("加入").await?,
    );

    println!("── 23:40: the crew posts an update; every subscriber hears it ──\n");
    turn(
        &duty,
        "/update 1 抢修队已到场，水泵配件明早 07:00 到货 eta 07:30",
        &duty
            .send("/update 1 抢修队已到场，水泵配件明早 07:00 到货 eta 07:30")
            .await?,
    );
    let since = property.shown().len();
    page(standin, &property, since.saturating_sub(1)).await?;
    turn(&duty, "/open", &duty.send("/open").await?);
    Ok(())
}
