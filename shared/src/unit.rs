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

/// `PUT /api/v1/console/units/{id}` (administrators): a unit's name and the unit above it.
/// The parent must be one level up and of the same place (a village's station stays under
/// its township's centre); a unit can never come under itself (`UNIT_TREE_CYCLE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateUnitRequest {
    pub name: String,
    pub parent_id: Option<i64>,
}

/// A unit's name, in characters.
pub const UNIT_NAME_CHARS: (u32, u32) = (2, 40);

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

/// `POST /api/v1/console/grid-reports` (grid workers, with an `Idempotency-Key`): what a
/// grid worker found on their round (上报), or settled there (就地化解, `settled`). It
/// becomes a case of channel 网格上报 in the township centre's queue, with its grid —
/// or, settled, a case closed at grid level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GridReportRequest {
    pub case_type: Option<crate::CaseType>,
    pub title: String,
    pub description: String,
    /// The people involved (names, how to reach them), free text.
    #[serde(default)]
    pub people: String,
    /// WGS84 from the phone's GPS: the grid is the one there (within 50 m).
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
    /// Or the grid picked; the worker's own grid when neither is given.
    #[serde(default)]
    pub grid_id: Option<i64>,
    #[serde(default)]
    pub address: String,
    /// Ids from `POST /api/v1/uploads`, at most three.
    #[serde(default)]
    pub photo_ids: Vec<String>,
    /// 就地化解: settled on the spot.
    #[serde(default)]
    pub settled: Option<SettledOnSpot>,
}

/// A dispute settled on the spot: the parties and what they agreed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettledOnSpot {
    pub parties: String,
    pub agreement: String,
}

/// How far outside a grid's boundary a GPS fix still counts as in it (phones err).
pub const GPS_TOLERANCE_M: f64 = 50.0;

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
