//! The eligibility pre-check for legal aid (法律援助法 Art.31, 32, 34, 41–44): pure
//! code, so the browser runs it with no round trip. Advice only: it never blocks a booking.

use crate::Lang;
use crate::calendar;
use serde::{Deserialize, Serialize};
use time::Date;

// ---------------------------------------------------------------------------

/// The matters of Art.31 for which legal aid may be asked when the applicant has
/// financial difficulty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AidMatter {
    /// 依法请求国家赔偿
    StateCompensation,
    /// 请求给予社会保险待遇或者社会救助
    SocialInsuranceOrAssistance,
    /// 请求发给抚恤金
    Pension,
    /// 请求给付赡养费、抚养费、扶养费
    Support,
    /// 请求确认劳动关系或者支付劳动报酬
    LabourRelationOrPay,
    /// 请求认定公民无民事行为能力或者限制民事行为能力
    LegalCapacity,
    /// 请求环境污染、生态破坏损害赔偿
    EnvironmentalDamage,
    /// 请求工伤事故、交通事故、食品药品安全事故、医疗事故人身损害赔偿
    PersonalInjury,
    /// 其他
    Other,
}

impl AidMatter {
    pub const ALL: [AidMatter; 9] = [
        AidMatter::StateCompensation,
        AidMatter::SocialInsuranceOrAssistance,
        AidMatter::Pension,
        AidMatter::Support,
        AidMatter::LabourRelationOrPay,
        AidMatter::LegalCapacity,
        AidMatter::EnvironmentalDamage,
        AidMatter::PersonalInjury,
        AidMatter::Other,
    ];

    /// The name shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            AidMatter::StateCompensation => lang.pick("请求国家赔偿", "State compensation"),
            AidMatter::SocialInsuranceOrAssistance => {
                lang.pick("请求社会保险待遇或社会救助", "Social insurance benefits or social assistance")
            }
            AidMatter::Pension => lang.pick("请求发给抚恤金", "Survivor's or disability pension (抚恤金)"),
            AidMatter::Support => {
                lang.pick("请求给付赡养费、抚养费、扶养费", "Support for parents, children or a spouse")
            }
            AidMatter::LabourRelationOrPay => {
                lang.pick("请求确认劳动关系或支付劳动报酬", "Confirming an employment relation or unpaid wages")
            }
            AidMatter::LegalCapacity => lang.pick(
                "请求认定无民事行为能力或限制民事行为能力",
                "Declaring someone without or with limited legal capacity",
            ),
            AidMatter::EnvironmentalDamage => {
                lang.pick("环境污染、生态破坏损害赔偿", "Damages for pollution or ecological harm")
            }
            AidMatter::PersonalInjury => lang.pick(
                "工伤、交通、食品药品安全、医疗事故人身损害赔偿",
                "Personal injury from a work, traffic, food/drug or medical accident",
            ),
            AidMatter::Other => lang.pick("其他事项", "Something else"),
        }
    }
}

/// Art.32: no financial-difficulty condition at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoMeansTest {
    /// 英雄烈士近亲属为维护英雄烈士的人格权益
    HeroFamily,
    /// 因见义勇为行为主张相关民事权益
    GoodSamaritan,
    /// 再审改判无罪请求国家赔偿
    WrongfulConviction,
    /// 遭受虐待、遗弃或者家庭暴力的受害人主张相关权益
    AbuseVictim,
}

impl NoMeansTest {
    pub const ALL: [NoMeansTest; 4] = [
        NoMeansTest::HeroFamily,
        NoMeansTest::GoodSamaritan,
        NoMeansTest::WrongfulConviction,
        NoMeansTest::AbuseVictim,
    ];

