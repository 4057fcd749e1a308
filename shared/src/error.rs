//! Stable error codes with their messages in both UI languages.
//!
//! The server answers every error as `ApiError` JSON with a zh-CN message; the browser
//! re-renders the message from the code when the user has switched to English, so the
//! code is the contract and the message text may improve without breaking anyone.

use crate::Lang;
use serde::{Deserialize, Serialize};

/// Every error the API can answer with, or a form can show next to a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, strum::VariantArray, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    // Field-level codes (appear in `ApiError::fields`).
    Required,
    TooShort,
    TooLong,
    /// A control character (a NUL, an escape…) in a text field.
    InvalidCharacters,
    MobileInvalid,
    IdNumberInvalid,
    IdNumberChecksum,
    DateInvalid,
    DateInFuture,
    TownshipUnknown,
    VillageNotInTownship,
    PrivacyNotAccepted,
    MediationRequired,
    TooManyPhotos,
    PhotoUnknown,
    // Request-level codes.
    ValidationFailed,
    BadRequest,
    PhotoTooLarge,
    PhotoTypeUnsupported,
    IdempotencyKeyMissing,
    IdempotencyKeyReused,
    TrackNotFound,
    TooManyAttempts,
    /// Too many requests from one address (or for one mobile) in a short time.
    RateLimited,
    NotFound,
    Internal,
    Network,
    /// The browser gave up waiting for an answer (a slow network).
    Timeout,
    /// The server (or a proxy before it) cannot take the request now: try again shortly.
    Unavailable,
    /// The request body is larger than the server takes.
    PayloadTooLarge,
    /// The server's storage is full: nothing was saved; try again later.
    StorageFull,
    /// The request conflicts with the data's current state.
    Conflict,
    // Staff console: signing in.
    NotSignedIn,
    SignInFailed,
    Forbidden,
    CsrfFailed,
    UsernameTaken,
    PasswordTooWeak,
    // Staff console: the case workflow.
    TransitionNotAllowed,
    CaseChanged,
    ObjectionWindowClosed,
    ExtensionAlreadyUsed,
    ExtensionTooLong,
    /// The handling time has already run out: an extension would erase the 超期 flag.
    ExtensionTooLate,
    MediationOutcomeRequired,
    ReviewWindowClosed,
    DepartmentUnknown,
    DueDateInvalid,
    GroupSizeInvalid,
    TooManyRepresentatives,
    /// A walk-in's phone is neither a mobile nor a landline with its area code.
    LandlinePhoneInvalid,
    /// A walk-in gave neither a phone nor a postal address for notices.
    ContactMissing,
    /// Reissuing a query code needs the clerk's word that the visitor's identity was checked.
    IdentityNotChecked,
    // Legal-aid booking (residents meet these: zh and en messages).
    TimeInvalid,
    SlotFull,
    AlreadyBookedThatDay,
    BookingTooSoon,
    OutsideBookingWindow,
    PlaceClosed,
    BookingNotFound,
    BookingNotChangeable,
    // Staff console: booking places.
    OutOfRange,
    // Grid lookup (residents meet the first two: zh and en messages).
    LocationOutOfRange,
    GridNotFound,
    // Staff console: grids.
    ImportFailed,
    PhoneInvalid,
    GridWorkerRequired,
    // Staff console: units on levels (issue 12).
    /// The unit is not there, or not below/above the holding unit as the hand-over needs.
    UnitUnknown,
    /// Only the unit holding the case (or a unit above it) acts on it.
    NotHolder,
    /// A unit tree in which a unit would be its own ancestor.
    UnitTreeCycle,
    /// A grid worker's report or a case's grid: not a grid of that place, or no grid there.
    GridUnknown,
    /// 复查 and 复核 are decided by the level above the unit whose answer is contested.
    ReviewByLevelAbove,
    /// 排查: a grid worker writes only for their own grid.
    GridNotYours,
    /// 排查: a risk grade other than 红/黄/绿.
    RiskLevelUnknown,
    // Staff console: text messages.
    /// Only a message that could not be delivered is sent again, to a mobile.
    MessageNotResendable,
    // 补正 (resident's upload page and the console).
    /// Materials are asked for only on an open case without an open request.
    MaterialsNotRequestable,
    /// Nothing is being asked for on this case (or it was already sent).
    MaterialsNotRequested,
}

impl crate::coded::Coded for ErrorCode {
    const ALL: &'static [Self] = <Self as strum::VariantArray>::VARIANTS;
    fn code(self) -> &'static str {
        self.into()
    }
}
crate::deserialize_by_code!(ErrorCode);

