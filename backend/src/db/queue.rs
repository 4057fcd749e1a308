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
#[derive(Default)]
struct Filter {
    clauses: Vec<String>,
    params: Vec<Value>,
}

impl Filter {
    fn push(&mut self, clause: &str, values: impl IntoIterator<Item = Value>) {
        self.clauses.push(clause.to_string());
        self.params.extend(values);
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() { String::new() } else { format!("WHERE {}", self.clauses.join(" AND ")) }
    }
}

fn text(value: impl Into<String>) -> Value {
    Value::Text(value.into())
}

/// The caller's visibility, which every count and page respects.
fn scoped(scope: Scope) -> Filter {
    let mut filter = Filter::default();
    if scope.role == Role::Officer {
        let department = scope.department_id.unwrap_or(-1);
        filter.push(
            "EXISTS (SELECT 1 FROM case_dispatches d WHERE d.case_id = c.id AND d.department_id = ?)",
            [Value::Integer(department)],
        );
        return filter;
    }
    if let Some((clause, params)) = area_clause(scope.area) {
        filter.push(&clause, params);
    }
    filter
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
    let mut filter = scoped(scope);
    add_filters(&mut filter, query, scope, today);
    if let Some((clause, params)) = within {
        filter.push(&format!("({clause})"), params);
    }
    let total = total(conn, &filter)?;
    // Clamped so that the offset cannot overflow; nobody pages past 10,000.
    let page = query.page.unwrap_or(1).clamp(1, 10_000);
    let items = items(conn, &filter, query, today, QUEUE_PAGE_SIZE, (page - 1) * QUEUE_PAGE_SIZE)?;
    Ok(QueuePage { items, total, page, page_size: QUEUE_PAGE_SIZE, counts: counts(conn, scope, today)? })
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
    let mut filter = scoped(scope);
    add_filters(&mut filter, query, scope, today);
    if let Some((clause, params)) = within {
        filter.push(&format!("({clause})"), params);
    }
    Ok((items(conn, &filter, query, today, limit, 0)?, total(conn, &filter)?))
}

fn total(conn: &Connection, filter: &Filter) -> Result<u32, AppError> {
    let sql = format!("SELECT count(*) FROM cases c {}", filter.sql());
    Ok(conn.query_row(&sql, params_from_iter(filter.params.iter()), |r| r.get(0))?)
}

/// The cases the filter selects in the query's order, `limit` of them from `offset`.
fn items(
    conn: &Connection,
    filter: &Filter,
    query: &QueueQuery,
    today: Date,
    limit: u32,
    offset: u32,
) -> Result<Vec<QueueItem>, AppError> {
    let where_sql = filter.sql();
    let order = match query.sort.as_deref() {
        Some("new") => "c.id DESC",
        _ => "c.due_on IS NULL, c.due_on, c.id",
    };
    // The page's ids first (the filter, the order and the limit, on the indexes), then
    // the columns of those rows only: computed for every matching row before sorting, the
    // names and the departments' subquery cost a county's queue a whole scan each time.
    let sql = format!(
        "WITH page AS (SELECT c.id AS id FROM cases c {where_sql} ORDER BY {order}
                       LIMIT {limit} OFFSET {offset})
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
         ORDER BY {order}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(filter.params.iter()), |r| {
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

/// Overdue, due-soon and open-callback counts within the caller's scope.
pub fn counts(conn: &Connection, scope: Scope, today: Date) -> Result<QueueCounts, AppError> {
    // Three counts, each on its own index (the due date within the scope; the open
    // callback tasks), rather than one pass over every case in scope.
    let filter = scoped(scope);
    let and = |clause: &str| {
        let scope_sql = filter.clauses.join(" AND ");
        if scope_sql.is_empty() { format!("WHERE {clause}") } else { format!("WHERE {scope_sql} AND {clause}") }
    };
    let count = |clause: &str, extra: &[Value]| -> Result<u32, AppError> {
        let params = filter.params.iter().chain(extra.iter());
        Ok(conn.query_row(&format!("SELECT count(*) FROM cases c {}", and(clause)), params_from_iter(params), |r| {
            r.get(0)
        })?)
    };
    let (today, soon) = (text(calendar::format(today)), text(calendar::format(soon_limit(today))));
    let overdue = count("c.due_on < ?", std::slice::from_ref(&today))?;
    let due_soon = count("c.due_on BETWEEN ? AND ?", &[today, soon])?;
    let open_callbacks = count("c.id IN (SELECT k.case_id FROM callback_tasks k WHERE k.done_at_ms IS NULL)", &[])?;
    Ok(QueueCounts { overdue, due_soon, open_callbacks })
}

/// Whether `due` is flagged.
pub fn flag(due: Option<&str>, today: Date) -> Option<Urgency> {
    due.and_then(calendar::parse).map(|due| urgency(due, today))
}