    /// The name shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            NoMeansTest::HeroFamily => lang.pick(
                "英雄烈士近亲属维护英雄烈士的人格权益",
                "A hero's or martyr's close relative defending their honour",
            ),
            NoMeansTest::GoodSamaritan => {
                lang.pick("因见义勇为主张相关民事权益", "Claims arising from acting as a good Samaritan")
            }
            NoMeansTest::WrongfulConviction => {
                lang.pick("再审改判无罪请求国家赔偿", "State compensation after acquittal on retrial")
            }
            NoMeansTest::AbuseVictim => {
                lang.pick("遭受虐待、遗弃或家庭暴力", "A victim of abuse, abandonment or domestic violence")
            }
        }
    }
}

/// Art.42: with proof of belonging to one of these groups, finances are not checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoFinanceCheck {
    /// 无固定生活来源的未成年人、老年人、残疾人等特定群体
    NoIncomeMinorElderlyDisabled,
    /// 社会救助、司法救助或者优抚对象
    AssistanceRecipient,
    /// 申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员
    MigrantWorkerWagesOrInjury,
}

impl NoFinanceCheck {
    pub const ALL: [NoFinanceCheck; 3] = [
        NoFinanceCheck::NoIncomeMinorElderlyDisabled,
        NoFinanceCheck::AssistanceRecipient,
        NoFinanceCheck::MigrantWorkerWagesOrInjury,
    ];

    /// The name shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            NoFinanceCheck::NoIncomeMinorElderlyDisabled => lang.pick(
                "无固定生活来源的未成年人、老年人、残疾人",
                "A minor, elderly or disabled person without a steady income",
            ),
            NoFinanceCheck::AssistanceRecipient => lang.pick(
                "社会救助、司法救助或优抚对象（如低保、特困）",
                "Receiving social or judicial assistance or veterans' benefits",
            ),
            NoFinanceCheck::MigrantWorkerWagesOrInjury => lang.pick(
                "进城务工人员请求支付劳动报酬或工伤赔偿",
                "A migrant worker claiming wages or work-injury compensation",
            ),
        }
    }
}

/// The resident's answers; every one is optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrecheckAnswers {
    pub matter: Option<AidMatter>,
    pub no_means_test: Option<NoMeansTest>,
    #[serde(default)]
    pub groups: Vec<NoFinanceCheck>,
    /// Household income per person per month, in yuan.
    pub monthly_income_per_person: Option<u32>,
    /// When a limitation period or deadline ends, `YYYY-MM-DD`.
    pub limitation_ends_on: Option<String>,
}

/// How the pre-check judges the answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    LikelyEligible,
    NeedsReview,
    /// Likely not eligible — other routes are named.
    LikelyNotEligible,
}

/// The pre-check's answer. Advice only; the legal-aid office decides (Art.43).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrecheckResult {
    pub verdict: Verdict,
    /// zh-CN, citing the articles.
    pub reasons: Vec<String>,
    /// Art.44: the limitation period ends in under 7 days — aid may start before approval.
    pub urgent: bool,
    pub other_routes: Vec<String>,
}

/// Art.44(一): "距法定时效或者期限届满不足七日".
pub const URGENT_DAYS: i64 = 7;

/// Pre-checks eligibility for legal aid (法律援助法 Art.31, 32, 34, 42, 44) against the
/// province's income threshold (yuan per person per month). Never blocks a booking.
pub fn precheck(answers: &PrecheckAnswers, income_threshold: u32, today: Date) -> PrecheckResult {
    let mut reasons: Vec<String> = Vec::new();
    let verdict = if let Some(case) = answers.no_means_test {
        reasons.push(format!("属于“{}”，依照《法律援助法》第三十二条，不受经济困难条件的限制。", case.label(Lang::Zh)));
        Verdict::LikelyEligible
    } else {
        match answers.matter {
            None => {
                reasons.push("未选择申请事项，需由工作人员根据具体情况判断。".into());
                Verdict::NeedsReview
            }
            Some(AidMatter::Other) => {
                reasons.push(
                    "该事项不在《法律援助法》第三十一条所列民事、行政事项之内；地方性法规可能扩大范围，可现场咨询确认。"
                        .into(),
                );
                Verdict::LikelyNotEligible
            }
            Some(matter) => {
                reasons.push(format!("“{}”属于《法律援助法》第三十一条规定的事项。", matter.label(Lang::Zh)));
                means_verdict(answers, matter, income_threshold, &mut reasons)
            }
        }
    };
    let urgent = match answers.limitation_ends_on.as_deref().map(str::trim).and_then(calendar::parse) {
        Some(ends) => {
            let left = calendar::days_between(today, ends);
            if left < 0 {
                reasons.push("您填写的时效或期限已届满，请尽快当面咨询是否还有救济途径。".into());
                false
            } else if left < URGENT_DAYS {
                reasons.push(format!(
                    "距时效或期限届满仅剩 {left} 日（不足七日），依照第四十四条，法律援助机构可以先行提供法律援助；请预约最近的时段。"
                ));
                true
            } else {
                false
            }
        }
        None => false,
    };
    if verdict != Verdict::LikelyNotEligible {
        reasons.push("以上仅为初步判断，是否给予法律援助由法律援助机构在收到申请后 7 日内决定（第四十三条）。".into());
    }
    let other_routes = match verdict {
        Verdict::LikelyEligible => Vec::new(),
        _ => other_routes(answers.matter),
    };
    PrecheckResult { verdict, reasons, urgent, other_routes }
}