impl ErrorCode {
    /// The message for this code; `min`/`max` fill in length limits where the code has them.
    pub fn message(self, lang: Lang, min: Option<u32>, max: Option<u32>) -> String {
        self.resident_message(lang, min, max)
            .or_else(|| self.service_message(lang))
            .unwrap_or_else(|| self.staff_message(min, max))
    }

    /// The message of a code a resident can meet, in their language; None for the
    /// console's own codes (see `staff_message`).
    pub fn resident_message(self, lang: Lang, min: Option<u32>, max: Option<u32>) -> Option<String> {
        let (_, zh, en) = RESIDENT_MESSAGES.iter().find(|(code, ..)| *code == self)?;
        let n = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
        Some(lang.pick(zh, en).replace("{min}", &n(min)).replace("{max}", &n(max)))
    }

    /// Messages of the codes only the booking and grid apps meet, in both languages;
    /// kept apart so that the main resident app does not carry them.
    pub fn service_message(self, lang: Lang) -> Option<String> {
        use ErrorCode::*;
        Some(match (self, lang) {
            (TimeInvalid, Lang::Zh) => "请选择有效的时段".into(),
            (TimeInvalid, Lang::En) => "Choose a valid time slot".into(),
            (SlotFull, Lang::Zh) => "该时段已约满，请选择其他时段或登记候补".into(),
            (SlotFull, Lang::En) => "This slot is full; choose another or join the waiting list".into(),
            (AlreadyBookedThatDay, Lang::Zh) => "该手机号当天已约过此项服务（含候补），每项服务每天限约一次".into(),
            (AlreadyBookedThatDay, Lang::En) => {
                "This mobile already has a booking (or waiting-list place) for this service that day".into()
            }
            (BookingTooSoon, Lang::Zh) => "该时段即将开始或已过，已不能预约，请选择稍晚的时段".into(),
            (BookingTooSoon, Lang::En) => "This slot starts too soon or has passed; choose a later one".into(),
            (OutsideBookingWindow, Lang::Zh) => "只能预约可预约期限内的日期".into(),
            (OutsideBookingWindow, Lang::En) => "That date is outside the days open for booking".into(),
            (PlaceClosed, Lang::Zh) => "该日不办公，请选择其他日期".into(),
            (PlaceClosed, Lang::En) => "The office is closed that day; choose another date".into(),
            (BookingNotFound, Lang::Zh) => "预约码或手机号不正确".into(),
            (BookingNotFound, Lang::En) => "The booking code or mobile number is wrong".into(),
            (BookingNotChangeable, Lang::Zh) => "该预约已取消、已签到或已过时间，不能再更改".into(),
            (BookingNotChangeable, Lang::En) => {
                "This booking is cancelled, checked in or past, and can no longer be changed".into()
            }
            (LocationOutOfRange, Lang::Zh) => "位置不在服务范围内，请改用选择乡镇、村或输入地址查找".into(),
            (LocationOutOfRange, Lang::En) => {
                "That location is outside the service area; pick your township and village or type an address".into()
            }
            (GridNotFound, Lang::Zh) => "找不到该网格".into(),
            (GridNotFound, Lang::En) => "Grid not found".into(),
            _ => return None,
        })
    }

