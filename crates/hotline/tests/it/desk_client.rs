//! A hotline with the desk on, and a plain HTTP client that keeps the
//! session cookie like a browser would (for the desk's HTTP-level tests).

use hotline::config::Person;
use hotline::domain::Role;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, SET_COOKIE};

use crate::helpers::{STAFF, TestApp};

/// A port free right now, for the desk's listen address (sign-in links
/// carry it, so it must be known before the app starts).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The demo's staff and a desk on its own port; returns the desk's base URL.
pub async fn spawn_desk() -> (TestApp, String) {
    let port = free_port();
    let overrides = format!("{STAFF}\n[web]\nenabled = true\nlisten = \"127.0.0.1:{port}\"\n");
    let app = TestApp::spawn_with(&overrides).await;
    (app, format!("http://127.0.0.1:{port}"))
}

/// The duty manager on call now.
pub fn manager(app: &TestApp) -> Person {
    app.on_call(Role::DutyManager)
}

/// Sends `/desk` as `person` and returns the link the bot answered with.
pub async fn desk_link(app: &TestApp, person: &Person) -> String {
    let shown = app.staff(person).send("/desk").await.unwrap();
    let link = shown.iter().find_map(|m| link_in(&m.text));
    link.unwrap_or_else(|| panic!("no link in {shown:?}"))
}

pub fn link_in(text: &str) -> Option<String> {
    text.split_whitespace()
        .find(|w| w.starts_with("http"))
        .map(str::to_string)
}

/// A browser without JavaScript: follows no redirects, keeps the cookie.
pub struct DeskClient {
    http: reqwest::Client,
    pub base: String,
    pub cookie: Option<String>,
    /// The last `Set-Cookie` for the session, as sent.
    pub set_cookie: Option<String>,
}

impl DeskClient {
    pub fn new(base: &str) -> DeskClient {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        DeskClient {
            http,
            base: base.to_string(),
            cookie: None,
            set_cookie: None,
        }
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        }
    }

    fn with_cookie(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.cookie {
            Some(cookie) => request.header(COOKIE, cookie),
            None => request,
        }
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let request = self.with_cookie(self.http.get(self.url(path)));
        let response = request.send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    }

    /// Posts a form; keeps a session cookie it is given.
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
        let request = self.with_cookie(self.http.post(self.url(path)).form(form));
        let response = request.send().await.unwrap();
        let set = response
            .headers()
            .get(SET_COOKIE)
            .map(|v| v.to_str().unwrap().to_string());
        if let Some(set) = set.filter(|s| s.starts_with("desk_session=")) {
            let pair = set.split(';').next().unwrap().to_string();
            self.cookie = (pair != "desk_session=").then_some(pair);
            self.set_cookie = Some(set);
        }
        (response.status(), response.text().await.unwrap())
    }

    /// Opens a sign-in link and presses its button.
    pub async fn sign_in(&mut self, link: &str) -> StatusCode {
        let (status, page) = self.get(link).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let token = link.split("t=").nth(1).unwrap().to_string();
        self.post("/desk/signin", &[("t", &token)]).await.0
    }

    /// The CSRF token of the current session, read from the queue page.
    pub async fn csrf(&self) -> String {
        let (status, page) = self.get("/desk").await;
        assert_eq!(status, StatusCode::OK, "{page}");
        csrf_in(&page)
    }
}

pub fn csrf_in(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    page[at..at + 64].to_string()
}

/// Stores one confirmed report with `description` (as the wizard would,
/// escalation rules applied); returns its ticket.
pub async fn file_report(
    app: &TestApp,
    user: i64,
    category: hotline::domain::Category,
    compound_id: &str,
    description: &str,
) -> String {
    file_report_with_photos(app, user, category, compound_id, description, vec![]).await
}

/// [`file_report`] with photos (Telegram file ids).
pub async fn file_report_with_photos(
    app: &TestApp,
    user: i64,
    category: hotline::domain::Category,
    compound_id: &str,
    description: &str,
    photo_file_ids: Vec<String>,
) -> String {
    use hotline::clock::Clock;
    use hotline::domain::{CompoundRef, Lang};
    use hotline::escalation::Escalator;
    use hotline::store::NewReport;
    use std::sync::Arc;

    let config = Arc::new(app.config.clone());
    let escalator = Escalator::new(config.clone(), Arc::new(config.oncall().unwrap()));
    let compound = config
        .compounds
        .iter()
        .find(|c| c.id == compound_id)
        .unwrap();
    let report = NewReport {
        resident_user_id: user,
        resident_chat_id: user,
        resident_lang: Lang::Zh,
        category,
        compound: CompoundRef::Matched {
            id: compound.id.clone(),
            name: compound.name.clone(),
        },
        address_detail: "3号楼".into(),
        location: None,
        description: description.into(),
        description_truncated: false,
        photo_file_ids,
        phone: None,
        household: hotline::domain::Household::Chat(user),
    };
    let now = app.clock.now();
    let mut tx = app.store().begin().await.unwrap();
    let (id, _) = tx
        .create_report(&report, now, config.general.time_zone, "JN")
        .await
        .unwrap();
    escalator
        .on_report(&mut tx, id, &report, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let reports = app.reports().await;
    reports.iter().find(|r| r.id == id).unwrap().ticket.clone()
}
