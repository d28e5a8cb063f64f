//! The tests' one driver in the bot's own words: a resident filing a report
//! through the wizard ([`Wizard`]), reports stored directly as confirming
//! them would, waiting for what the bot sends on its own (alerts marked
//! sent, the gateway's requests), and plain HTTP. The stand-in's
//! `Resident` knows no text of the bot's, so the script lives here.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hotline::clock::Clock;
use hotline::domain::{Category, ChatId, CompoundRef, EscalationId, Lang, ReportId, Role};
use hotline::escalation::Escalator;
use hotline::store::NewReport;
use hotline::texts::timeline::timeline_step;
use hotline_standin::sms::{FakeGateway, FakeRequest};
use hotline_standin::{Resident, Shown, texts};

use crate::helpers::{TestApp, alerts, ticket_in};

/// How long any test waits for the bot before it fails.
pub const WAIT: Duration = Duration::from_secs(60);

/// The wizard, as a resident walks it: `/report`, a category button, the
/// place (and a building when the bot asks for one), the description, then
/// no phone.
pub trait Wizard {
    /// `/report`, the category's button and the place; returns what the bot
    /// answered the place with (the next step, a building asked for, or a
    /// fault already known there).
    fn start(&self, category: &str, place: &str) -> impl Future<Output = Vec<Shown>> + Send;

    /// Walks up to the summary, the phone skipped; returns the summary.
    fn to_confirm(
        &self,
        category: &str,
        place: &str,
        what: &str,
    ) -> impl Future<Output = Vec<Shown>> + Send;

    /// Files a whole report (confirmed on the summary); returns its ticket.
    fn report(
        &self,
        category: &str,
        place: &str,
        what: &str,
    ) -> impl Future<Output = String> + Send;
}

impl Wizard for Resident {
    async fn start(&self, category: &str, place: &str) -> Vec<Shown> {
        self.send("/report").await.unwrap();
        self.press(category).await.unwrap();
        self.send(place).await.unwrap()
    }

    async fn to_confirm(&self, category: &str, place: &str, what: &str) -> Vec<Shown> {
        let next = self.start(category, place).await;
        if next.last().unwrap().text.contains("楼号") {
            self.send("1号楼").await.unwrap();
        }
        self.send(what).await.unwrap();
        self.send("⏭ 跳过 Skip").await.unwrap()
    }

    async fn report(&self, category: &str, place: &str, what: &str) -> String {
        self.to_confirm(category, place, what).await;
        let done = self.press("确认提交").await.unwrap();
        assert!(done[0].text.contains("工单号"), "{:?}", texts(&done));
        ticket_in(&done[0].text)
    }
}

impl TestApp {
    /// A leak reported by resident `user` (urgent: the duty manager is paged
    /// at once); returns once the duty manager's alert is sent and marked.
    pub async fn leak_paged(&self, user: i64) -> String {
        let duty = self.on_call(Role::DutyManager);
        let ticket = self
            .resident(user, "居民")
            .report("漏水", "燕山小区 6号楼", "管道爆了")
            .await;
        self.standin
            .wait_for_shown(duty.telegram_id, WAIT, |s| alerts(s).len() == 1)
            .await
            .unwrap();
        self.alerts_marked().await;
        ticket
    }

    /// Waits until no outbox row is being sent (a sent alert's send time,
    /// which starts its wait for an acknowledgement, is stored).
    pub async fn alerts_marked(&self) {
        while self.store().outbox_counts().await.unwrap().sending > 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Ticks the engine until the fake gateway has `n` requests; returns them.
    pub async fn gateway_requests(&self, gateway: &FakeGateway, n: usize) -> Vec<FakeRequest> {
        let deadline = Instant::now() + WAIT;
        while gateway.requests().len() < n {
            assert!(
                Instant::now() < deadline,
                "gateway got {:?}",
                gateway.requests()
            );
            self.tick();
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        gateway.requests()
    }

    /// The `phoned` details on the first escalation's timeline, oldest
    /// first, as the desk shows them in English (`sms via gateway (…)`).
    pub async fn phoned(&self) -> Vec<String> {
        use hotline::domain::TimelineKind::Phoned;
        let no_names = |_: &str| None::<String>;
        let timeline = self.store().timeline(EscalationId(1)).await.unwrap();
        timeline
            .into_iter()
            .filter(|t| t.kind == Phoned)
            .map(|t| timeline_step(Lang::En, Phoned, "", &t.detail, &no_names))
            .map(|line| line.trim_start_matches("phoned ").to_owned())
            .collect()
    }

    /// Waits until [`TestApp::phoned`] has `n` details; returns them.
    pub async fn phoned_at_least(&self, n: usize) -> Vec<String> {
        let deadline = Instant::now() + WAIT;
        loop {
            let details = self.phoned().await;
            if details.len() >= n {
                return details;
            }
            let timeline = self.store().timeline(EscalationId(1)).await;
            assert!(Instant::now() < deadline, "{timeline:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A configured compound, as a resident's place matched to it.
    pub fn matched(&self, compound_id: &str) -> CompoundRef {
        let config = &self.config;
        let c = config.compounds.iter().find(|c| c.id == compound_id);
        let c = c.unwrap_or_else(|| panic!("no compound {compound_id}"));
        CompoundRef::Matched {
            id: c.id.clone(),
            name: c.name.clone(),
        }
    }

    /// Stores `reports` as confirming them would (escalation rules applied),
    /// all in ONE transaction; returns their ids. Arranges large queues
    /// quickly; conversations themselves go through the stand-in.
    pub async fn store_reports(&self, reports: &[NewReport]) -> Vec<ReportId> {
        let config = Arc::new(self.config.clone());
        let escalator = Escalator::new(config.clone(), Arc::new(config.oncall().unwrap()));
        let mut tx = self.store().begin().await.unwrap();
        let mut ids = Vec::with_capacity(reports.len());
        for report in reports {
            let now = self.clock.now();
            let zone = config.general.time_zone;
            let (id, _) = tx.create_report(report, now, zone, "JN").await.unwrap();
            escalator.on_report(&mut tx, id, report, now).await.unwrap();
            ids.push(id);
        }
        tx.commit().await.unwrap();
        ids
    }
}

/// A confirmed report from resident `user` as the wizard stores it: the
/// place matched, one building, no photo, no phone (change fields with
/// `NewReport { …, ..new_report(…) }`).
pub fn new_report(
    user: i64,
    category: Category,
    compound: CompoundRef,
    description: &str,
) -> NewReport {
    NewReport {
        resident_user_id: user,
        resident_chat_id: ChatId(user),
        resident_lang: Lang::Zh,
        category,
        compound,
        address_detail: "3号楼".into(),
        location: None,
        description: description.into(),
        description_truncated: false,
        photo_file_ids: vec![],
        phone: None,
        household: hotline::domain::Household::Chat(user),
    }
}

/// GETs `url`: the status and the body.
pub async fn get(url: &str) -> (u16, String) {
    let response = reqwest::get(url).await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// POSTs `fields` as a form to `url` with `headers`: the status and the body.
pub async fn post_form(
    url: &str,
    headers: &[(&str, &str)],
    fields: &[(&str, &str)],
) -> (u16, String) {
    let mut request = reqwest::Client::new().post(url).form(fields);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}
