//! Leaders' figures and the case lists behind them as `.xlsx` workbooks (issue 13), which
//! open in Excel and WPS. Text is always written as text, never as a formula; a text a
//! spreadsheet would take for one (`=`, `+`, `-`, `@` first, as `grids::export` guards its
//! CSV) also carries the quote prefix, Excel's own `'`, so that editing the cell keeps it
//! text. A case list holds what the queue shows and nothing more: no name, phone or ID
//! number. Generic over the figures report: a figure added to it is exported with it.

use crate::error::AppError;
use crate::grids::export::looks_like_formula;
use ow_shared::Lang;
use ow_shared::calendar::Urgency;
use ow_shared::console::QueueItem;
use ow_shared::figures::{FigureValue, FiguresReport};
use ow_shared::workflow::Channel;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// The media type of an `.xlsx` file.
pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The most cases one export lists; a longer list says so above its table.
pub const MAX_CASES: u32 = 10_000;

fn failed(e: XlsxError) -> AppError {
    AppError::Internal(format!("xlsx: {e}"))
}

/// The cell formats of a workbook.
struct Formats {
    title: Format,
    head: Format,
    text: Format,
    /// Text a spreadsheet would otherwise read as a formula.
    quoted: Format,
    percent: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            head: Format::new()
                .set_bold()
                .set_background_color("#DDE6F0")
                .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin),
            text: Format::new(),
            quoted: Format::new().set_quote_prefix(),
            percent: Format::new().set_num_format("0.0%"),
        }
    }
}

/// A worksheet written row by row.
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    f: &'a Formats,
    row: u32,
}

impl Sheet<'_> {
    /// A text cell: always a string, quote-prefixed when it looks like a formula.
    fn text(&mut self, col: u16, value: &str) -> Result<(), AppError> {
        let format = if looks_like_formula(value) { &self.f.quoted } else { &self.f.text };
        self.ws.write_string_with_format(self.row, col, value, format).map_err(failed)?;
        Ok(())
    }

    fn number(&mut self, col: u16, value: f64, format: Option<&Format>) -> Result<(), AppError> {
        match format {
            Some(format) => self.ws.write_number_with_format(self.row, col, value, format),
            None => self.ws.write_number(self.row, col, value),
        }
        .map_err(failed)?;
        Ok(())
    }

    fn title(&mut self, text: &str) -> Result<(), AppError> {
        self.ws.write_string_with_format(self.row, 0, text, &self.f.title).map_err(failed)?;
        self.row += 1;
        Ok(())
    }

    /// A line of text under the title.
    fn line(&mut self, text: &str) -> Result<(), AppError> {
        self.text(0, text)?;
        self.row += 1;
        Ok(())
    }

    /// The table's header row, with the column widths, frozen above the rows.
    fn head(&mut self, columns: &[(&str, f64)]) -> Result<(), AppError> {
        for (col, (name, width)) in (0u16..).zip(columns) {
            self.ws.write_string_with_format(self.row, col, *name, &self.f.head).map_err(failed)?;
            self.ws.set_column_width(col, *width).map_err(failed)?;
        }
        self.row += 1;
        self.ws.set_freeze_panes(self.row, 0).map_err(failed)?;
        Ok(())
    }

    /// A figure's value in three cells: the value (a rate as a percentage, "—" over
    /// nothing; a count as the number), its numerator and its denominator.
    fn value(&mut self, col: u16, value: &FigureValue) -> Result<(), AppError> {
        match (value.denominator, value.per_mille) {
            (None, _) => self.number(col, f64::from(value.numerator), None)?,
            (Some(_), None) => self.text(col, "—")?,
            (Some(_), Some(p)) => self.number(col, f64::from(p) / 1000.0, Some(&self.f.percent))?,
        }
        self.number(col + 1, f64::from(value.numerator), None)?;
        if let Some(d) = value.denominator {
            self.number(col + 2, f64::from(d), None)?;
        }
        Ok(())
    }
}

fn workbook_bytes(mut workbook: Workbook) -> Result<Vec<u8>, AppError> {
    workbook.save_to_buffer().map_err(failed)
}

fn sheet<'a>(workbook: &'a mut Workbook, name: &str, f: &'a Formats) -> Result<Sheet<'a>, AppError> {
    let ws = workbook.add_worksheet();
    ws.set_name(name).map_err(failed)?;
    ws.set_paper_size(9); // A4
    Ok(Sheet { ws, f, row: 0 })
}

/// The columns of the figures table.
pub const FIGURE_COLUMNS: [&str; 12] = [
    "指标",
    "本期",
    "本期分子",
    "本期分母",
    "上期",
    "上期分子",
    "上期分母",
    "去年同期",
    "去年同期分子",
    "去年同期分母",
    "口径",
    "代码",
];

