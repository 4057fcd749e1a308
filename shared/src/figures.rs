//! Leaders' figures (issue 13): each figure's definition — name, numerator, denominator
//! and what counts — written once here. The server computes them from the cases and
//! their append-only events (`backend/src/db/figures.rs`, one SQL predicate per part,
//! which the queue reuses to list the cases behind a number); the console shows the
//! definition as the figure's tooltip.

use crate::booking::LegalService;
use crate::calendar;
use crate::unit::UnitRef;
use crate::workflow::Channel;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};

/// A figure leaders are judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FigureId {
    IntakeVisit,
    IntakePhone,
    IntakeLetter,
    IntakeOnline,
    IntakeGrid,
    /// 按期受理率
    AcceptanceOnTime,
    /// 办结率
    Completion,
    /// 按期办结率
    OnTimeCompletion,
    /// 满意率
    Satisfaction,
    /// 参评率
    RatingParticipation,
    /// 重复信访率
    Repeat,
    /// 就地化解
    ResolvedOnSpot,
    /// 平均办理天数
    HandlingDaysAverage,
    /// 办理天数（第90百分位）
    HandlingDaysP90,
    /// 调解成功率
    MediationSuccess,
    /// 移送法院（调解不成功，引导诉讼）
    CourtReferrals,
    /// 司法确认
    JudicialConfirmations,
    /// 初信初访占比
    FirstRequest,
    /// 集体访（5人以上）
    GroupVisits,
    /// 交办部门的诉求
    DeptDispatched,
    /// 部门已签收
    DeptTaken,
    /// 部门提出异议
    DeptObjected,
    /// 部门平均答复天数
    DeptResponseDays,
    /// 部门现超期
    DeptOverdueNow,
    /// 预约·法律咨询
    BookingsConsultation,
    /// 预约·代写法律文书
    BookingsDrafting,
    /// 预约·法律援助申请
    BookingsLegalAid,
    /// 预约·人民调解
    BookingsMediation,
    /// 预约爽约
    BookingNoShows,
    /// 法律援助7日内决定率
    LegalAidDecidedOnTime,
    /// 法律援助3日内指派率
    LegalAidLawyerOnTime,
}

/// How a figure's value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureKind {
    Count,
    /// numerator ÷ denominator.
    Rate,
    /// Calendar days over the cases counted (average, or the 90th percentile).
    Days,
}

/// Where a figure stands on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FigureSection {
    Intake,
    Handling,
    Rating,
    Mediation,
    Repeats,
    Departments,
    LegalAid,
    Grids,
}

impl FigureSection {
    pub const ALL: [FigureSection; 8] = [
        FigureSection::Intake,
        FigureSection::Handling,
        FigureSection::Rating,
        FigureSection::Mediation,
        FigureSection::Repeats,
        FigureSection::Departments,
        FigureSection::LegalAid,
        FigureSection::Grids,
    ];

    pub fn label(self) -> &'static str {
        match self {
            FigureSection::Intake => "受理",
            FigureSection::Handling => "办理",
            FigureSection::Rating => "评价",
            FigureSection::Mediation => "矛盾纠纷调解",
            FigureSection::Repeats => "重复访与集体访",
            FigureSection::Departments => "职能部门",
            FigureSection::LegalAid => "法律援助与预约",
            FigureSection::Grids => "网格",
        }
    }
}

/// Which side of a figure: the cases counted above the line or below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FigurePart {
    #[default]
    Numerator,
    Denominator,
}

/// A figure's definition, as the tooltip shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Definition {
    pub name: &'static str,
    pub numerator: &'static str,
    /// None for a plain count.
    pub denominator: Option<&'static str>,
    /// What counts, and when.
    pub counts: &'static str,
}

