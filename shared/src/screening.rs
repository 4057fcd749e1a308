//! 排查: a grid worker's screening rounds (矛盾纠纷排查). On a round they visit households and
//! note every dispute and risk found, each with a risk grade (红/黄/绿) and what became of
//! it: settled there (已化解), watched (持续关注), or reported up (上报) — which makes it a
//! case of channel 网格上报 in the township centre's queue, as a grid report does.
//! The township (and county) sees its grids' open risks.

use crate::validate::check_length;
use crate::{CaseType, ErrorCode, FieldError};
use serde::{Deserialize, Serialize};

/// What was found: a dispute between people, or a risk (a hazard, a tension) to watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// 矛盾纠纷
    Dispute,
    /// 风险隐患
    Hazard,
}

impl FindingKind {
    pub const ALL: [FindingKind; 2] = [FindingKind::Dispute, FindingKind::Hazard];

    pub fn code(self) -> &'static str {
        match self {
            FindingKind::Dispute => "dispute",
            FindingKind::Hazard => "hazard",
        }
    }

    pub fn from_code(code: &str) -> Option<FindingKind> {
        FindingKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            FindingKind::Dispute => "矛盾纠纷",
            FindingKind::Hazard => "风险隐患",
        }
    }

    /// The type of the case it becomes when reported up: a dispute stays one; a risk
    /// asks the centre to act on it (求助).
    pub fn case_type(self) -> CaseType {
        match self {
            FindingKind::Dispute => CaseType::Dispute,
            FindingKind::Hazard => CaseType::Help,
        }
    }
}

/// The risk grade, gravest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// 红: may turn into a crisis (violence, a group, a life) — act now.
    Red,
    /// 黄: may grow — watch closely.
    Yellow,
    /// 绿: small and under control.
    Green,
}

impl RiskLevel {
    pub const ALL: [RiskLevel; 3] = [RiskLevel::Red, RiskLevel::Yellow, RiskLevel::Green];

    pub fn code(self) -> &'static str {
        match self {
            RiskLevel::Red => "red",
            RiskLevel::Yellow => "yellow",
            RiskLevel::Green => "green",
        }
    }

    pub fn from_code(code: &str) -> Option<RiskLevel> {
        RiskLevel::ALL.into_iter().find(|l| l.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            RiskLevel::Red => "红",
            RiskLevel::Yellow => "黄",
            RiskLevel::Green => "绿",
        }
    }
}

/// What became of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskState {
    /// 已化解: settled on the round.
    Settled,
    /// 持续关注: open, the grid worker keeps an eye on it.
    Watched,
    /// 已上报: a case in the township centre's queue.
    Reported,
}

impl RiskState {
    pub const ALL: [RiskState; 3] = [RiskState::Settled, RiskState::Watched, RiskState::Reported];

    pub fn code(self) -> &'static str {
        match self {
            RiskState::Settled => "settled",
            RiskState::Watched => "watched",
            RiskState::Reported => "reported",
        }
    }

    pub fn from_code(code: &str) -> Option<RiskState> {
        RiskState::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            RiskState::Settled => "已化解",
            RiskState::Watched => "持续关注",
            RiskState::Reported => "已上报",
        }
    }

    /// Whether a finding in this state may still change: only a watched one moves on
    /// (settled, reported up, or graded again while watched).
    pub fn may_change(self) -> bool {
        self == RiskState::Watched
    }
}

/// One finding of a round, as the phone sends it. The grade travels as its code and is
/// checked here, so that a grade that does not exist is a field error in zh-CN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindingInput {
    pub kind: FindingKind,
    /// `red`, `yellow` or `green`.
    pub level: String,
    pub description: String,
    /// The people involved (names, how to reach them), free text.
    #[serde(default)]
    pub people: String,
    pub state: RiskState,
}

/// `POST /api/v1/console/screenings` (grid workers, with an `Idempotency-Key`): one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScreeningRequest {
    /// The grid screened; the worker's own when absent (it must be theirs).
    #[serde(default)]
    pub grid_id: Option<i64>,
    /// Households visited on the round.
    pub households: u32,
    /// Where the round went, anything worth noting.
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub findings: Vec<FindingInput>,
}

/// `POST /api/v1/console/risks/{id}` (the grid's worker): what became of a watched risk —
/// settled, reported up, or still watched with a new grade. Sending the state it is
/// already in changes nothing (a retry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateRiskRequest {
    pub state: RiskState,
    /// A new grade (`red`, `yellow`, `green`), or the same.
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// A finding as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskView {
    pub id: i64,
    pub round_id: i64,
    pub grid_id: i64,
    pub grid_name: String,
    pub village: String,
    pub kind: FindingKind,
    pub level: RiskLevel,
    pub state: RiskState,
    pub description: String,
    pub people: String,
    /// The day of the round that found it.
    pub found_on: String,
    /// When it last changed (`YYYY-MM-DD HH:MM`).
    pub updated_at: String,
    /// Reported up: the case it became.
    pub case_id: Option<i64>,
    pub tracking_no: Option<String>,
}

