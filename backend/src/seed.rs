//! The fictional demo county (安澜县): townships, villages/communities, grids with their
//! workers, and the departments of a township centre. Seeded only into an empty
//! database, and only when the server runs in demo mode. All names and phone numbers
//! are invented.

use crate::error::AppError;
use rusqlite::{Connection, params};

const COUNTY: &str = "安澜县";

/// Townships/streets and their villages/communities.
const PLACES: &[(&str, &[&str])] = &[
    ("城关街道", &["幸福社区", "东门社区", "西街社区", "滨河社区"]),
    ("桃源镇", &["桃源村", "杏花村", "石门村", "新田村"]),
    ("清河镇", &["清河村", "柳湾村", "龙井村", "双溪村"]),
    ("石桥乡", &["石桥村", "红岩村", "茶园村", "高坪村"]),
];

/// The forces of a township centre (seed 000), plus petitions and people's mediation.
const DEPARTMENTS: &[(&str, &str)] = &[
    ("zongzhi", "综治办（应急管理办）"),
    ("zhifa", "综合行政执法队"),
    ("paichusuo", "派出所"),
    ("sifasuo", "司法所"),
    ("shijian", "市场监督管理所"),
    ("xinfang", "信访办"),
    ("tiaojie", "人民调解委员会"),
];

const WORKER_SURNAMES: &[char] = &['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙'];
const WORKER_GIVEN: &[&str] = &["建国", "秀英", "海燕", "志强", "丽华", "德明", "春梅", "国庆", "晓红", "永福"];
const GRIDS_PER_VILLAGE: usize = 2;

/// Seeds the demo county if the database has no townships yet; returns whether it did.
pub fn seed_demo_if_empty(conn: &Connection) -> Result<bool, AppError> {
    let townships: i64 = conn.query_row("SELECT count(*) FROM townships", [], |r| r.get(0))?;
    if townships > 0 {
        return Ok(false);
    }
    conn.execute("INSERT INTO settings (key, value) VALUES ('county_name', ?1)", [COUNTY])?;
    for (code, name) in DEPARTMENTS {
        conn.execute("INSERT INTO departments (code, name) VALUES (?1, ?2)", [code, name])?;
    }
    let mut grid_no = 0usize;
    for (t, (township, villages)) in PLACES.iter().enumerate() {
        conn.execute("INSERT INTO townships (name) VALUES (?1)", [township])?;
        let township_id = conn.last_insert_rowid();
        for (v, village) in villages.iter().enumerate() {
            conn.execute("INSERT INTO villages (township_id, name) VALUES (?1, ?2)", params![township_id, village])?;
            let village_id = conn.last_insert_rowid();
            for g in 1..=GRIDS_PER_VILLAGE {
                grid_no += 1;
                let code = format!("AL{:02}{:02}{:02}", t + 1, v + 1, g);
                let worker = format!(
                    "{}{}",
                    WORKER_SURNAMES[grid_no % WORKER_SURNAMES.len()],
                    WORKER_GIVEN[grid_no % WORKER_GIVEN.len()]
                );
                conn.execute(
                    "INSERT INTO grids (village_id, code, name, worker_name, worker_phone) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![village_id, code, format!("{village}第{g}网格"), worker, format!("1390000{grid_no:04}")],
                )?;
            }
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_county_is_as_large_as_promised() {
        let dir = tempfile_dir();
        let db = crate::db::open_connection(&dir.join("seed.sqlite")).unwrap();
        let mut conn = db;
        super::super::db::migrate_for_tests(&mut conn);
        assert!(super::seed_demo_if_empty(&conn).unwrap());
        assert!(!super::seed_demo_if_empty(&conn).unwrap(), "seeding twice adds nothing");
        let count = |table: &str| -> i64 {
            conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
        };
        assert!(count("townships") >= 3);
        assert!(count("villages") >= 12);
        assert!(count("grids") >= 30);
        assert_eq!(count("departments"), 7);
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("ow-seed-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