    /// The console's own codes: staff read zh-CN only, and keeping these out of
    /// `resident_message` keeps them out of residents' download.
    pub fn staff_message(self, min: Option<u32>, max: Option<u32>) -> String {
        use ErrorCode::*;
        let n = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
        match self {
            NotSignedIn => "请先登录".into(),
            SignInFailed => "用户名或密码不正确".into(),
            Forbidden => "您的岗位无权进行此操作".into(),
            CsrfFailed => "页面已过期，请刷新后重试".into(),
            UsernameTaken => "该用户名已被使用".into(),
            PasswordTooWeak => format!("密码至少 {} 位，且不能与用户名相同", n(min)),
            TransitionNotAllowed => "案件当前状态下不能进行此操作".into(),
            CaseChanged => "案件已被他人更新，请刷新后再操作".into(),
            ObjectionWindowClosed => "已超过5个工作日的异议期限".into(),
            ExtensionAlreadyUsed => "办理期限只能延长一次".into(),
            ExtensionTooLate => "办理期限已过，不能再延期".into(),
            ExtensionTooLong => format!("延期为 1 至 {} 日", n(max)),
            MediationOutcomeRequired => "矛盾纠纷须先登记调解结果".into(),
            ReviewWindowClosed => "已超过答复后30日的复查申请期限".into(),
            DepartmentUnknown => "请选择承办部门".into(),
            DueDateInvalid => "办理期限须在今天之后、法定期限之内".into(),
            GroupSizeInvalid => "来访人数应为 1 至 999".into(),
            TooManyRepresentatives => format!("集体访最多推选 {} 名代表", n(max)),
            LandlinePhoneInvalid => {
                "请输入手机号，或带区号的固定电话（如 0851-12345678，分机写在后面：0851-12345678-801）".into()
            }
            ContactMissing => "没有电话时，请填写接收书面告知的通信地址".into(),
            IdentityNotChecked => "请先在窗口核对来访人身份证件，并勾选确认".into(),
            OutOfRange => format!("应在 {} 至 {} 之间", n(min), n(max)),
            ImportFailed => "导入文件有误，未导入任何内容；请按提示修改后重新导入".into(),
            PhoneInvalid => "请输入手机号、座机号（如 0851-12345678）或服务热线".into(),
            GridWorkerRequired => "每个网格至少要有一名网格员".into(),
            UnitUnknown => "接收单位不存在，或不是本单位的下级（交办、下派）或上级（上报）".into(),
            NotHolder => "该诉求不在本单位办理，请由承办单位或其上级单位操作".into(),
            ReviewByLevelAbove => {
                "复查由作出答复单位的上一级单位办理，复核由复查单位的上一级单位办理（《信访工作条例》第三十五、三十六条）".into()
            }
            UnitTreeCycle => "单位层级有误：单位不能成为自己的上级".into(),
            GridNotYours => "只能登记本人负责网格的排查情况".into(),
            RiskLevelUnknown => "风险等级只能是红、黄、绿之一".into(),
            GridUnknown => "所选位置不在任何网格内，或网格不属于所选村（社区）；请重新定位或选择网格".into(),
            MessageNotResendable => "只有发送失败的短信可以重发，且须有手机号".into(),
            MaterialsNotRequestable => "只能在办理中的案件上补正，且上一次补正尚未答复时不能再次要求".into(),
            MaterialsNotRequested => "本件诉求目前不需要补充材料".into(),
            Conflict => "内容已被他人更改，请刷新后重试".into(),
            _ => self.resident_message(crate::Lang::Zh, min, max).unwrap_or_default(),
        }
    }
}

/// One problem with one field of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's name as in the request body, e.g. `mobile` or `contact.mobile`.
    pub field: String,
    pub code: ErrorCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    /// The zh-CN message, filled in by `ApiError::validation` for API clients;
    /// the browser app renders its own from the code in the user's language.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

impl FieldError {
    /// A field error without limits.
    pub fn new(field: &str, code: ErrorCode) -> Self {
        FieldError { field: field.into(), code, min: None, max: None, message: String::new() }
    }

    /// The message to show next to the field.
    pub fn message(&self, lang: Lang) -> String {
        self.code.message(lang, self.min, self.max)
    }
}

/// The body of every error response: `{code, message, fields}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: ErrorCode,
    /// A zh-CN message for the user.
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// With `IDEMPOTENCY_KEY_REUSED`: the receipt of the case this key already made.
    /// Only the device that generated the (random, 122-bit) key can hold it, so it is
    /// that device's own earlier submission whose answer it lost; showing the receipt
    /// again keeps the resident from filing a duplicate or losing the query code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<Box<crate::dto::Receipt>>,
    /// With `SLOT_FULL`: the nearest free slots of the same place (up to 5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<crate::booking::SlotRef>,
}

impl ApiError {
    /// An error with its zh-CN message.
    pub fn new(code: ErrorCode) -> Self {
        ApiError {
            code,
            message: code.message(Lang::Zh, None, None),
            fields: Vec::new(),
            receipt: None,
            alternatives: Vec::new(),
        }
    }

    /// An error with no message text: for the browser app, which renders messages
    /// from the code in the user's language (and so needs none of the texts here).
    pub fn bare(code: ErrorCode) -> Self {
        ApiError { code, message: String::new(), fields: Vec::new(), receipt: None, alternatives: Vec::new() }
    }

    /// A validation failure listing every bad field at once (一次性告知).
    pub fn validation(mut fields: Vec<FieldError>) -> Self {
        for field in &mut fields {
            field.message = field.message(Lang::Zh);
        }
        ApiError { fields, ..ApiError::new(ErrorCode::ValidationFailed) }
    }
}

