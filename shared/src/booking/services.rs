//! What a resident can book, with everything told at once (一次性告知): each service's
//! name, what it is, how long it takes and every paper to bring. The texts themselves
//! are data, in `texts`.

use super::texts::{NAMES, SERVICES};
use crate::Lang;
use serde::{Deserialize, Serialize};

/// What a resident books (法律援助法 Art.22–23 forms of service, plus people's mediation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LegalService {
    /// 法律咨询
    Consultation,
    /// 代写法律文书
    DocumentDrafting,
    /// 法律援助申请
    LegalAidApplication,
    /// 人民调解
    Mediation,
}

impl LegalService {
    /// All services in the order the app offers them.
    pub const ALL: [LegalService; 4] = [
        LegalService::Consultation,
        LegalService::DocumentDrafting,
        LegalService::LegalAidApplication,
        LegalService::Mediation,
    ];

    /// The stable code used on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            LegalService::Consultation => "consultation",
            LegalService::DocumentDrafting => "document_drafting",
            LegalService::LegalAidApplication => "legal_aid_application",
            LegalService::Mediation => "mediation",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<LegalService> {
        LegalService::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The name shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        NAMES[self as usize].pick(lang)
    }

    /// What the service is, in one sentence.
    pub fn what(self, lang: Lang) -> &'static str {
        SERVICES[self as usize].what.pick(lang)
    }

    /// About how long the appointment takes, in minutes.
    pub fn minutes(self) -> u32 {
        SERVICES[self as usize].minutes
    }

    /// How many consecutive slots of `slot_minutes` an appointment takes: as many as
    /// its minutes need (法律援助申请's 60 minutes take two half-hour slots), at least one.
    pub fn slots_needed(self, slot_minutes: u32) -> u32 {
        self.minutes().div_ceil(slot_minutes.max(1)).max(1)
    }

    /// Every material to bring, told all at once (一次性告知; 法律援助法 Art.43).
    pub fn materials(self, lang: Lang) -> Vec<&'static str> {
        SERVICES[self as usize].materials.iter().map(|m| m.pick(lang)).collect()
    }

    /// The service as the app lists it.
    pub fn info(self, lang: Lang) -> ServiceInfo {
        ServiceInfo {
            service: self,
            name: self.label(lang).into(),
            what: self.what(lang).into(),
            minutes: self.minutes(),
            materials: self.materials(lang).into_iter().map(String::from).collect(),
        }
    }
}

/// `GET /api/v1/booking/services`: one service with ALL its materials (一次性告知).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceInfo {
    pub service: LegalService,
    pub name: String,
    pub what: String,
    /// About how long it takes.
    pub minutes: u32,
    pub materials: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_tells_all_its_materials() {
        for service in LegalService::ALL {
            assert_eq!(LegalService::from_code(service.code()), Some(service));
            let zh = service.info(Lang::Zh);
            let en = service.info(Lang::En);
            assert!(zh.materials.len() >= 3 && zh.materials.len() == en.materials.len());
            assert!(zh.materials[0].contains("身份证"));
        }
        let json = serde_json::to_string(&LegalService::LegalAidApplication).unwrap();
        assert_eq!(json, "\"legal_aid_application\"");
    }
    /// The texts are looked up by `service as usize`: a table out of step with `ALL`
    /// would give a service another's name and papers.
    #[test]
    fn the_text_tables_follow_the_order_of_all() {
        for (i, service) in LegalService::ALL.into_iter().enumerate() {
            assert_eq!(service as usize, i);
        }
        assert_eq!(
            LegalService::ALL.map(|s| s.label(Lang::Zh)),
            ["法律咨询", "代写法律文书", "法律援助申请", "人民调解"]
        );
        assert_eq!(LegalService::ALL.map(LegalService::minutes), [30, 45, 60, 60]);
        assert_eq!(LegalService::ALL.map(|s| s.slots_needed(30)), [1, 2, 2, 2]);
        assert_eq!(LegalService::ALL.map(|s| s.slots_needed(60)), [1, 1, 1, 1]);
        assert_eq!(LegalService::LegalAidApplication.slots_needed(20), 3);
        assert!(LegalService::DocumentDrafting.what(Lang::Zh).contains("代写"));
        assert!(LegalService::Mediation.what(Lang::En).contains("mediation"));
        let aid = LegalService::LegalAidApplication.materials(Lang::Zh);
        assert!(aid.iter().any(|m| m.contains("法律援助申请表")));
    }
}
