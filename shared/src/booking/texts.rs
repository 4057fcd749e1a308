//! The services' texts as data: names, what each is, how long it takes and every paper
//! to bring (一次性告知), in both languages, in the order of `LegalService::ALL`.
//!
//! Names are a table of their own: the resident's booking app shows only the names (the
//! rest reaches it from the server in `ServiceInfo`), and a table it never reads is
//! left out of its download.

use crate::Lang;

/// One text in both languages.
pub(super) struct Text {
    zh: &'static str,
    en: &'static str,
}

impl Text {
    /// The text in this language.
    pub(super) fn pick(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }
}

/// What the app tells about one service besides its name.
pub(super) struct ServiceText {
    /// What the service is, in one sentence.
    pub(super) what: Text,
    /// About how long the appointment takes.
    pub(super) minutes: u32,
    /// Every material to bring (法律援助法 Art.43), the ID first.
    pub(super) materials: &'static [Text],
}

/// The services' names, indexed by `LegalService as usize`.
pub(super) static NAMES: [Text; 4] = [
    Text { zh: "法律咨询", en: "Legal consultation" },
    Text { zh: "代写法律文书", en: "Drafting legal documents" },
    Text { zh: "法律援助申请", en: "Applying for legal aid" },
    Text { zh: "人民调解", en: "People's mediation" },
];

/// Every service asks for the ID.
const ID: Text = Text {
    zh: "本人有效身份证件（身份证、户口簿等）原件",
    en: "Your valid ID (ID card or household register), original",
};

/// The services' texts, indexed by `LegalService as usize`.
pub(super) static SERVICES: [ServiceText; 4] = [
    // Consultation
    ServiceText {
        what: Text {
            zh: "当面解答婚姻家庭、劳动、借贷、邻里、土地等法律问题，免费，任何人都可以预约。",
            en: "Face-to-face answers on family, work, debts, neighbours, land and other legal questions; free and open to everyone.",
        },
        minutes: 30,
        materials: &[
            ID,
            Text {
                zh: "与问题有关的材料：合同、借条、票据、聊天记录、判决书等（原件或复印件）",
                en: "Papers about the question: contracts, IOUs, receipts, chat records, judgments (originals or copies)",
            },
            Text {
                zh: "想问的问题，可事先写成提纲（可选）", en: "Your questions, written down beforehand (optional)"
            },
        ],
    },
    // DocumentDrafting
    ServiceText {
        what: Text {
            zh: "为符合条件的群众免费代写起诉状、答辩状、申请书等法律文书。",
            en: "Free drafting of statements of claim, defences, applications and other legal documents for those who qualify.",
        },
        minutes: 45,
        materials: &[
            ID,
            Text {
                zh: "对方当事人的姓名（名称）、住址和联系方式",
                en: "The other party's name, address and contact details",
            },
            Text {
                zh: "事实经过的书面说明和证据材料（复印件）",
                en: "A written account of the facts and the evidence (copies)",
            },
            Text {
                zh: "您的具体请求（如要求支付的金额）", en: "What exactly you ask for (e.g. the amount claimed)"
            },
        ],
    },
    // LegalAidApplication
    ServiceText {
        what: Text {
            zh: "申请由法律援助机构指派律师免费代理或辩护（《法律援助法》），受理后 7 日内作出决定。",
            en: "Apply for a lawyer assigned free of charge (Legal Aid Law); a decision is made within 7 days.",
        },
        minutes: 60,
        materials: &[
            ID,
            Text {
                zh: "法律援助申请表（可在现场填写）",
                en: "The legal-aid application form (can be filled in on site)",
            },
            Text {
                zh: "经济困难状况说明表，如实说明并作出个人诚信承诺（第四十一条）",
                en: "A statement of your financial situation with a personal pledge of honesty (Art.41)",
            },
            Text {
                zh: "与申请事项有关的证明材料：合同、欠条、工资条、病历、鉴定意见、判决书等",
                en: "Evidence about the matter: contracts, IOUs, pay slips, medical records, expert opinions, judgments",
            },
            Text {
                zh: "免予核查经济困难的，带相应证明：低保证、特困供养证、残疾证、优抚证等（第四十二条）",
                en: "If exempt from the means check: proof such as a subsistence-allowance, disability or veterans' card (Art.42)",
            },
            Text {
                zh: "代为申请的，带代理人身份证件和代理权限证明（如监护关系证明、授权委托书）",
                en: "Applying for someone else: your ID and proof of authority (guardianship papers or a power of attorney)",
            },
        ],
    },
    // Mediation
    ServiceText {
        what: Text {
            zh: "由人民调解员免费调解邻里、婚姻家庭、损害赔偿等民间纠纷，调解协议具有法律约束力。",
            en: "Free mediation of neighbour, family, compensation and other civil disputes; the agreement is legally binding.",
        },
        minutes: 60,
        materials: &[
            ID,
            Text {
                zh: "对方当事人的姓名、住址和联系方式（由调解员通知到场）",
                en: "The other party's name, address and phone (the mediator invites them)",
            },
            Text { zh: "纠纷经过的简要说明", en: "A short account of the dispute" },
            Text {
                zh: "相关证据：合同、欠条、照片、视频、医疗票据等",
                en: "Evidence: contracts, IOUs, photos, videos, medical bills",
            },
        ],
    },
];
