//! The console's queue: filters, Chinese full-text search, due-date flags and paging,
//! always within what the caller may see.

use super::row::code;
use crate::clock;
use crate::error::AppError;
use ow_shared::calendar::{self, Urgency, periods, urgency};
use ow_shared::case::{CaseState, CaseType};
use ow_shared::console::{GridRef, QUEUE_PAGE_SIZE, QueueCounts, QueueItem, QueuePage, QueueQuery};
use ow_shared::staff::Role;
use ow_shared::validate::search_text;
use ow_shared::workflow::Channel;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use time::{Date, Duration};

/// Who is asking: officers see only cases ever dispatched to their department; the
/// others the cases of their unit's area.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub role: Role,
    pub staff_id: i64,
    pub department_id: Option<i64>,
    pub area: Area,
}

/// The part of the county whose cases a member of staff sees (`auth::Staff::area`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// The county centre: every case.
    All,
    /// A township centre: the township's cases.
    Township(i64),
    /// A village station: the village's cases.
    Village(i64),
    /// A grid worker: the grid's cases, and those ever sent down to them.
    Grid { grid_id: i64, staff_id: i64 },
}

/// A WHERE clause under construction, with its parameters in order.
#[derive(Default, Clone)]
struct Filter {
    clauses: Vec<String>,
    params: Vec<Value>,
}

impl Filter {
    fn of(clause: &str, values: impl IntoIterator<Item = Value>) -> Filter {
        let mut filter = Filter::default();
        filter.push(clause, values);
        filter
    }

    fn push(&mut self, clause: &str, values: impl IntoIterator<Item = Value>) {
        self.clauses.push(clause.to_string());
        self.params.extend(values);
    }

    /// This filter and then every clause of `other`.
    fn and(&self, other: &Filter) -> Filter {
        let mut both = self.clone();
        both.clauses.extend(other.clauses.iter().cloned());
        both.params.extend(other.params.iter().cloned());
        both
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() { String::new() } else { format!("WHERE {}", self.clauses.join(" AND ")) }
    }
}

fn text(value: impl Into<String>) -> Value {
    Value::Text(value.into())
}

/// One part of the caller's cases: a filter over `cases c` that one index serves on its
/// own, and the `case_tallies` rows (migration 020) that count it, if any do.
struct Part {
    cases: Filter,
    tallies: Option<Filter>,
}

/// The caller's visibility, which every count and page respects, as disjoint parts. An
/// area is one part, on its own index and counted by its kept tallies. A grid worker's
/// cases are two: the grid's, and those sent down to them from outside it. Kept apart
/// because, as one `IN (… UNION …)` set, neither the order index nor the tallies could
/// serve them and every case of the grid was looked up in the table on each request;
/// disjoint, so that their counts add up and their pages merge without duplicates.
/// Officers see the cases ever dispatched to their department, found from its dispatches.
fn parts(scope: Scope) -> Vec<Part> {
    let id = Value::Integer;
    if scope.role == Role::Officer {
        let department = scope.department_id.unwrap_or(-1);
        let cases =
            Filter::of("c.id IN (SELECT d.case_id FROM case_dispatches d WHERE d.department_id = ?)", [id(department)]);
        return vec![Part { cases, tallies: None }];
    }
    let tallied = |column: &str, value: i64| Part {
        cases: Filter::of(&format!("c.{column} = ?"), [id(value)]),
        tallies: Some(Filter::of(&format!("{column} = ?"), [id(value)])),
    };
    match scope.area {
        Area::All => vec![Part { cases: Filter::default(), tallies: Some(Filter::default()) }],
        Area::Township(township) => vec![tallied("township_id", township)],
        Area::Village(village) => vec![tallied("village_id", village)],
        Area::Grid { grid_id, staff_id } => vec![
            tallied("grid_id", grid_id),
            Part {
                cases: Filter::of(
                    "c.id IN (SELECT h.case_id FROM case_handovers h WHERE h.to_staff_id = ?) AND c.grid_id IS NOT ?",
                    [id(staff_id), id(grid_id)],
                ),
                tallies: None,
            },
        ],
    }
}