/// The financial part, for a matter of Art.31 (Art.34, 41, 42).
fn means_verdict(answers: &PrecheckAnswers, matter: AidMatter, threshold: u32, reasons: &mut Vec<String>) -> Verdict {
    let exempt = answers.groups.iter().find(|group| match group {
        // Only for those very claims (Art.42(三)).
        NoFinanceCheck::MigrantWorkerWagesOrInjury => {
            matches!(matter, AidMatter::LabourRelationOrPay | AidMatter::PersonalInjury)
        }
        _ => true,
    });
    if let Some(group) = exempt {
        reasons.push(format!("属于“{}”，有材料证明的，依照第四十二条免予核查经济困难状况。", group.label(Lang::Zh)));
        return Verdict::LikelyEligible;
    }
    match answers.monthly_income_per_person {
        None => {
            reasons.push("未填写家庭人均月收入，需由工作人员了解经济状况后判断（第四十一条）。".into());
            Verdict::NeedsReview
        }
        Some(income) if income <= threshold => {
            reasons.push(format!(
                "家庭人均月收入 {income} 元，不高于本省经济困难标准 {threshold} 元（第三十四条）；申请时须如实说明经济困难状况（第四十一条）。"
            ));
            Verdict::LikelyEligible
        }
        Some(income) => {
            reasons.push(format!(
                "家庭人均月收入 {income} 元，高于本省经济困难标准 {threshold} 元（第三十四条），一般不符合经济困难条件。"
            ));
            Verdict::LikelyNotEligible
        }
    }
}

