//! The fictional demo county (安澜县): townships, villages/communities, grids with their
//! workers, and the departments of a township centre. Seeded only into an empty
//! database, and only when the server runs in demo mode. All names and phone numbers
//! are invented. Demo mode also seeds one staff account per role, all with the public
//! `DEMO_PASSWORD`; outside demo mode there are no built-in accounts (see `create-admin`).

use crate::db::staff::{self as store, Event, EventKind, NewStaff};
use crate::error::AppError;
use ow_shared::staff::{DemoAccount, Role};
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

/// County bureaus (县局), for cases the county centre holds.
const COUNTY_DEPARTMENTS: &[(&str, &str)] = &[
    ("county_gongan", "县公安局"),
    ("county_sifa", "县司法局"),
    ("county_zhujian", "县住房和城乡建设局"),
    ("county_renshe", "县人力资源和社会保障局"),
];

const WORKER_SURNAMES: &[char] = &['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙'];
const WORKER_GIVEN: &[&str] = &["建国", "秀英", "海燕", "志强", "丽华", "德明", "春梅", "国庆", "晓红", "永福"];
const GRIDS_PER_VILLAGE: usize = 2;

/// The password of every demo account. Public: demo mode is for showing, never for use.
pub const DEMO_PASSWORD: &str = "demo-password-2026";
/// `DEMO_PASSWORD` hashed once ahead of time (Argon2id, default parameters): seeding runs
/// on the database writer, which must not spend CPU on hashing. The salt is shared, but
/// so is the password.
pub const DEMO_PASSWORD_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$dfjs1f5+fvSCzuqxXfmo0g$nEADcGUeo5ThcABYCxMU6ofzUL7vTtmBInq7x2GBu18";