/// The cases of an area, as a WHERE fragment over `cases c`; None for the whole county.
pub fn area_clause(area: Area) -> Option<(String, Vec<Value>)> {
    let (clause, params) = match area {
        Area::All => return None,
        Area::Township(id) => ("c.township_id = ?", vec![Value::Integer(id)]),
        Area::Village(id) => ("c.village_id = ?", vec![Value::Integer(id)]),
        Area::Grid { grid_id, staff_id } => (
            // A UNION of two indexed look-ups, not an OR: the grid worker's list stays fast.
            "c.id IN (SELECT id FROM cases WHERE grid_id = ?
                      UNION SELECT case_id FROM case_handovers WHERE to_staff_id = ?)",
            vec![Value::Integer(grid_id), Value::Integer(staff_id)],
        ),
    };
    Some((clause.to_string(), params))
}

/// A page of the queue.
pub fn page(conn: &Connection, query: &QueueQuery, scope: Scope, today: Date) -> Result<QueuePage, AppError> {
    page_within(conn, query, scope, today, None)
}

/// A page of the queue, narrowed further by a predicate over `cases c` (the cases behind
/// a figure: `figures::behind`).
pub fn page_within(
    conn: &Connection,
    query: &QueueQuery,
    scope: Scope,
    today: Date,
    within: Option<(String, Vec<Value>)>,
) -> Result<QueuePage, AppError> {
    let filter = filter_of(query, scope, today, within);
    let parts = parts(scope);
    let tally = scope_tally(conn, &parts, today)?;
    let total = matching_total(conn, &parts, &filter, &tally)?;
    // Clamped so that the offset cannot overflow; nobody pages past 10,000.
    let page = query.page.unwrap_or(1).clamp(1, 10_000);
    let order = Order::of(query.sort.as_deref());
    let items = items(conn, &parts, &filter, order, QUEUE_PAGE_SIZE, (page - 1) * QUEUE_PAGE_SIZE, today)?;
    let counts =
        QueueCounts { overdue: tally.overdue, due_soon: tally.due_soon, open_callbacks: open_callbacks(conn, &parts)? };
    Ok(QueuePage { items, total, page, page_size: QUEUE_PAGE_SIZE, counts })
}

/// Every case the queue's filters select (not only a page), in the queue's order, at
/// most `limit` of them, with how many there are in all: for the exports.
pub fn all_within(
    conn: &Connection,
    query: &QueueQuery,
    scope: Scope,
    today: Date,
    within: Option<(String, Vec<Value>)>,
    limit: u32,
) -> Result<(Vec<QueueItem>, u32), AppError> {
    let filter = filter_of(query, scope, today, within);
    let parts = parts(scope);
    let tally = scope_tally(conn, &parts, today)?;
    let total = matching_total(conn, &parts, &filter, &tally)?;
    let items = items(conn, &parts, &filter, Order::of(query.sort.as_deref()), limit, 0, today)?;
    Ok((items, total))
}

/// The query's filters, plus the predicate of a figure when there is one.
fn filter_of(query: &QueueQuery, scope: Scope, today: Date, within: Option<(String, Vec<Value>)>) -> Filter {
    let mut filter = Filter::default();
    add_filters(&mut filter, query, scope, today);
    if let Some((clause, params)) = within {
        filter.push(&format!("({clause})"), params);
    }
    filter
}

/// How many cases the filter selects. Unfiltered, the total is the scope's, already
/// tallied; filtered, each part is counted on its own index.
fn matching_total(conn: &Connection, parts: &[Part], filter: &Filter, tally: &Tally) -> Result<u32, AppError> {
    if filter.clauses.is_empty() {
        return Ok(tally.total);
    }
    let mut total = 0;
    for part in parts {
        let matching = part.cases.and(filter);
        let sql = format!("SELECT count(*) FROM cases c {}", matching.sql());
        total += conn.query_row(&sql, params_from_iter(matching.params.iter()), |r| r.get::<_, u32>(0))?;
    }
    Ok(total)
}

