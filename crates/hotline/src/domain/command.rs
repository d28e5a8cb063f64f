//! Slash commands as enums, one per audience, parsed once at the edge.
//!
//! teloxide offers a `BotCommands` derive for this, but only `crate::telegram`
//! may know teloxide (the project's rule), and our parsing needs are small: a
//! name, an optional `@bot` addressee, and the rest of the line as arguments
//! (each handler reads its own words). So the names live in one table per
//! enum here, and the command menu's descriptions in `crate::texts` (a test
//! checks that every menu entry parses).

use std::str::FromStr;

/// A command as typed: who it is for decides who may run it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Resident(ResidentCommand),
    /// Refused politely to anyone not configured as staff.
    Staff(StaffCommand),
    /// `/whoami`: anyone is told their Telegram id (staff onboarding).
    WhoAmI,
    /// Not ours: residents get the help text.
    Unknown(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResidentCommand {
    Start,
    Help,
    Report,
    Cancel,
    Lang,
    My,
    Status,
    /// Erase my name and phone numbers (issue 14).
    Forget,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffCommand {
    OnCall,
    Zone,
    Cover,
    Ack,
    Resolve,
    Progress,
    Escalate,
    Open,
    Ticket,
    Note,
    Assign,
    Away,
    Back,
    Update,
    Planned,
    Desk,
    /// 督办: tickets past a promised time.
    Overdue,
}

impl ResidentCommand {
    /// (name, command); aliases after the main name.
    const NAMES: [(&'static str, ResidentCommand); 9] = [
        ("start", ResidentCommand::Start),
        ("help", ResidentCommand::Help),
        ("report", ResidentCommand::Report),
        ("cancel", ResidentCommand::Cancel),
        ("lang", ResidentCommand::Lang),
        ("language", ResidentCommand::Lang),
        ("my", ResidentCommand::My),
        ("status", ResidentCommand::Status),
        ("forget", ResidentCommand::Forget),
    ];
}

impl StaffCommand {
    pub const NAMES: [(&'static str, StaffCommand); 17] = [
        ("oncall", StaffCommand::OnCall),
        ("zone", StaffCommand::Zone),
        ("cover", StaffCommand::Cover),
        ("ack", StaffCommand::Ack),
        ("resolve", StaffCommand::Resolve),
        ("progress", StaffCommand::Progress),
        ("escalate", StaffCommand::Escalate),
        ("open", StaffCommand::Open),
        ("ticket", StaffCommand::Ticket),
        ("note", StaffCommand::Note),
        ("assign", StaffCommand::Assign),
        ("away", StaffCommand::Away),
        ("back", StaffCommand::Back),
        ("update", StaffCommand::Update),
        ("planned", StaffCommand::Planned),
        ("desk", StaffCommand::Desk),
        ("overdue", StaffCommand::Overdue),
    ];

    pub fn name(self) -> &'static str {
        let found = StaffCommand::NAMES.iter().find(|(_, c)| *c == self);
        found.map_or("?", |(name, _)| name)
    }
}

impl FromStr for ResidentCommand {
    type Err = ();

    fn from_str(name: &str) -> Result<Self, ()> {
        let name = name.to_ascii_lowercase();
        let found = ResidentCommand::NAMES.iter().find(|(n, _)| *n == name);
        found.map(|(_, c)| *c).ok_or(())
    }
}

impl FromStr for StaffCommand {
    type Err = ();

    fn from_str(name: &str) -> Result<Self, ()> {
        let name = name.to_ascii_lowercase();
        let found = StaffCommand::NAMES.iter().find(|(n, _)| *n == name);
        found.map(|(_, c)| *c).ok_or(())
    }
}

impl Command {
    /// A command name without its slash or addressee.
    pub fn parse(name: &str) -> Command {
        if let Ok(c) = name.parse() {
            return Command::Resident(c);
        }
        if let Ok(c) = name.parse() {
            return Command::Staff(c);
        }
        if name.eq_ignore_ascii_case("whoami") {
            return Command::WhoAmI;
        }
        Command::Unknown(name.to_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;

    #[test]
    fn names_parse_to_their_audience() {
        assert_eq!(
            Command::parse("Report"),
            Command::Resident(ResidentCommand::Report)
        );
        assert_eq!(
            Command::parse("language"),
            Command::Resident(ResidentCommand::Lang)
        );
        assert_eq!(
            Command::parse("oncall"),
            Command::Staff(StaffCommand::OnCall)
        );
        assert_eq!(Command::parse("WhoAmI"), Command::WhoAmI);
        assert_eq!(Command::parse("dance"), Command::Unknown("dance".into()));
    }

    #[test]
    fn every_staff_name_round_trips() {
        for (name, command) in StaffCommand::NAMES {
            assert_eq!(command.name(), name);
            assert_eq!(Command::parse(name), Command::Staff(command));
        }
    }

    #[test]
    fn every_menu_entry_is_a_resident_command() {
        for lang in [Lang::Zh, Lang::En] {
            for (name, _) in crate::texts::commands(lang) {
                assert!(name.parse::<ResidentCommand>().is_ok(), "{name}");
            }
        }
    }
}
