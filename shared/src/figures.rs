//! Leaders' figures (issue 13): each figure's definition — name, numerator, denominator
//! and what counts — written once here. The server computes them from the cases and
//! their append-only events (`backend/src/db/figures.rs`, one SQL predicate per part,
//! which the queue reuses to list the cases behind a number); the console shows the
//! definition as the figure's tooltip.

use crate::calendar;
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
    pub const ALL: [FigureId; 12] = [
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
        self.definition().denominator.is_some()
    }

    /// The definition, in zh-CN (the console's language for figures).
    pub fn definition(self) -> Definition {
        const RECEIVED: &str = "本期登记的诉求（按提交或代办登记时间）";
        const DUE: &str = "办理期限在本期内的诉求（延期仅在原期限内申请的才计入期限）";
        const REPLIED: &str = "本期作出答复（含就地化解）的诉求";
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
                denominator: Some("本期作出答复且群众已评价的诉求"),
                counts: "以答复时间定期间；评价以群众的最终评价为准。",
            },
            FigureId::RatingParticipation => Definition {
                name: "参评率",
                numerator: "其中群众已评价的",
                denominator: Some(REPLIED),
                counts: "以答复时间定期间；未评价的计入分母。",
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
                counts: "按就地化解的时间计入所在期间。",
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
}

impl FigureValue {
    pub fn count(n: u32) -> FigureValue {
        FigureValue { numerator: n, denominator: None, per_mille: None }
    }

    /// Rounded half up to a tenth of a percent.
    pub fn rate(numerator: u32, denominator: u32) -> FigureValue {
        let per_mille = (denominator > 0)
            .then(|| ((u64::from(numerator) * 2000 + u64::from(denominator)) / (2 * u64::from(denominator))) as u32);
        FigureValue { numerator, denominator: Some(denominator), per_mille }
    }

    /// As shown: "57.5%", "—" for a rate over nothing, or the count.
    pub fn display(&self) -> String {
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
