//! The staff's part of the demo: a pump fails at night, the duty manager is
//! paged, then, unanswered, the director.

use super::{Resident, turn};
use hotline::app;
use hotline::clock::{Clock, TestClock};
use hotline::config::Config;
use hotline::domain::Role;
use hotline_standin::{Shown, StandIn};

/// What the night shift needs: the staff list and the clock to move.
pub(super) struct Stage {
    pub(super) config: Config,
    pub(super) clock: TestClock,
}

impl Stage {
    fn on_call(
        &self,
        standin: &StandIn,
        store: &hotline::store::Store,
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
        Ok(crate::settle::resident(
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
pub(super) async fn night_shift(
    standin: &StandIn,
    running: &app::Running,
    stage: &Stage,
) -> anyhow::Result<()> {
    let store = &running.store;
    let duty = stage.on_call(standin, store, Role::DutyManager)?;
    let director = stage.on_call(standin, store, Role::Director)?;
    let property = crate::settle::resident(standin, store, 1005, "物业老孙");

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
    let neighbour = crate::settle::resident(standin, store, 1006, "周奶奶");
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
    // Counted before the update is sent, so the page below waits for the
    // broadcast itself rather than showing whatever the chat held last.
    let since = property.shown().len();
    turn(
        &duty,
        "/update 1 抢修队已到场，水泵配件明早 07:00 到货 eta 07:30",
        &duty
            .send("/update 1 抢修队已到场，水泵配件明早 07:00 到货 eta 07:30")
            .await?,
    );
    page(standin, &property, since).await?;
    turn(&duty, "/open", &duty.send("/open").await?);
    Ok(())
}