/// A round as recorded: who, when, where, and what was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScreeningRound {
    pub id: i64,
    pub grid_id: i64,
    pub grid_name: String,
    pub round_on: String,
    pub households: u32,
    pub note: String,
    /// The grid worker.
    pub by: String,
    pub at: String,
    pub risks: Vec<RiskView>,
}

/// Households on one round, at most.
pub const MAX_HOUSEHOLDS: u32 = 1000;
/// Findings on one round, at most.
pub const MAX_FINDINGS: u32 = 20;
/// A finding's description, in characters.
pub const FINDING_CHARS: (u32, u32) = (4, 500);
/// The people involved, the round's note, an update's note: at most this many characters.
pub const NOTE_MAX: u32 = 500;

/// A grade from its code, or the field error that names the three there are.
pub fn level_of(field: &str, code: &str) -> Result<RiskLevel, FieldError> {
    RiskLevel::from_code(code.trim()).ok_or_else(|| FieldError::new(field, ErrorCode::RiskLevelUnknown))
}

fn optional_text(field: &str, text: &str) -> Option<FieldError> {
    check_length(field, text, (0, NOTE_MAX))
}

/// Every problem of a round (fields named as in the body: `findings[0].level`).
pub fn validate_round(request: &ScreeningRequest) -> Vec<FieldError> {
    let mut problems = Vec::new();
    let out_of_range = |field: &str, max: u32| FieldError {
        min: Some(0),
        max: Some(max),
        ..FieldError::new(field, ErrorCode::OutOfRange)
    };
    if request.households > MAX_HOUSEHOLDS {
        problems.push(out_of_range("households", MAX_HOUSEHOLDS));
    }
    if request.findings.len() > MAX_FINDINGS as usize {
        problems.push(out_of_range("findings", MAX_FINDINGS));
    }
    problems.extend(optional_text("note", &request.note));
    for (i, finding) in request.findings.iter().enumerate() {
        let field = |name: &str| format!("findings[{i}].{name}");
        if let Err(problem) = level_of(&field("level"), &finding.level) {
            problems.push(problem);
        }
        problems.extend(check_length(&field("description"), &finding.description, FINDING_CHARS));
        problems.extend(optional_text(&field("people"), &finding.people));
    }
    problems
}

/// Every problem of an update.
pub fn validate_update(request: &UpdateRiskRequest) -> Vec<FieldError> {
    let mut problems: Vec<FieldError> = optional_text("note", &request.note).into_iter().collect();
    if let Some(level) = &request.level
        && let Err(problem) = level_of("level", level)
    {
        problems.push(problem);
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(level: &str) -> FindingInput {
        FindingInput {
            kind: FindingKind::Dispute,
            level: level.into(),
            description: "两户宅基地界址争议".into(),
            people: String::new(),
            state: RiskState::Watched,
        }
    }

    #[test]
    fn codes_round_trip_through_serde() {
        for level in RiskLevel::ALL {
            assert_eq!(serde_json::to_string(&level).unwrap(), format!("\"{}\"", level.code()));
            assert_eq!(RiskLevel::from_code(level.code()), Some(level));
        }
        for state in RiskState::ALL {
            assert_eq!(serde_json::to_string(&state).unwrap(), format!("\"{}\"", state.code()));
        }
        for kind in FindingKind::ALL {
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.code()));
        }
    }

    #[test]
    fn a_grade_that_does_not_exist_is_named_with_its_finding() {
        let request = ScreeningRequest {
            households: 12,
            findings: vec![finding("red"), finding("orange")],
            ..Default::default()
        };
        let problems = validate_round(&request);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, "findings[1].level");
        assert_eq!(problems[0].code, ErrorCode::RiskLevelUnknown);
        assert!(problems[0].message(crate::Lang::Zh).contains("红"));
    }

    #[test]
    fn households_and_findings_have_limits() {
        let request = ScreeningRequest {
            households: MAX_HOUSEHOLDS + 1,
            findings: vec![finding("green"); MAX_FINDINGS as usize + 1],
            ..Default::default()
        };
        let fields: Vec<String> = validate_round(&request).into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["households", "findings"]);
    }

    #[test]
    fn only_a_watched_risk_moves_on() {
        assert!(RiskState::Watched.may_change());
        assert!(!RiskState::Settled.may_change());
        assert!(!RiskState::Reported.may_change());
    }
}