impl FigureId {
    pub const ALL: [FigureId; 31] = [
        FigureId::IntakeVisit,
        FigureId::IntakePhone,
        FigureId::IntakeLetter,
        FigureId::IntakeOnline,
        FigureId::IntakeGrid,
        FigureId::AcceptanceOnTime,
        FigureId::Completion,
        FigureId::OnTimeCompletion,
        FigureId::Satisfaction,
        FigureId::RatingParticipation,
        FigureId::Repeat,
        FigureId::ResolvedOnSpot,
        FigureId::HandlingDaysAverage,
        FigureId::HandlingDaysP90,
        FigureId::MediationSuccess,
        FigureId::CourtReferrals,
        FigureId::JudicialConfirmations,
        FigureId::FirstRequest,
        FigureId::GroupVisits,
        FigureId::DeptDispatched,
        FigureId::DeptTaken,
        FigureId::DeptObjected,
        FigureId::DeptResponseDays,
        FigureId::DeptOverdueNow,
        FigureId::BookingsConsultation,
        FigureId::BookingsDrafting,
        FigureId::BookingsLegalAid,
        FigureId::BookingsMediation,
        FigureId::BookingNoShows,
        FigureId::LegalAidDecidedOnTime,
        FigureId::LegalAidLawyerOnTime,
    ];