/// The selected cases in `order`, `limit` of them from `offset`, as queue rows.
fn items(
    conn: &Connection,
    parts: &[Part],
    filter: &Filter,
    order: Order,
    limit: u32,
    offset: u32,
    today: Date,
) -> Result<Vec<QueueItem>, AppError> {
    let (ids_sql, params) = page_ids(parts, filter, order, limit, offset);
    // The page's ids first (the filter, the order and the limit, on the indexes), then
    // the columns of those rows only: computed for every matching row before sorting, the
    // names and the departments' subquery cost a county's queue a whole scan each time.
    let sql = format!(
        "WITH page AS ({ids_sql})
         SELECT c.id, c.tracking_no, c.case_type, c.state, c.channel, c.title, t.name, v.name, c.created_at_ms,
                c.due_on, c.group_size, s.display_name,
                (SELECT group_concat(dep.name, '、') FROM case_dispatches d JOIN departments dep ON dep.id = d.department_id
                  WHERE d.case_id = c.id AND d.state != 'objected'),
                EXISTS (SELECT 1 FROM callback_tasks k WHERE k.case_id = c.id AND k.done_at_ms IS NULL),
                u.name, g.id, g.name, c.grid_worker_id
         FROM page JOIN cases c ON c.id = page.id
         JOIN townships t ON t.id = c.township_id
         JOIN villages v ON v.id = c.village_id
         LEFT JOIN staff s ON s.id = c.leader_id
         LEFT JOIN units u ON u.id = c.unit_id
         LEFT JOIN grids g ON g.id = c.grid_id
         ORDER BY {}",
        order.over_cases()
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
        let due_on: Option<String> = r.get(9)?;
        let departments: Option<String> = r.get(12)?;
        Ok(QueueItem {
            id: r.get(0)?,
            tracking_no: r.get(1)?,
            case_type: code(r, 2, CaseType::from_code)?,
            state: code(r, 3, CaseState::from_code)?,
            channel: code(r, 4, Channel::from_code)?,
            title: r.get(5)?,
            township: r.get(6)?,
            village: r.get(7)?,
            submitted_at: clock::format_minute(r.get(8)?),
            urgency: due_on.as_deref().and_then(calendar::parse).map(|due| urgency(due, today)),
            due_on,
            group_size: r.get(10)?,
            leader: r.get(11)?,
            departments: departments.map(|d| d.split('、').map(str::to_string).collect()).unwrap_or_default(),
            open_callback: r.get(13)?,
            unit: r.get::<_, Option<String>>(14)?.unwrap_or_default(),
            grid: match r.get::<_, Option<i64>>(15)? {
                Some(id) => Some(GridRef { id, name: r.get(16)? }),
                None => None,
            },
            grid_worker_id: r.get(17)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// The queue's order: by due date (undated last, then by id) or newest first.
#[derive(Clone, Copy)]
enum Order {
    Due,
    New,
}

impl Order {
    fn of(sort: Option<&str>) -> Order {
        if sort == Some("new") { Order::New } else { Order::Due }
    }

    /// ORDER BY over `cases c`, as the `cases_queue_*` indexes (013, 020) hold it.
    fn over_cases(self) -> &'static str {
        match self {
            Order::Due => "c.due_on IS NULL, c.due_on, c.id",
            Order::New => "c.id DESC",
        }
    }

    /// The same order over the merged parts' `(id, due_on)` rows.
    fn over_merged(self) -> &'static str {
        match self {
            Order::Due => "due_on IS NULL, due_on, id",
            Order::New => "id DESC",
        }
    }
}

/// The SELECT of one page's case ids (`limit` from `offset`), with its parameters. One
/// part is read straight off its index. Several are each read off their own index up to
/// the end of the page (no more of any one part can be on it), then merged and cut.
fn page_ids(parts: &[Part], filter: &Filter, order: Order, limit: u32, offset: u32) -> (String, Vec<Value>) {
    if let [part] = parts {
        let matching = part.cases.and(filter);
        let sql = format!(
            "SELECT c.id AS id FROM cases c {} ORDER BY {} LIMIT {limit} OFFSET {offset}",
            matching.sql(),
            order.over_cases()
        );
        return (sql, matching.params);
    }
    let (mut selects, mut params) = (Vec::new(), Vec::new());
    for part in parts {
        let matching = part.cases.and(filter);
        selects.push(format!(
            "SELECT * FROM (SELECT c.id AS id, c.due_on AS due_on FROM cases c {} ORDER BY {} LIMIT {})",
            matching.sql(),
            order.over_cases(),
            offset + limit
        ));
        params.extend(matching.params);
    }
    let sql = format!(
        "SELECT id FROM ({}) ORDER BY {} LIMIT {limit} OFFSET {offset}",
        selects.join(" UNION ALL "),
        order.over_merged()
    );
    (sql, params)
}

fn add_filters(filter: &mut Filter, query: &QueueQuery, scope: Scope, today: Date) {
    if let Some(state) = query.state {
        filter.push("c.state = ?", [text(state.code())]);
    }
    if let Some(township) = query.township_id {
        filter.push("c.township_id = ?", [Value::Integer(township)]);
    }
    if let Some(grid) = query.grid_id {
        filter.push("c.grid_id = ?", [Value::Integer(grid)]);
    }
    if let Some(case_type) = query.case_type {
        filter.push("c.case_type = ?", [text(case_type.code())]);
    }
    if let Some(department) = query.department_id {
        filter.push(
            "EXISTS (SELECT 1 FROM case_dispatches d WHERE d.case_id = c.id AND d.department_id = ?
                     AND d.state != 'objected')",
            [Value::Integer(department)],
        );
    }
    match query.due.as_deref() {
        Some("overdue") => filter.push("c.due_on < ?", [text(calendar::format(today))]),
        Some("soon") => filter.push(
            "c.due_on BETWEEN ? AND ?",
            [text(calendar::format(today)), text(calendar::format(soon_limit(today)))],
        ),
        _ => {}
    }
    if query.mine == Some(true) {
        match scope.role {
            Role::Officer => filter.push(
                "EXISTS (SELECT 1 FROM case_dispatches d WHERE d.case_id = c.id AND d.department_id = ?
                         AND d.state IN ('pending', 'taken'))",
                [Value::Integer(scope.department_id.unwrap_or(-1))],
            ),
            _ => filter.push(
                "(c.registered_by = ? OR c.leader_id = ?)",
                [Value::Integer(scope.staff_id), Value::Integer(scope.staff_id)],
            ),
        }
    }
    if query.callback.as_deref() == Some("open") {
        filter.push("EXISTS (SELECT 1 FROM callback_tasks k WHERE k.case_id = c.id AND k.done_at_ms IS NULL)", []);
    }
    if query.contact.as_deref() == Some("failed") {
        filter.push(crate::db::messages::CONTACT_FAILED, []);
    }
    if let Some(q) = query.q.as_deref().map(search_text).filter(|q| !q.is_empty()) {
        search(filter, &q);
    }
}

