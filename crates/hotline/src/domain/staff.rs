use std::fmt;

use serde::{Deserialize, Serialize};

/// On-call roles, from the first desk to the last step of every escalation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The hotline operators' desk (daytime queue).
    Operator,
    /// 值班干部: takes turns being on call, nights and weekends included.
    DutyManager,
    /// 客服中心主任: the last step of every escalation.
    Director,
    /// 督办员 (the supervision office, 督办科): told once a minute at most of
    /// tickets newly past a promised time. Never paged by an escalation.
    Supervisor,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Operator,
        Role::DutyManager,
        Role::Director,
        Role::Supervisor,
    ];

    /// The roles an escalation may page (its steps, reasons and zones).
    pub const PAGED: [Role; 3] = [Role::Operator, Role::DutyManager, Role::Director];

    pub fn code(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::DutyManager => "duty_manager",
            Role::Director => "director",
            Role::Supervisor => "supervisor",
        }
    }

    /// Whether an escalation may page this role (see [`Role::PAGED`]).
    pub fn is_paged(self) -> bool {
        Role::PAGED.contains(&self)
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Kinds of priority zone (DOMAIN.md rule 2): a single report from one escalates at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneKind {
    /// 定点医院
    Hospital,
    /// 指挥点
    CommandPost,
    /// 集中隔离点
    Quarantine,
    /// 已确诊病例小区: staff may not enter; handled by phone.
    ConfirmedCase,
}

impl ZoneKind {
    pub const ALL: [ZoneKind; 4] = [
        ZoneKind::Hospital,
        ZoneKind::CommandPost,
        ZoneKind::Quarantine,
        ZoneKind::ConfirmedCase,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ZoneKind::Hospital => "hospital",
            ZoneKind::CommandPost => "command_post",
            ZoneKind::Quarantine => "quarantine",
            ZoneKind::ConfirmedCase => "confirmed_case",
        }
    }

    pub fn from_code(code: &str) -> Option<ZoneKind> {
        ZoneKind::ALL.into_iter().find(|k| k.code() == code)
    }
}