    /// The stable code used on the wire and in links.
    pub fn code(self) -> &'static str {
        match self {
            FigureId::IntakeVisit => "intake_visit",
            FigureId::IntakePhone => "intake_phone",
            FigureId::IntakeLetter => "intake_letter",
            FigureId::IntakeOnline => "intake_online",
            FigureId::IntakeGrid => "intake_grid",
            FigureId::AcceptanceOnTime => "acceptance_on_time",
            FigureId::Completion => "completion",
            FigureId::OnTimeCompletion => "on_time_completion",
            FigureId::Satisfaction => "satisfaction",
            FigureId::RatingParticipation => "rating_participation",
            FigureId::Repeat => "repeat",
            FigureId::ResolvedOnSpot => "resolved_on_spot",
            FigureId::HandlingDaysAverage => "handling_days_average",
            FigureId::HandlingDaysP90 => "handling_days_p90",
            FigureId::MediationSuccess => "mediation_success",
            FigureId::CourtReferrals => "court_referrals",
            FigureId::JudicialConfirmations => "judicial_confirmations",
            FigureId::FirstRequest => "first_request",
            FigureId::GroupVisits => "group_visits",
            FigureId::DeptDispatched => "dept_dispatched",
            FigureId::DeptTaken => "dept_taken",
            FigureId::DeptObjected => "dept_objected",
            FigureId::DeptResponseDays => "dept_response_days",
            FigureId::DeptOverdueNow => "dept_overdue_now",
            FigureId::BookingsConsultation => "bookings_consultation",
            FigureId::BookingsDrafting => "bookings_drafting",
            FigureId::BookingsLegalAid => "bookings_legal_aid",
            FigureId::BookingsMediation => "bookings_mediation",
            FigureId::BookingNoShows => "booking_no_shows",
            FigureId::LegalAidDecidedOnTime => "legal_aid_decided_on_time",
            FigureId::LegalAidLawyerOnTime => "legal_aid_lawyer_on_time",
        }
    }

    pub fn from_code(code: &str) -> Option<FigureId> {
        FigureId::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The channel an intake figure counts.
    pub fn intake_channel(self) -> Option<Channel> {
        Some(match self {
            FigureId::IntakeVisit => Channel::Visit,
            FigureId::IntakePhone => Channel::Phone,
            FigureId::IntakeLetter => Channel::Letter,
            FigureId::IntakeOnline => Channel::Online,
            FigureId::IntakeGrid => Channel::Grid,
            _ => return None,
        })
    }

    /// Whether it is a rate (numerator ÷ denominator) rather than a count.
    pub fn is_rate(self) -> bool {
        self.kind() == FigureKind::Rate
    }

    /// A count, a rate or days.
    pub fn kind(self) -> FigureKind {
        match self {
            FigureId::HandlingDaysAverage | FigureId::HandlingDaysP90 | FigureId::DeptResponseDays => FigureKind::Days,
            _ if self.definition().denominator.is_some() => FigureKind::Rate,
            _ => FigureKind::Count,
        }
    }

    /// The service a bookings figure counts.
    pub fn booking_service(self) -> Option<LegalService> {
        Some(match self {
            FigureId::BookingsConsultation => LegalService::Consultation,
            FigureId::BookingsDrafting => LegalService::DocumentDrafting,
            FigureId::BookingsLegalAid => LegalService::LegalAidApplication,
            FigureId::BookingsMediation => LegalService::Mediation,
            _ => return None,
        })
    }

    /// Whether the figure counts cases (which the queue lists) rather than bookings or
    /// legal-aid applications (which have no list to open yet).
    pub fn opens_cases(self) -> bool {
        self.section() != FigureSection::LegalAid
    }

    /// The page's section the figure belongs to.
    pub fn section(self) -> FigureSection {
        use FigureId::*;
        match self {
            IntakeVisit | IntakePhone | IntakeLetter | IntakeOnline | IntakeGrid | AcceptanceOnTime => {
                FigureSection::Intake
            }
            Completion | OnTimeCompletion | HandlingDaysAverage | HandlingDaysP90 => FigureSection::Handling,
            Satisfaction | RatingParticipation => FigureSection::Rating,
            MediationSuccess | CourtReferrals | JudicialConfirmations => FigureSection::Mediation,
            Repeat | FirstRequest | GroupVisits => FigureSection::Repeats,
            DeptDispatched | DeptTaken | DeptObjected | DeptResponseDays | DeptOverdueNow => FigureSection::Departments,
            BookingsConsultation
            | BookingsDrafting
            | BookingsLegalAid
            | BookingsMediation
            | BookingNoShows
            | LegalAidDecidedOnTime
            | LegalAidLawyerOnTime => FigureSection::LegalAid,
            ResolvedOnSpot => FigureSection::Grids,
        }
    }

    /// The definition, in zh-CN (the console's language for figures).
    pub fn definition(self) -> Definition {
        const RECEIVED: &str = "本期登记的诉求（按提交或代办登记时间）";
        const DUE: &str = "办理期限在本期内的诉求（延期仅在原期限内申请的才计入期限）";
        const REPLIED: &str = "本期首次作出答复（含就地化解）的诉求";
        let booking = |name, numerator| Definition {
            name,
            numerator,
            denominator: None,
            counts: "按预约日计入所在期间，已取消的不计；按预约地点所在乡镇计入乡镇，县中心的预约只计入全县。",
        };
        let intake = |name, numerator| Definition {
            name,
            numerator,
            denominator: None,
            counts: "按提交或代办登记时间计入所在期间；按诉求发生地计入乡镇、村。",
        };
        match self {
            FigureId::IntakeVisit => intake("受理量·来访", "本期登记的来访诉求"),
            FigureId::IntakePhone => intake("受理量·来电", "本期登记的来电诉求"),
            FigureId::IntakeLetter => intake("受理量·来信", "本期登记的来信诉求"),
            FigureId::IntakeOnline => intake("受理量·网上", "本期提交的网上诉求"),
            FigureId::IntakeGrid => intake("受理量·网格上报", "本期网格员上报的诉求"),
            FigureId::AcceptanceOnTime => Definition {
                name: "按期受理率",
                numerator: "其中在受理期限（登记之日起15日）内作出受理或不予受理书面答复的",
                denominator: Some(RECEIVED),
                counts: "受理、不予受理均为书面告知；期限最后一日遇节假日顺延。",
            },
            FigureId::Completion => Definition {
                name: "办结率",
                numerator: "其中在本期结束前已答复或就地化解的",
                denominator: Some(DUE),
                counts: "答复（含就地化解）即为办结；跨期诉求按办理期限所在期间计。",
            },
            FigureId::OnTimeCompletion => Definition {
                name: "按期办结率",
                numerator: "其中在办理期限内答复或就地化解的",
                denominator: Some(DUE),
                counts: "办理期限为受理之日起60日；延期须在原期限届满前经批准，期限届满后的延期不计入，超期诉求不因延期变为按期。",
            },
            FigureId::Satisfaction => Definition {
                name: "满意率",
                numerator: "其中评价为满意或基本满意的",
                denominator: Some("本期首次作出答复且群众已评价的诉求"),
                counts: "以首次答复时间定期间，一件诉求只计入一个期间；评价以群众的最终评价为准。",
            },
            FigureId::RatingParticipation => Definition {
                name: "参评率",
                numerator: "其中群众已评价的",
                denominator: Some(REPLIED),
                counts: "以首次答复时间定期间，一件诉求只计入一个期间；未评价的计入分母。",
            },
            FigureId::Repeat => Definition {
                name: "重复信访率",
                numerator: "其中关联为重复信访（同一人就同一事项再次提出）的",
                denominator: Some(RECEIVED),
                counts: "以登记时关联的前案为准。",
            },
            FigureId::ResolvedOnSpot => Definition {
                name: "就地化解",
                numerator: "本期在网格或村（社区）就地化解的矛盾纠纷",
                denominator: None,
                counts: "按首次就地化解的时间计入所在期间。",
            },
            FigureId::HandlingDaysAverage => Definition {
                name: "平均办理天数",
                numerator: "本期办结（首次答复或就地化解）的诉求，自登记之日至办结之日的自然日数的平均值",
                denominator: None,
                counts: "按首次办结的时间计入所在期间；复查、复核不改变办结日；登记当日办结计0日。",
            },
            FigureId::HandlingDaysP90 => Definition {
                name: "办理天数（90%）",
                numerator: "本期办结的诉求中，90%在此自然日数之内办结（最近秩法）",
                denominator: None,
                counts: "口径同平均办理天数。",
            },
            FigureId::MediationSuccess => Definition {
                name: "调解成功率",
                numerator: "其中调解成功（达成调解协议，含就地化解）的",
                denominator: Some("本期记录调解结果（含就地化解）的矛盾纠纷"),
                counts: "按最后一次记录调解结果的时间计入所在期间，以最终结果为准。",
            },
            FigureId::CourtReferrals => Definition {
                name: "移送法院",
                numerator: "本期调解不成功并引导至法院诉讼的矛盾纠纷",
                denominator: None,
                counts: "按最后一次记录调解结果的时间计入所在期间。",
            },
            FigureId::JudicialConfirmations => Definition {
                name: "司法确认",
                numerator: "调解协议经法院司法确认、确认日期在本期内的矛盾纠纷",
                denominator: None,
                counts: "按记录的司法确认日期计入所在期间。",
            },
            FigureId::FirstRequest => Definition {
                name: "初信初访占比",
                numerator: "其中未关联前案（该人就该事项首次提出）的",
                denominator: Some(RECEIVED),
                counts: "以登记时是否关联为重复信访为准；与重复信访率之和为100%。",
            },
            FigureId::GroupVisits => Definition {
                name: "集体访",
                numerator: "本期登记的、反映人数5人及以上的诉求",
                denominator: None,
                counts: "按登记时填写的人数计；按登记时间计入所在期间。",
            },
            FigureId::DeptDispatched => Definition {
                name: "交办部门",
                numerator: "本期交办给职能部门的诉求",
                denominator: None,
                counts: "按交办时间计入所在期间；一件诉求交办多个部门计1件。",
            },
            FigureId::DeptTaken => Definition {
                name: "部门签收",
                numerator: "本期交办的诉求中，已有部门签收的",
                denominator: None,
                counts: "按交办时间计入所在期间；签收可在期后。",
            },
            FigureId::DeptObjected => Definition {
                name: "部门异议",
                numerator: "本期交办的诉求中，有部门提出异议（不属本部门职责）的",
                denominator: None,
                counts: "按交办时间计入所在期间；异议是否被中心同意不影响计数。",
            },
            FigureId::DeptResponseDays => Definition {
                name: "部门平均答复天数",
                numerator: "本期部门首次答复的诉求，自首次交办之日至部门首次答复之日的自然日数的平均值",
                denominator: None,
                counts: "按部门首次答复的时间计入所在期间。",
            },
            FigureId::DeptOverdueNow => Definition {
                name: "部门现超期",
                numerator: "现在部门尚未答复且已过部门办理期限的诉求",
                denominator: None,
                counts: "以今天为准，与所选期间无关。",
            },
            FigureId::BookingsConsultation => booking("预约·法律咨询", "本期预约法律咨询的人次"),
            FigureId::BookingsDrafting => booking("预约·代写法律文书", "本期预约代写法律文书的人次"),
            FigureId::BookingsLegalAid => booking("预约·法律援助申请", "本期预约法律援助申请的人次"),
            FigureId::BookingsMediation => booking("预约·人民调解", "本期预约人民调解的人次"),
            FigureId::BookingNoShows => Definition {
                name: "预约爽约",
                numerator: "本期预约日中登记为未到（爽约）的人次",
                denominator: None,
                counts: "按预约日计入所在期间；按预约地点所在乡镇计入乡镇，县中心的预约只计入全县。",
            },
            FigureId::LegalAidDecidedOnTime => Definition {
                name: "法律援助按期决定率",
                numerator: "其中在决定期限（收到申请之日起7日，补正材料期间不计）内作出决定的",
                denominator: Some("本期作出给予或不予法律援助决定的申请"),
                counts: "按决定日期计入所在期间。",
            },
            FigureId::LegalAidLawyerOnTime => Definition {
                name: "法律援助按期指派率",
                numerator: "其中在指派期限（决定给予之日起3日）内指派律师的",
                denominator: Some("本期指派律师的申请"),
                counts: "按指派时间计入所在期间。",
            },
        }
    }

    /// The whole definition in one line, for a tooltip.
    pub fn tooltip(self) -> String {
        let d = self.definition();
        match d.denominator {
            Some(denominator) => format!("{}＝{}÷{}。{}", d.name, d.numerator, denominator, d.counts),
            None => format!("{}：{}。{}", d.name, d.numerator, d.counts),
        }
    }
}