/// Help open to everyone, whatever the verdict.
fn other_routes(matter: Option<AidMatter>) -> Vec<String> {
    let mut routes = vec![
        "法律咨询：任何人都可以免费咨询，不审查经济状况（第二十二条、第二十三条）——可直接预约“法律咨询”。".to_string(),
        "人民调解：民间纠纷可申请免费调解——可直接预约“人民调解”。".to_string(),
        "拨打 12348 公共法律服务热线咨询。".to_string(),
    ];
    if matter == Some(AidMatter::LabourRelationOrPay) {
        routes.push("劳动争议可向劳动人事争议仲裁委员会申请仲裁，不收费；拖欠工资也可向劳动保障监察投诉。".into());
    }
    routes.push("自行委托律师代理。".into());
    routes
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Month;

    fn today() -> Date {
        Date::from_calendar_date(2026, Month::November, 23).unwrap()
    }

    fn answers(matter: AidMatter, income: Option<u32>) -> PrecheckAnswers {
        PrecheckAnswers { matter: Some(matter), monthly_income_per_person: income, ..Default::default() }
    }

    #[test]
    fn income_is_compared_with_the_threshold_inclusive() {
        let at = precheck(&answers(AidMatter::Support, Some(2000)), 2000, today());
        assert_eq!(at.verdict, Verdict::LikelyEligible);
        assert!(at.other_routes.is_empty());
        let above = precheck(&answers(AidMatter::Support, Some(2001)), 2000, today());
        assert_eq!(above.verdict, Verdict::LikelyNotEligible);
        assert!(above.reasons.iter().any(|r| r.contains("第三十四条")));
        assert!(above.other_routes.iter().any(|r| r.contains("法律咨询")));
        let unknown = precheck(&answers(AidMatter::Support, None), 2000, today());
        assert_eq!(unknown.verdict, Verdict::NeedsReview);
    }

    #[test]
    fn art_32_needs_no_means_test_whatever_the_matter_or_income() {
        let a = PrecheckAnswers {
            no_means_test: Some(NoMeansTest::AbuseVictim),
            matter: Some(AidMatter::Other),
            monthly_income_per_person: Some(50_000),
            ..Default::default()
        };
        let result = precheck(&a, 2000, today());
        assert_eq!(result.verdict, Verdict::LikelyEligible);
        assert!(result.reasons[0].contains("第三十二条"));
    }

    #[test]
    fn art_42_groups_skip_the_finance_check_migrant_workers_only_for_wages_or_injury() {
        let mut a = answers(AidMatter::Pension, Some(9000));
        a.groups = vec![NoFinanceCheck::AssistanceRecipient];
        assert_eq!(precheck(&a, 2000, today()).verdict, Verdict::LikelyEligible);
        let mut wages = answers(AidMatter::LabourRelationOrPay, Some(9000));
        wages.groups = vec![NoFinanceCheck::MigrantWorkerWagesOrInjury];
        let result = precheck(&wages, 2000, today());
        assert_eq!(result.verdict, Verdict::LikelyEligible);
        assert!(result.reasons.iter().any(|r| r.contains("第四十二条")));
        let mut support = answers(AidMatter::Support, Some(9000));
        support.groups = vec![NoFinanceCheck::MigrantWorkerWagesOrInjury];
        assert_eq!(precheck(&support, 2000, today()).verdict, Verdict::LikelyNotEligible);
    }

    #[test]
    fn other_matters_and_no_matter() {
        let other = precheck(&answers(AidMatter::Other, Some(100)), 2000, today());
        assert_eq!(other.verdict, Verdict::LikelyNotEligible);
        assert!(!other.other_routes.is_empty());
        let none = precheck(&PrecheckAnswers::default(), 2000, today());
        assert_eq!(none.verdict, Verdict::NeedsReview);
        assert!(!none.urgent);
        let labour = precheck(&answers(AidMatter::LabourRelationOrPay, Some(5000)), 2000, today());
        assert!(labour.other_routes.iter().any(|r| r.contains("仲裁")));
    }

    #[test]
    fn urgent_when_under_seven_days_are_left_art_44() {
        let with_end = |date: &str| PrecheckAnswers {
            limitation_ends_on: Some(date.into()),
            ..answers(AidMatter::LabourRelationOrPay, Some(1000))
        };
        // 2026-11-23 + 6 = 11-29: six days left, under seven → urgent.
        assert!(precheck(&with_end("2026-11-29"), 2000, today()).urgent);
        // Seven days left is not "不足七日".
        assert!(!precheck(&with_end("2026-11-30"), 2000, today()).urgent);
        // Ends today: still urgent.
        assert!(precheck(&with_end("2026-11-23"), 2000, today()).urgent);
        // Already over: not urgent, but said.
        let over = precheck(&with_end("2026-11-22"), 2000, today());
        assert!(!over.urgent);
        assert!(over.reasons.iter().any(|r| r.contains("已届满")));
        // Garbage is ignored; urgency never changes the verdict.
        assert!(!precheck(&with_end("soon"), 2000, today()).urgent);
        let urgent_but_rich = PrecheckAnswers { monthly_income_per_person: Some(9000), ..with_end("2026-11-24") };
        let result = precheck(&urgent_but_rich, 2000, today());
        assert!(result.urgent);
        assert_eq!(result.verdict, Verdict::LikelyNotEligible);
    }
}