/// Full text: FTS5 trigrams for three characters or more; shorter queries (one or two
/// Chinese characters, e.g. "噪音" is two) cannot form a trigram and use LIKE instead.
fn search(filter: &mut Filter, q: &str) {
    if q.chars().count() >= 3 {
        let phrase = format!("\"{}\"", q.replace('"', "\"\""));
        filter.push("c.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?)", [text(phrase)]);
    } else {
        let pattern = format!("%{}%", q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        filter.push(
            "(c.title LIKE ? ESCAPE '\\' OR c.description LIKE ? ESCAPE '\\' OR c.address LIKE ? ESCAPE '\\'
              OR c.tracking_no LIKE ? ESCAPE '\\')",
            std::iter::repeat_n(text(pattern), 4),
        );
    }
}

fn soon_limit(today: Date) -> Date {
    today.saturating_add(Duration::days(periods::DUE_SOON_DAYS))
}

/// How many cases, and of them overdue and due within the next days.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Tally {
    total: u32,
    overdue: u32,
    due_soon: u32,
}

/// The whole scope's tally, unfiltered: each part's from its kept tallies where it has
/// them (a sum over a few rows per place and due date), or else by counting its cases.
fn scope_tally(conn: &Connection, parts: &[Part], today: Date) -> Result<Tally, AppError> {
    let (today, soon) = (text(calendar::format(today)), text(calendar::format(soon_limit(today))));
    let mut tally = Tally::default();
    for part in parts {
        // Undated rows keep '' as their due date, which sorts before every date.
        let (sql, rows) = match &part.tallies {
            Some(rows) => (
                format!(
                    "SELECT coalesce(sum(cases), 0), coalesce(sum(cases) FILTER (WHERE due_on != '' AND due_on < ?), 0),
                            coalesce(sum(cases) FILTER (WHERE due_on BETWEEN ? AND ?), 0)
                     FROM case_tallies {}",
                    rows.sql()
                ),
                rows,
            ),
            None => (
                format!(
                    "SELECT count(*), count(*) FILTER (WHERE c.due_on < ?), count(*) FILTER (WHERE c.due_on BETWEEN ? AND ?)
                     FROM cases c {}",
                    part.cases.sql()
                ),
                &part.cases,
            ),
        };
        let params = [today.clone(), today.clone(), soon.clone()].into_iter().chain(rows.params.iter().cloned());
        let counted = conn.query_row(&sql, params_from_iter(params), |r| {
            Ok(Tally { total: r.get(0)?, overdue: r.get(1)?, due_soon: r.get(2)? })
        })?;
        tally.total += counted.total;
        tally.overdue += counted.overdue;
        tally.due_soon += counted.due_soon;
    }
    Ok(tally)
}