/// A period of whole days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

/// The longest period one request may ask for (a little over two years).
pub const MAX_PERIOD_DAYS: i64 = 800;

impl Period {
    /// From two `YYYY-MM-DD` texts; None when either is not a date, `to` is before
    /// `from`, or the period is longer than `MAX_PERIOD_DAYS`.
    pub fn parse(from: &str, to: &str) -> Option<Period> {
        let (from, to) = (calendar::parse(from)?, calendar::parse(to)?);
        let days = calendar::days_between(from, to);
        (0..MAX_PERIOD_DAYS).contains(&days).then_some(Period { from, to })
    }

    pub fn days(self) -> i64 {
        calendar::days_between(self.from, self.to) + 1
    }

    /// The period of the same length just before. A whole calendar month (quarter,
    /// year) is followed by the month (quarter, year) before, whatever its length.
    pub fn previous(self) -> Period {
        if let Some(months) = self.whole_months() {
            let from = add_months(self.from, -months);
            return Period { from, to: self.from.previous_day().unwrap_or(self.from) };
        }
        let to = self.from.previous_day().unwrap_or(self.from);
        Period { from: to.saturating_sub(Duration::days(self.days() - 1)), to }
    }

    /// The same days a year earlier (29 February becomes the 28th).
    pub fn last_year(self) -> Period {
        let to = if self.whole_months().is_some() {
            last_day_of_month(add_months(self.to, -12))
        } else {
            add_months(self.to, -12)
        };
        Period { from: add_months(self.from, -12), to }
    }