/// The codes a resident can meet, with their zh-CN and English messages; `{min}` and
/// `{max}` stand for a length limit. A table, not a `match`: it is in every resident's
/// download, where text costs bytes and each arm code.
const RESIDENT_MESSAGES: &[(ErrorCode, &str, &str)] = {
    use ErrorCode::*;
    &[
        (Required, "此项必填", "This field is required"),
        (TooShort, "至少需要 {min} 个字", "At least {min} characters"),
        (TooLong, "最多 {max} 个字", "At most {max} characters"),
        (
            InvalidCharacters,
            "含有无法识别的字符，请删除后重新输入",
            "Contains characters that cannot be used; delete them and retype",
        ),
        (
            MobileInvalid,
            "请输入 11 位中国大陆手机号码，如 13812345678",
            "Enter an 11-digit mainland China mobile number, e.g. 13812345678",
        ),
        (
            IdNumberInvalid,
            "身份证号码应为 18 位（最后一位可以是 X），出生日期须有效",
            "An ID number has 18 characters (the last may be X) with a valid birth date",
        ),
        (IdNumberChecksum, "身份证号码校验位不正确，请核对", "The ID number's check digit is wrong; please check it"),
        (DateInvalid, "请选择有效日期", "Choose a valid date"),
        (DateInFuture, "发生时间不能晚于今天", "The date cannot be after today"),
        (TownshipUnknown, "请选择乡镇（街道）", "Choose a township or street"),
        (VillageNotInTownship, "请选择所选乡镇下的村（社区）", "Choose a village or community of that township"),
        (PrivacyNotAccepted, "请阅读并同意个人信息告知", "Please read and accept the personal-information notice"),
        (MediationRequired, "请选择对方是否愿意调解", "Say whether the other party is willing to mediate"),
        (TooManyPhotos, "最多上传 {max} 张照片", "At most {max} photos"),
        (PhotoUnknown, "照片未上传成功，请重新添加", "A photo did not upload; please add it again"),
        (ValidationFailed, "填写的内容有误，请按提示修改", "Some entries need correcting; see the messages"),
        (BadRequest, "请求格式不正确", "The request is malformed"),
        (PhotoTooLarge, "照片不能超过 5 MB", "A photo may be at most 5 MB"),
        (PhotoTypeUnsupported, "只能上传 JPEG、PNG 或 WebP 格式的照片", "Only JPEG, PNG or WebP photos"),
        (
            IdempotencyKeyMissing,
            "缺少提交编号（Idempotency-Key），请刷新页面后重试",
            "Missing submission key (Idempotency-Key); reload and try again",
        ),
        (
            IdempotencyKeyReused,
            "您此前已提交成功，以下是那次提交的回执；如需反映新的事项，请重新填写",
            "You already submitted this; here is that receipt. To report something new, start a new form",
        ),
        (TrackNotFound, "受理编号或查询码不正确", "The tracking number or query code is wrong"),
        (TooManyAttempts, "尝试次数过多，请稍后再试", "Too many attempts; please try again later"),
        (
            RateLimited,
            "操作过于频繁，请稍后再试；您填写的内容已保留",
            "Too many requests; please wait a moment and retry. Your entries are kept",
        ),
        (NotFound, "找不到该内容", "Not found"),
        (
            Internal,
            "系统繁忙，请稍后再试；您填写的内容已保留",
            "The system is busy; try again later. Your entries are kept",
        ),
        (
            Network,
            "网络连接失败，请检查网络后重试；您填写的内容已保留",
            "No connection; check your network and retry. Your entries are kept",
        ),
        (
            Timeout,
            "网络较慢，等待超时，请稍后重试；您填写的内容已保留",
            "The network is slow and the request timed out; retry later. Your entries are kept",
        ),
        (
            Unavailable,
            "系统繁忙，请稍后再试；您填写的内容已保留",
            "The service is busy; try again shortly. Your entries are kept",
        ),
        (
            StorageFull,
            "服务器存储空间已满，本次未能保存；您填写的内容已保留，请稍后再试",
            "The server's storage is full and nothing was saved; your entries are kept, please retry later",
        ),
        (PayloadTooLarge, "提交的内容过大", "What was sent is too large"),
    ]
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_residents_message_fills_in_its_limits() {
        assert_eq!(ErrorCode::TooShort.resident_message(Lang::Zh, Some(5), None).unwrap(), "至少需要 5 个字");
        assert_eq!(ErrorCode::TooLong.resident_message(Lang::En, None, Some(200)).unwrap(), "At most 200 characters");
        assert_eq!(ErrorCode::Required.resident_message(Lang::Zh, None, None).unwrap(), "此项必填");
        // A console-only code is not in the resident's table.
        assert_eq!(ErrorCode::CsrfFailed.resident_message(Lang::Zh, None, None), None);
    }
}
