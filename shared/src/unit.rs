//! The county's units on their levels (县镇村联动): the county centre, the township and
//! street centres, the village and community stations; grids lie under villages.
//! Cases are held by a unit and handed between them (交办, 下派, 上报).

use serde::{Deserialize, Serialize};

/// A unit's level, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnitLevel {
    /// 村/社区服务站
    Village,
    /// 乡镇/街道综治中心
    Township,
    /// 县综治中心
    County,
}

impl UnitLevel {
    pub const ALL: [UnitLevel; 3] = [UnitLevel::Village, UnitLevel::Township, UnitLevel::County];

    pub fn code(self) -> &'static str {
        match self {
            UnitLevel::Village => "village",
            UnitLevel::Township => "township",
            UnitLevel::County => "county",
        }
    }

    pub fn from_code(code: &str) -> Option<UnitLevel> {
        UnitLevel::ALL.into_iter().find(|l| l.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            UnitLevel::Village => "村（社区）",
            UnitLevel::Township => "乡镇（街道）",
            UnitLevel::County => "县级",
        }
    }
}

/// A unit, named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitRef {
    pub id: i64,
    pub name: String,
    pub level: UnitLevel,
}

/// A unit in the tree, as `GET /api/v1/console/units` lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unit {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub level: UnitLevel,
    pub name: String,
    pub township_id: Option<i64>,
    pub village_id: Option<i64>,
}

/// A grid worker a case can be sent down to (下派).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GridWorkerRef {
    pub staff_id: i64,
    pub display_name: String,
    pub grid_id: i64,
    pub grid_name: String,
}

/// Where a case may be handed from its holding unit: the units below it (交办), the
/// grid workers of grids under it (下派) and the units above it (上报).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandOverTargets {
    pub down: Vec<UnitRef>,
    pub grid_workers: Vec<GridWorkerRef>,
    pub up: Vec<UnitRef>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_order_from_the_village_up_and_round_trip() {
        assert!(UnitLevel::Village < UnitLevel::Township && UnitLevel::Township < UnitLevel::County);
        for level in UnitLevel::ALL {
            assert_eq!(UnitLevel::from_code(level.code()), Some(level));
            assert_eq!(serde_json::to_string(&level).unwrap(), format!("\"{}\"", level.code()));
        }
    }
}