    /// How many whole calendar months the period covers, when it is exactly that.
    fn whole_months(self) -> Option<i32> {
        if self.from.day() != 1 || self.to.next_day().is_none_or(|d| d.day() != 1) {
            return None;
        }
        let months = |d: Date| d.year() * 12 + d.month() as i32;
        Some(months(self.to) - months(self.from) + 1)
    }
}

/// The month, quarter (`quarter`) or year (`year`) that holds `day`.
pub fn period_containing(kind: &str, day: Date) -> Period {
    let (first, last) = match kind {
        "quarter" => {
            let q = (day.month() as u8 - 1) / 3 * 3;
            (q + 1, q + 3)
        }
        "year" => (1, 12),
        _ => (day.month() as u8, day.month() as u8),
    };
    let start =
        |m: u8| Date::from_calendar_date(day.year(), Month::try_from(m).unwrap_or(Month::January), 1).unwrap_or(day);
    Period { from: start(first), to: last_day_of_month(start(last)) }
}

/// The same day `months` months later (earlier when negative), the day clamped to the
/// month's length.
pub fn add_months(date: Date, months: i32) -> Date {
    let index = date.year() * 12 + (date.month() as i32 - 1) + months;
    let (year, month) =
        (index.div_euclid(12), Month::try_from((index.rem_euclid(12) + 1) as u8).unwrap_or(Month::January));
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, date.day().min(last)).unwrap_or(date)
}