/// A figures report as a workbook: the figures table (every figure of the report, each
/// with its numerator and denominator for the period, the previous period and last
/// year, and its definition), and the monthly intake by channel.
pub fn figures_workbook(report: &FiguresReport) -> Result<Vec<u8>, AppError> {
    let f = Formats::new();
    let mut workbook = Workbook::new();
    {
        let mut s = sheet(&mut workbook, "统计指标", &f)?;
        s.title(&format!("{} 统计指标", report.unit_name))?;
        s.line(&format!(
            "本期 {} 至 {}；上期 {} 至 {}；去年同期 {} 至 {}",
            report.period.from,
            report.period.to,
            report.previous.from,
            report.previous.to,
            report.last_year.from,
            report.last_year.to
        ))?;
        s.row += 1;
        let widths = [18.0, 10.0, 9.0, 9.0, 10.0, 9.0, 9.0, 10.0, 11.0, 11.0, 60.0, 22.0];
        let columns: Vec<(&str, f64)> = FIGURE_COLUMNS.iter().copied().zip(widths).collect();
        s.head(&columns)?;
        for line in &report.figures {
            s.text(0, &line.name)?;
            s.value(1, &line.current)?;
            s.value(4, &line.previous)?;
            s.value(7, &line.last_year)?;
            s.text(10, &line.definition)?;
            s.text(11, line.id.code())?;
            s.row += 1;
        }
    }
    {
        let mut s = sheet(&mut workbook, "月度受理量", &f)?;
        s.title(&format!("{} 各渠道月度受理量", report.unit_name))?;
        s.row += 1;
        let mut columns = vec![("月份", 10.0), ("起", 12.0), ("止", 12.0)];
        columns.extend(Channel::ALL.map(|c| (c.label(), 10.0)));
        s.head(&columns)?;
        for month in &report.monthly_intake {
            s.text(0, &month.month)?;
            s.text(1, &month.period.from)?;
            s.text(2, &month.period.to)?;
            for (col, count) in (3u16..).zip(&month.by_channel) {
                s.number(col, f64::from(count.count), None)?;
            }
            s.row += 1;
        }
    }
    workbook_bytes(workbook)
}

/// The columns of a case list: the queue's, one fact a column.
pub const CASE_COLUMNS: [(&str, f64); 16] = [
    ("受理编号", 16.0),
    ("标题", 30.0),
    ("类型", 10.0),
    ("渠道", 8.0),
    ("状态", 18.0),
    ("乡镇（街道）", 12.0),
    ("村（社区）", 12.0),
    ("网格", 16.0),
    ("登记时间", 17.0),
    ("办理期限", 12.0),
    ("期限状态", 10.0),
    ("承办单位", 18.0),
    ("承办部门", 24.0),
    ("包案领导", 12.0),
    ("人数", 6.0),
    ("待回访", 8.0),
];

/// A list of cases as a workbook: a title (what the list is), how many there are, and
/// one row per case with the queue's columns.
pub fn cases_workbook(title: &str, items: &[QueueItem], total: u32, exported_at: &str) -> Result<Vec<u8>, AppError> {
    let f = Formats::new();
    let mut workbook = Workbook::new();
    {
        let mut s = sheet(&mut workbook, "案件清单", &f)?;
        s.ws.set_landscape();
        s.title(title)?;
        let shown = if (items.len() as u32) < total {
            format!("共 {total} 件，仅列出前 {} 件；导出时间 {exported_at}", items.len())
        } else {
            format!("共 {total} 件；导出时间 {exported_at}")
        };
        s.line(&shown)?;
        s.row += 1;
        s.head(&CASE_COLUMNS)?;
        for item in items {
            case_row(&mut s, item)?;
            s.row += 1;
        }
    }
    workbook_bytes(workbook)
}

fn case_row(s: &mut Sheet, item: &QueueItem) -> Result<(), AppError> {
    let urgency = match item.urgency {
        Some(Urgency::Overdue) => "超期",
        Some(Urgency::DueSoon) => "即将到期",
        _ => "",
    };
    let texts = [
        item.tracking_no.as_str(),
        &item.title,
        item.case_type.label(Lang::Zh),
        item.channel.label(),
        item.state.label(Lang::Zh),
        &item.township,
        &item.village,
        item.grid.as_ref().map(|g| g.name.as_str()).unwrap_or_default(),
        &item.submitted_at,
        item.due_on.as_deref().unwrap_or_default(),
        urgency,
        &item.unit,
        &item.departments.join("、"),
        item.leader.as_deref().unwrap_or_default(),
    ];
    for (col, text) in (0u16..).zip(texts) {
        s.text(col, text)?;
    }
    s.number(14, f64::from(item.group_size), None)?;
    s.text(15, if item.open_callback { "是" } else { "" })?;
    Ok(())
}

/// `Content-Disposition` of a download: a plain ASCII name for old clients, and the
/// zh-CN name as `filename*` (RFC 6266 / 5987), which Excel users see.
pub fn content_disposition(ascii_name: &str, name: &str) -> String {
    let ascii: String =
        ascii_name.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", percent_encode(name))
}

/// Every byte but RFC 5987's unreserved characters as `%XX`.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_is_percent_encoded_utf8_beside_an_ascii_one() {
        assert_eq!(
            content_disposition("figures-2026-03.xlsx", "统计 3月.xlsx"),
            "attachment; filename=\"figures-2026-03.xlsx\"; filename*=UTF-8''%E7%BB%9F%E8%AE%A1%203%E6%9C%88.xlsx"
        );
        assert_eq!(content_disposition("a\"b;c.xlsx", "x"), "attachment; filename=\"abc.xlsx\"; filename*=UTF-8''x");
    }
}