/// Where a demo account belongs: the county centre, a township's centre, a village's
/// station, or (grid workers) a grid by its code, under its village's station.
#[derive(Clone, Copy)]
enum Post {
    County,
    Township(&'static str),
    Village(&'static str, &'static str),
    Grid(&'static str),
}

/// The demo staff: user name, display name, role, department code for officers, post.
/// Two township officers in different departments, so a case can go from one to the
/// other; one county bureau officer; a clerk at each level and a grid worker.
const DEMO_STAFF: &[(&str, &str, Role, Option<&str>, Post)] = &[
    ("clerk", "窗口-李敏", Role::Clerk, None, Post::County),
    ("officer_zongzhi", "综治办-张伟", Role::Officer, Some("zongzhi"), Post::County),
    ("officer_sifasuo", "司法所-陈静", Role::Officer, Some("sifasuo"), Post::County),
    ("leader", "王主任", Role::Leader, None, Post::County),
    ("admin", "系统管理员-周鹏", Role::Admin, None, Post::County),
    ("officer_county_sifa", "县司法局-孙磊", Role::Officer, Some("county_sifa"), Post::County),
    ("clerk_chengguan", "城关街道-何芳", Role::Clerk, None, Post::Township("城关街道")),
    ("leader_chengguan", "城关街道-罗书记", Role::Leader, None, Post::Township("城关街道")),
    ("clerk_taoyuan", "桃源镇-郑丽", Role::Clerk, None, Post::Township("桃源镇")),
    ("station_xingfu", "幸福社区-代办员马兰", Role::Clerk, None, Post::Village("城关街道", "幸福社区")),
    ("station_taoyuan", "桃源村-代办员冯军", Role::Clerk, None, Post::Village("桃源镇", "桃源村")),
    ("grid_xingfu", "网格员-王秀英", Role::GridWorker, None, Post::Grid("AL010101")),
];

/// The demo accounts, for the sign-in page in demo mode.
pub fn demo_accounts() -> Vec<DemoAccount> {
    DEMO_STAFF
        .iter()
        .map(|&(username, _, role, department, _)| DemoAccount {
            username: username.into(),
            password: DEMO_PASSWORD.into(),
            role,
            department_name: department
                .and_then(|code| DEPARTMENTS.iter().chain(COUNTY_DEPARTMENTS).find(|(c, _)| *c == code))
                .map(|(_, name)| name.to_string()),
        })
        .collect()
}

/// Seeds the demo county if the database has no townships yet, and the demo staff if it
/// has no accounts yet (a demo database made before there were accounts gets them too);
/// returns whether it seeded anything.
pub fn seed_demo_if_empty(conn: &Connection) -> Result<bool, AppError> {
    let townships: i64 = conn.query_row("SELECT count(*) FROM townships", [], |r| r.get(0))?;
    if townships == 0 {
        seed_places(conn)?;
    }
    let staff: i64 = conn.query_row("SELECT count(*) FROM staff", [], |r| r.get(0))?;
    let booking_places: i64 = conn.query_row("SELECT count(*) FROM booking_places", [], |r| r.get(0))?;
    if booking_places == 0 {
        seed_booking_places(conn)?;
    }
    let grids = seed_grids_if_missing(conn)?;
    let county: i64 = conn.query_row("SELECT count(*) FROM departments WHERE level = 'county'", [], |r| r.get(0))?;
    if county == 0 {
        seed_county_departments(conn)?;
    }
    if staff == 0 {
        seed_staff(conn)?;
    }
    Ok(townships == 0 || staff == 0 || booking_places == 0 || grids || county == 0)
}

/// Legal-aid booking: the county's 公共法律服务中心 and one 司法所 per township, open
/// Monday–Friday 09:00–12:00 and 14:00–17:30 in 30-minute slots of 2 places, bookable
/// 14 days ahead and at least 2 hours before; and the pre-check's income threshold.
fn seed_booking_places(conn: &Connection) -> Result<(), AppError> {
    use crate::db::booking::{NewPlace, insert_place};
    let hours: Vec<(u8, u32, u32)> = (1..=5).flat_map(|d| [(d, 9 * 60, 12 * 60), (d, 14 * 60, 17 * 60 + 30)]).collect();
    fn place<'a>(
        name: &'a str,
        township_id: Option<i64>,
        address: &'a str,
        phone: &'a str,
        hours: &'a [(u8, u32, u32)],
    ) -> NewPlace<'a> {
        let kind = if township_id.is_some() { "sifasuo" } else { "centre" };
        NewPlace {
            name,
            kind,
            township_id,
            address,
            phone,
            slot_minutes: 30,
            capacity: 2,
            window_days: 14,
            min_notice_minutes: 120,
            hours,
        }
    }
    let centre = format!("{COUNTY}公共法律服务中心");
    insert_place(conn, &place(&centre, None, "城关街道人民路 18 号县政务服务中心一楼", "0000-12348", &hours))?;
    let mut stmt = conn.prepare("SELECT id, name FROM townships ORDER BY id")?;
    let townships: Vec<(i64, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    for (n, (id, township)) in townships.iter().enumerate() {
        let (name, address) = (format!("{township}司法所"), format!("{township}便民服务中心二楼"));
        let phone = format!("0000-66{:03}", n + 1);
        insert_place(conn, &place(&name, Some(*id), &address, &phone, &hours))?;
    }
    conn.execute(
        "INSERT OR IGNORE INTO settings (key, value) VALUES (?1, '2000'), (?2, '本省法律援助经济困难标准（演示值）')",
        [crate::booking::THRESHOLD_KEY, crate::booking::THRESHOLD_NOTE_KEY],
    )?;
    Ok(())
}

/// The county bureaus, on the county level.
fn seed_county_departments(conn: &Connection) -> Result<(), AppError> {
    for (code, name) in COUNTY_DEPARTMENTS {
        conn.execute("INSERT OR IGNORE INTO departments (code, name, level) VALUES (?1, ?2, 'county')", [code, name])?;
    }
    Ok(())
}

/// The unit (and grid) of a demo post; None when this database lacks the place.
fn post_unit(conn: &Connection, post: Post) -> Result<Option<(i64, Option<i64>)>, AppError> {
    use rusqlite::OptionalExtension;
    let one = |sql: &str, params: &[&str]| -> Result<Option<i64>, AppError> {
        Ok(conn.query_row(sql, rusqlite::params_from_iter(params), |r| r.get(0)).optional()?)
    };
    Ok(match post {
        Post::County => Some((crate::db::units::county(conn)?.id, None)),
        Post::Township(t) => one(
            "SELECT u.id FROM units u JOIN townships t ON t.id = u.township_id WHERE u.level = 'township' AND t.name = ?1",
            &[t],
        )?
        .map(|u| (u, None)),
        Post::Village(t, v) => one(
            "SELECT u.id FROM units u JOIN villages v ON v.id = u.village_id JOIN townships t ON t.id = v.township_id
             WHERE u.level = 'village' AND t.name = ?1 AND v.name = ?2",
            &[t, v],
        )?
        .map(|u| (u, None)),
        Post::Grid(code) => match one("SELECT id FROM grids WHERE code = ?1", &[code])? {
            Some(grid) => Some((crate::db::units::account_unit(conn, None, Some(grid))?, Some(grid))),
            None => None,
        },
    })
}

fn seed_staff(conn: &Connection) -> Result<(), AppError> {
    let now_ms = crate::clock::now_ms();
    for &(username, display_name, role, department, post) in DEMO_STAFF {
        let department_id = match department {
            // A database with places of its own may lack the demo departments.
            Some(code) => match store::department_id(conn, code)? {
                Some(id) => Some(id),
                None => continue,
            },
            None => None,
        };
        let Some((unit_id, grid_id)) = post_unit(conn, post)? else { continue };
        let new = NewStaff {
            username,
            display_name,
            role,
            department_id,
            password_hash: DEMO_PASSWORD_HASH,
            unit_id,
            grid_id,
        };
        let id = store::insert(conn, &new, now_ms)?;
        let event = Event {
            kind: EventKind::AccountCreated,
            staff_id: Some(id),
            actor_id: None,
            client_ip: None,
            at_ms: now_ms,
        };
        store::record(conn, &event)?;
    }
    Ok(())
}

fn seed_places(conn: &Connection) -> Result<(), AppError> {
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
    Ok(())
}

/// The demo grids' boundaries (with one hole and one MultiPolygon) and teams, generated
/// by `scripts/gen-demo-grids.py`.
pub const DEMO_GRIDS_GEOJSON: &str = include_str!("../../demo/grids.geojson");
pub const DEMO_GRID_PEOPLE_CSV: &str = include_str!("../../demo/grid-people.csv");
/// The day the demo boundaries took effect.
pub const DEMO_GRIDS_EFFECTIVE_FROM: &str = "2024-01-01";

/// Seeds the demo grids' boundaries and teams through the importers, when the demo
/// county's grids are there and have no boundary yet.
fn seed_grids_if_missing(conn: &Connection) -> Result<bool, AppError> {
    use crate::grids::{Actor, import};
    let boundaries: i64 = conn.query_row("SELECT count(*) FROM grid_boundaries", [], |r| r.get(0))?;
    let demo: i64 = conn.query_row("SELECT count(*) FROM grids WHERE code = 'AL010101'", [], |r| r.get(0))?;
    if boundaries > 0 || demo == 0 {
        return Ok(false);
    }
    let (actor, at_ms) = (Actor::system(), crate::clock::now_ms());
    let (features, problems) = import::read_features(DEMO_GRIDS_GEOJSON.as_bytes());
    import::store_boundaries(conn, features, DEMO_GRIDS_EFFECTIVE_FROM, &actor, at_ms, problems)?;
    let (rows, problems) = import::read_people(DEMO_GRID_PEOPLE_CSV.as_bytes());
    import::store_people(conn, rows, &actor, at_ms, problems)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_county_is_as_large_as_promised() {
        let dir = tempfile_dir();
        let db = crate::db::open_connection(&dir.join("seed.sqlite")).unwrap();
        let mut conn = db;
        crate::db::migrate_for_tests(&mut conn);
        assert!(super::seed_demo_if_empty(&conn).unwrap());
        assert!(!super::seed_demo_if_empty(&conn).unwrap(), "seeding twice adds nothing");
        let count = |table: &str| -> i64 {
            conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
        };
        assert!(count("townships") >= 3);
        assert!(count("villages") >= 12);
        assert!(count("grids") >= 30);
        assert_eq!(count("departments"), 7 + 4);
        assert_eq!(count("staff"), 12);
        assert_eq!(count("units"), 1 + count("townships") + count("villages"));
        let levels = "SELECT count(DISTINCT u.level) FROM staff s JOIN units u ON u.id = s.unit_id";
        assert_eq!(conn.query_row(levels, [], |r| r.get::<_, i64>(0)).unwrap(), 3, "accounts at every level");
        assert_eq!(count("booking_places"), 1 + count("townships"));
        let sql = "SELECT count(DISTINCT department_id) FROM staff WHERE role = 'officer'";
        assert_eq!(conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap(), 3, "officers in three departments");
    }

    #[test]
    fn every_role_has_a_demo_account_with_the_demo_password() {
        let accounts = super::demo_accounts();
        for role in ow_shared::staff::Role::ALL {
            assert!(accounts.iter().any(|a| a.role == role), "{role:?}");
        }
        assert!(accounts.iter().all(|a| a.password == super::DEMO_PASSWORD));
        let officers: Vec<_> = accounts.iter().filter_map(|a| a.department_name.as_deref()).collect();
        assert_eq!(officers, ["综治办（应急管理办）", "司法所", "县司法局"]);
        assert!(crate::auth::password::verify_blocking(super::DEMO_PASSWORD, super::DEMO_PASSWORD_HASH));
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("ow-seed-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