fn last_day_of_month(date: Date) -> Date {
    let last = time::util::days_in_month(date.month(), date.year());
    Date::from_calendar_date(date.year(), date.month(), last).unwrap_or(date)
}

/// `GET /api/v1/console/figures`: `from`/`to` as `YYYY-MM-DD` (both included); `unit`
/// defaults to the caller's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct FiguresQuery {
    pub from: String,
    pub to: String,
    pub unit: Option<i64>,
}

/// One figure for one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FigureValue {
    pub numerator: u32,
    /// None for a count.
    pub denominator: Option<u32>,
    /// The rate in tenths of a percent (575 = 57.5%); None for a count or when the
    /// denominator is 0.
    pub per_mille: Option<u32>,
    /// Days in tenths (123 = 12.3 days) for a days figure, whose `numerator` is then the
    /// number of cases counted; None otherwise or when no case counted.
    #[serde(default)]
    pub days_tenths: Option<u32>,
}

impl FigureValue {
    pub fn count(n: u32) -> FigureValue {
        FigureValue { numerator: n, denominator: None, per_mille: None, days_tenths: None }
    }

    /// Days over `cases` cases, in tenths of a day; None when no case counted.
    pub fn days(cases: u32, tenths: Option<u32>) -> FigureValue {
        FigureValue { days_tenths: tenths.filter(|_| cases > 0), ..FigureValue::count(cases) }
    }

    /// Rounded half up to a tenth of a percent.
    pub fn rate(numerator: u32, denominator: u32) -> FigureValue {
        let per_mille = (denominator > 0)
            .then(|| ((u64::from(numerator) * 2000 + u64::from(denominator)) / (2 * u64::from(denominator))) as u32);
        FigureValue { numerator, denominator: Some(denominator), per_mille, days_tenths: None }
    }

    /// As shown: "57.5%", "—" for a rate over nothing, "12.3天", or the count.
    pub fn display(&self) -> String {
        if let Some(t) = self.days_tenths {
            return format!("{}.{}天", t / 10, t % 10);
        }
        match (self.denominator, self.per_mille) {
            (None, _) => self.numerator.to_string(),
            (Some(_), None) => "—".to_string(),
            (Some(_), Some(p)) => format!("{}.{}%", p / 10, p % 10),
        }
    }
}

/// A period as sent: `YYYY-MM-DD` both ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodDto {
    pub from: String,
    pub to: String,
}

impl From<Period> for PeriodDto {
    fn from(p: Period) -> Self {
        PeriodDto { from: calendar::format(p.from), to: calendar::format(p.to) }
    }
}

/// One line of the figures table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FigureLine {
    pub id: FigureId,
    pub section: FigureSection,
    pub name: String,
    /// The definition (numerator, denominator, what counts) — the tooltip.
    pub definition: String,
    pub current: FigureValue,
    pub previous: FigureValue,
    pub last_year: FigureValue,
}

/// The figures of a unit's area for a period, with the previous period and the same
/// period a year earlier beside them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FiguresReport {
    pub unit_id: i64,
    pub unit_name: String,
    pub period: PeriodDto,
    pub previous: PeriodDto,
    pub last_year: PeriodDto,
    pub figures: Vec<FigureLine>,
    /// Intake by channel for each calendar month of the period (the first and last
    /// clipped to it), for the chart.
    pub monthly_intake: Vec<MonthlyIntake>,
    /// The units whose figures the caller may ask for (the unit picker): their own and,
    /// for a leader, every unit below it, in tree order.
    #[serde(default)]
    pub choices: Vec<UnitRef>,
}

/// One month's intake by channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthlyIntake {
    /// `YYYY-MM`.
    pub month: String,
    pub period: PeriodDto,
    /// Every channel, in `Channel::ALL` order.
    pub by_channel: Vec<ChannelCount>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelCount {
    pub channel: Channel,
    pub figure: FigureId,
    pub count: u32,
}