/// The cases in scope with an open callback task, found from those tasks (few: the
/// replied cases still waiting for their call) rather than by probing every case in
/// scope; CROSS JOIN keeps SQLite from turning that round.
fn open_callbacks(conn: &Connection, parts: &[Part]) -> Result<u32, AppError> {
    let mut open = 0;
    for part in parts {
        let matching = Filter::of("k.done_at_ms IS NULL", []).and(&part.cases);
        let sql = format!(
            "SELECT count(DISTINCT c.id) FROM callback_tasks k CROSS JOIN cases c ON c.id = k.case_id {}",
            matching.sql()
        );
        open += conn.query_row(&sql, params_from_iter(matching.params.iter()), |r| r.get::<_, u32>(0))?;
    }
    Ok(open)
}

/// Whether `due` is flagged.
pub fn flag(due: Option<&str>, today: Date) -> Option<Urgency> {
    due.and_then(calendar::parse).map(|due| urgency(due, today))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::params;

    /// Two townships; 城关 has two villages, 幸福 with two grids; 桃源 one village with one
    /// grid. A grid worker (50) of grid 1. Cases everywhere, with and without a grid and a
    /// due date, some sent down to the worker, some dispatched, some with a callback open.
    fn db() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrate_for_tests(&mut conn);
        conn.execute_batch(
            "INSERT INTO townships (id, name) VALUES (1, '城关街道'), (2, '桃源镇');
             INSERT INTO villages (id, township_id, name) VALUES (1, 1, '幸福社区'), (2, 1, '东门村'), (3, 2, '桃源村');
             INSERT INTO grids (id, village_id, code, name, worker_name, worker_phone)
             VALUES (1, 1, 'G1', '幸福第1网格', '王', ''), (2, 1, 'G2', '幸福第2网格', '李', ''),
                    (3, 3, 'G3', '桃源第1网格', '赵', '');
             INSERT INTO departments (id, code, name) VALUES (7, 'sifasuo', '司法所');
             INSERT INTO staff (id, username, display_name, role, password_hash, created_at_ms, unit_id, grid_id)
             VALUES (50, 'grid', '网格员', 'grid_worker', 'h', 1, 1, 1);",
        )
        .unwrap();
        let dues =
            [None, Some("2026-05-01"), Some("2026-06-01"), Some("2026-06-03"), Some("2026-07-01"), Some("2026-05-31")];
        for i in 0..90_usize {
            let (village, grid) = match i % 4 {
                0 | 1 if i % 7 == 0 => (1, None),
                0 => (1, Some(1)),
                1 => (1, Some(2)),
                2 => (2, None),
                _ => (3, Some(3)),
            };
            add(&conn, village, grid, dues[i % dues.len()]);
        }
        conn.execute_batch(
            "INSERT INTO case_handovers (case_id, kind, from_unit_id, to_unit_id, to_staff_id, reason, due_on, at_ms, staff_id)
             VALUES (4, 'send_to_grid', 1, 1, 50, '下派', '2026-06-10', 1, 50),
                    (4, 'send_to_grid', 1, 1, 50, '再次下派', '2026-06-10', 2, 50),
                    (5, 'send_to_grid', 1, 1, 50, '下派', '2026-06-10', 1, 50),
                    (12, 'send_to_grid', 1, 1, 50, '下派', '2026-06-10', 1, 50);
             INSERT INTO case_dispatches (case_id, department_id, state, dispatched_at_ms, due_on, objection_due_on, updated_at_ms)
             VALUES (3, 7, 'pending', 1, '2026-06-05', '2026-06-02', 1), (8, 7, 'objected', 1, '2026-06-05', '2026-06-02', 1),
                    (9, 7, 'taken', 1, '2026-06-05', '2026-06-02', 1), (9, 7, 'responded', 1, '2026-06-05', '2026-06-02', 1);
             INSERT INTO callback_tasks (case_id, opened_at_ms, due_on, done_at_ms)
             VALUES (1, 1, '2026-06-05', NULL), (1, 2, '2026-06-05', NULL), (4, 1, '2026-06-05', NULL),
                    (6, 1, '2026-06-05', 3), (11, 1, '2026-06-05', NULL);",
        )
        .unwrap();
        conn
    }

    fn add(conn: &Connection, village: i64, grid: Option<i64>, due: Option<&str>) -> i64 {
        conn.execute(
            "INSERT INTO cases (tracking_no, query_code_hash, case_type, state, channel, title, description, occurred_on,
                 township_id, village_id, address, other_party_name, contact_name, mobile, identity_protected,
                 created_at_ms, acceptance_due_on, due_on, grid_id)
             VALUES ('T' || (SELECT coalesce(max(id), 0) + 1 FROM cases), 'h', 'dispute', 'accepted', 'visit', 't', 'd', '2026-03-01',
                 (SELECT township_id FROM villages WHERE id = ?1), ?1, '', '', '张三', '13800000000', 0,
                 1, '2026-03-15', ?2, ?3)",
            params![village, due, grid],
        )
        .unwrap();
        conn.last_insert_rowid()
    }

    fn today() -> Date {
        calendar::parse("2026-06-01").unwrap()
    }

    fn scopes() -> Vec<Scope> {
        let area = |area| Scope { role: Role::Clerk, staff_id: 1, department_id: None, area };
        let mut scopes: Vec<Scope> =
            [Area::All, Area::Township(1), Area::Township(2), Area::Village(1), Area::Village(2)]
                .into_iter()
                .chain([
                    Area::Village(3),
                    Area::Grid { grid_id: 1, staff_id: 50 },
                    Area::Grid { grid_id: 3, staff_id: 51 },
                ])
                .map(area)
                .collect();
        scopes.push(Scope { role: Role::Officer, staff_id: 2, department_id: Some(7), area: Area::All });
        scopes
    }

    /// What the queue answered before the parts and the tallies (issue 12's bench): the
    /// scope as one clause, every count by counting. The reference they must agree with.
    fn as_counted(conn: &Connection, scope: Scope, sort: Option<&str>, page: u32) -> (Vec<i64>, u32, QueueCounts) {
        let (clause, params) = if scope.role == Role::Officer {
            let sql = "EXISTS (SELECT 1 FROM case_dispatches d WHERE d.case_id = c.id AND d.department_id = ?)";
            (sql.to_string(), vec![Value::Integer(scope.department_id.unwrap())])
        } else {
            area_clause(scope.area).unwrap_or(("1".to_string(), vec![]))
        };
        let count = |extra: &str, more: &[&str]| -> u32 {
            let values = params.iter().cloned().chain(more.iter().map(|s| text(*s)));
            let sql = format!("SELECT count(*) FROM cases c WHERE {clause} AND {extra}");
            conn.query_row(&sql, params_from_iter(values), |r| r.get(0)).unwrap()
        };
        let counts = QueueCounts {
            overdue: count("c.due_on < ?", &["2026-06-01"]),
            due_soon: count("c.due_on BETWEEN ? AND ?", &["2026-06-01", "2026-06-04"]),
            open_callbacks: count("c.id IN (SELECT case_id FROM callback_tasks WHERE done_at_ms IS NULL)", &[]),
        };
        let order = Order::of(sort).over_cases();
        let offset = (page - 1) * QUEUE_PAGE_SIZE;
        let sql =
            format!("SELECT c.id FROM cases c WHERE {clause} ORDER BY {order} LIMIT {QUEUE_PAGE_SIZE} OFFSET {offset}");
        let mut stmt = conn.prepare(&sql).unwrap();
        let ids = stmt.query_map(params_from_iter(params.iter()), |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        (ids, count("1", &[]), counts)
    }

    fn assert_as_counted(conn: &Connection) {
        for scope in scopes() {
            for sort in [None, Some("new")] {
                for page in 1..=4 {
                    let query = QueueQuery { sort: sort.map(str::to_string), page: Some(page), ..Default::default() };
                    let answer = super::page(conn, &query, scope, today()).unwrap();
                    let ids: Vec<i64> = answer.items.iter().map(|item| item.id).collect();
                    let expected = as_counted(conn, scope, sort, page);
                    let which = format!("{scope:?}, sort {sort:?}, page {page}");
                    assert_eq!((ids, answer.total, answer.counts), expected, "{which}");
                }
            }
        }
    }

    #[test]
    fn pages_and_counts_are_those_of_the_scope_counted_case_by_case() {
        let conn = db();
        assert_as_counted(&conn);
        // A grid worker's list: the grid's cases and those sent down from elsewhere, once.
        let worker = Scope {
            role: Role::GridWorker,
            staff_id: 50,
            department_id: None,
            area: Area::Grid { grid_id: 1, staff_id: 50 },
        };
        let all = QueueQuery { page: Some(1), ..Default::default() };
        let listed = super::page(&conn, &all, worker, today()).unwrap();
        let grid: u32 = conn.query_row("SELECT count(*) FROM cases WHERE grid_id = 1", [], |r| r.get(0)).unwrap();
        assert_eq!(listed.total, grid + 2, "cases 5 and 12 are from outside the grid; 4 is in it");
        // Filtered, each part is counted and paged on its own.
        let overdue = QueueQuery { due: Some("overdue".into()), ..all };
        let listed = super::page(&conn, &overdue, worker, today()).unwrap();
        assert_eq!(listed.total, listed.counts.overdue);
        assert!(listed.items.iter().all(|item| item.due_on.as_deref() < Some("2026-06-01")));
    }

    #[test]
    fn the_kept_tallies_follow_every_change_to_a_case() {
        let conn = db();
        conn.execute_batch(
            "UPDATE cases SET due_on = '2026-06-02' WHERE id IN (1, 2, 3);
             UPDATE cases SET due_on = NULL WHERE id IN (4, 5);
             UPDATE cases SET due_on = due_on WHERE id > 10;
             UPDATE cases SET grid_id = 2 WHERE id = 6;
             UPDATE cases SET grid_id = NULL WHERE id = 7;
             UPDATE cases SET township_id = 2, village_id = 3, grid_id = 3, due_on = '2026-05-02' WHERE id = 8;
             DELETE FROM cases WHERE id IN (10, 13);",
        )
        .unwrap();
        add(&conn, 2, None, Some("2026-06-02"));
        assert_as_counted(&conn);
        let kept: i64 = conn.query_row("SELECT count(*) FROM case_tallies WHERE cases = 0", [], |r| r.get(0)).unwrap();
        assert_eq!(kept, 0, "an empty tally is deleted");
    }
}