impl FigureId {
    /// The intake figure of a channel.
    pub fn intake_of(channel: Channel) -> FigureId {
        FigureId::ALL.into_iter().find(|f| f.intake_channel() == Some(channel)).unwrap_or(FigureId::IntakeVisit)
    }
}

impl Period {
    /// The calendar months the period touches, each clipped to the period.
    pub fn months(self) -> Vec<Period> {
        let mut months = Vec::new();
        let mut start = self.from;
        while start <= self.to {
            let end = last_day_of_month(start).min(self.to);
            months.push(Period { from: start, to: end });
            match end.next_day() {
                Some(next) => start = next,
                None => break,
            }
        }
        months
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        calendar::parse(text).unwrap()
    }

    fn p(from: &str, to: &str) -> Period {
        Period::parse(from, to).unwrap()
    }

    #[test]
    fn codes_round_trip_and_every_figure_has_a_definition() {
        for f in FigureId::ALL {
            assert_eq!(FigureId::from_code(f.code()), Some(f));
            assert!(!f.definition().name.is_empty());
            assert!(f.tooltip().contains(f.definition().numerator));
        }
        assert!(FigureId::OnTimeCompletion.is_rate());
        assert!(!FigureId::IntakeGrid.is_rate());
        assert_eq!(FigureId::IntakeGrid.intake_channel(), Some(Channel::Grid));
    }

    #[test]
    fn periods_step_back_by_month_quarter_year_or_length() {
        assert_eq!(p("2026-03-01", "2026-03-31").previous(), p("2026-02-01", "2026-02-28"));
        assert_eq!(p("2026-04-01", "2026-06-30").previous(), p("2026-01-01", "2026-03-31"));
        assert_eq!(p("2026-01-01", "2026-12-31").previous(), p("2025-01-01", "2025-12-31"));
        assert_eq!(p("2026-03-10", "2026-03-19").previous(), p("2026-02-28", "2026-03-09"));
        assert_eq!(p("2024-02-01", "2024-02-29").last_year(), p("2023-02-01", "2023-02-28"));
        assert_eq!(p("2025-02-01", "2025-02-28").last_year(), p("2024-02-01", "2024-02-29"));
        assert_eq!(p("2024-02-10", "2024-02-29").last_year(), p("2023-02-10", "2023-02-28"));
        assert_eq!(add_months(d("2026-01-31"), -2), d("2025-11-30"));
    }

    #[test]
    fn a_period_splits_into_its_months_clipped() {
        let months = p("2026-01-15", "2026-03-10").months();
        assert_eq!(
            months,
            vec![p("2026-01-15", "2026-01-31"), p("2026-02-01", "2026-02-28"), p("2026-03-01", "2026-03-10")]
        );
        assert_eq!(FigureId::intake_of(Channel::Letter), FigureId::IntakeLetter);
    }

    #[test]
    fn presets_are_the_month_quarter_or_year_of_a_day() {
        assert_eq!(period_containing("month", d("2024-02-10")), p("2024-02-01", "2024-02-29"));
        assert_eq!(period_containing("quarter", d("2026-05-10")), p("2026-04-01", "2026-06-30"));
        assert_eq!(period_containing("year", d("2026-05-10")), p("2026-01-01", "2026-12-31"));
    }

    #[test]
    fn bad_periods_are_refused() {
        assert!(Period::parse("2026-03-31", "2026-03-01").is_none());
        assert!(Period::parse("2026-02-30", "2026-03-01").is_none());
        assert!(Period::parse("2020-01-01", "2026-03-01").is_none());
        assert_eq!(p("2026-03-01", "2026-03-01").days(), 1);
    }

    #[test]
    fn rates_round_to_a_tenth_of_a_percent() {
        assert_eq!(FigureValue::rate(2, 3).display(), "66.7%");
        assert_eq!(FigureValue::rate(1, 8).display(), "12.5%");
        assert_eq!(FigureValue::rate(0, 0).display(), "—");
        assert_eq!(FigureValue::count(7).display(), "7");
    }
}
