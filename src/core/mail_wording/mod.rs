//! メールの文面: which mails a municipality may word itself, the placeholders each may use
//! (and must keep), the sandboxed check and render of its wording ([`check`]), and the
//! before → after of a change for the audit log ([`diff`]).
//!
//! A municipality words the subject and the plain-text body of a mail; what it does not
//! word stays the shipped template's (`mail_templates/`). The resend of the completion mail
//! (予約照会の「メールを再送」, the console's パスワード再発行) is the completion mail itself,
//! with a new password, so it follows the completion mail's wording.
pub mod check;
pub mod diff;

/// The mails a municipality may word itself. The code is the template's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MailKind {
    Verification,
    BookingConfirmed,
    BookingChanged,
    BookingCancelled,
    /// The reminder (issue 13) of a card-pickup visit.
    Reminder,
    VaccinationVerification,
    VaccinationConfirmed,
    VaccinationChanged,
    VaccinationCancelled,
    VaccinationReminder,
}

/// The service a mail belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MailService {
    CardPickup,
    Vaccination,
}

impl MailService {
    pub const ALL: [MailService; 2] = [MailService::CardPickup, MailService::Vaccination];

    pub fn name(self) -> &'static str {
        match self {
            MailService::CardPickup => "マイナンバーカード受取予約",
            MailService::Vaccination => "ワクチン接種予約",
        }
    }
}

/// A placeholder a mail may use: `{{ name }}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder {
    pub name: &'static str,
    /// What it stands for, in the console's words.
    pub meaning: &'static str,
    /// The body must show it: the mail is useless without it.
    pub required: bool,
}

const fn p(name: &'static str, meaning: &'static str, required: bool) -> Placeholder {
    Placeholder {
        name,
        meaning,
        required,
    }
}

const TENANT_NAME: Placeholder = p("tenant_name", "自治体名", false);
const CONTACT: Placeholder = p(
    "contact",
    "お問い合わせ先(画面の文言の「お問い合わせ先」、メールの言語で。空欄のこともあります)",
    false,
);
const DATE: Placeholder = p("date", "来庁日(曜日付き。例: 12月8日(火))", false);
const TIME: Placeholder = p("time", "来庁時間(例: 10:00〜10:15)", false);
const COUNTER_NAME: Placeholder = p("counter_name", "交付窓口の名前", false);
const COUNTER_ADDRESS: Placeholder = p("counter_address", "交付窓口の住所", false);
const DIRECTIONS: Placeholder = p("directions", "交付窓口への行き方(窓口の設定)", false);
const PEOPLE: Placeholder = p(
    "people",
    "カードを受け取られる方の一覧。{% for p in people %}{{ p.name }} 様(番号1:{{ p.number1 }}){% endfor %} のように使います(p.name は氏名、p.number1 は一部を伏せた番号1)",
    false,
);
const CANCEL_DEADLINE: Placeholder = p("cancel_deadline", "予約の変更・取消しの期限(日時)", false);
const CANCEL_RULE: Placeholder = p(
    "cancel_rule",
    "変更・取消しの期限の決まり(設定のとおり。例: 予約日の3日前まで)",
    false,
);
const CANCEL_DEADLINE_PASSED: Placeholder = p(
    "cancel_deadline_passed",
    "期限を過ぎてから予約したとき真。{% if cancel_deadline_passed %}…{% else %}…{% endif %} のように、ウェブで変更・取消しできないことを伝えるのに使います",
    false,
);

const VERIFICATION: &[Placeholder] = &[
    TENANT_NAME,
    p(
        "link",
        "窓口予約申込画面へ進むURL(1回だけ使えます)。必ず本文に入れてください",
        true,
    ),
    p("expires_at", "URLの有効期限(日時)", false),
    CONTACT,
];

const BOOKING_CONFIRMED: &[Placeholder] = &[
    TENANT_NAME,
    p("receipt_number", "受付番号。必ず本文に入れてください", true),
    p(
        "password",
        "パスワード(予約の照会に使います)。必ず本文に入れてください",
        true,
    ),
    DATE,
    TIME,
    COUNTER_NAME,
    COUNTER_ADDRESS,
    DIRECTIONS,
    PEOPLE,
    p(
        "lookup_url",
        "予約の照会・変更・取消しのページのURL。必ず本文に入れてください",
        true,
    ),
    CANCEL_DEADLINE,
    CANCEL_RULE,
    CANCEL_DEADLINE_PASSED,
    CONTACT,
];

const BOOKING_CHANGED: &[Placeholder] = &[
    TENANT_NAME,
    p(
        "receipt_number",
        "受付番号(変わりません)。必ず本文に入れてください",
        true,
    ),
    p("date", "変更後の来庁日(曜日付き)", false),
    p("time", "変更後の来庁時間", false),
    COUNTER_NAME,
    COUNTER_ADDRESS,
    DIRECTIONS,
    PEOPLE,
    p(
        "lookup_url",
        "予約の照会・変更・取消しのページのURL。必ず本文に入れてください",
        true,
    ),
    CANCEL_DEADLINE,
    CANCEL_RULE,
    CANCEL_DEADLINE_PASSED,
    CONTACT,
];

const BOOKING_CANCELLED: &[Placeholder] = &[
    TENANT_NAME,
    p(
        "receipt_number",
        "取り消した予約の受付番号。必ず本文に入れてください",
        true,
    ),
    p("date", "取り消した予約の来庁日(曜日付き)", false),
    p("time", "取り消した予約の来庁時間", false),
    COUNTER_NAME,
    COUNTER_ADDRESS,
    PEOPLE,
    CONTACT,
];

const REMINDER: &[Placeholder] = &[
    TENANT_NAME,
    p("receipt_number", "受付番号。必ず本文に入れてください", true),
    DATE,
    TIME,
    COUNTER_NAME,
    COUNTER_ADDRESS,
    DIRECTIONS,
    PEOPLE,
    p(
        "lookup_url",
        "予約の照会・変更・取消しのページのURL(パスワードは入りません)。必ず本文に入れてください",
        true,
    ),
    CANCEL_DEADLINE,
    CANCEL_RULE,
    CANCEL_DEADLINE_PASSED,
    CONTACT,
];

// The vaccination mails: a booking is reached by logging in with the ticket (the マイページ),
// so they carry the 予約ID and the マイページ's address, and no password.
const VX_MYPAGE: Placeholder = p(
    "mypage_url",
    "マイページ(ログイン画面)のURL。予約の確認・変更・キャンセルに使います",
    false,
);
const VX_MYPAGE_REQUIRED: Placeholder = p(
    "mypage_url",
    "マイページ(ログイン画面)のURL。予約の確認・変更・キャンセルに使います。必ず本文に入れてください",
    true,
);
const VX_DOSE: Placeholder = p("dose", "接種回(例: 1回目)", false);
const VX_VENUE: Placeholder = p("venue_name", "接種会場の名前", false);
const VX_CALL_CENTRE_NAME: Placeholder = p(
    "call_centre_name",
    "予約相談センターの名前(接種予約の設定)",
    false,
);
const VX_CALL_CENTRE: Placeholder = p(
    "call_centre",
    "予約相談センターの名前・電話番号・受付時間(接種予約の設定)を1行で",
    false,
);

const VX_VERIFICATION: &[Placeholder] = &[
    TENANT_NAME,
    p(
        "link",
        "メールアドレスを確認するページのURL(1回だけ使えます)。必ず本文に入れてください",
        true,
    ),
    p("expires_at", "URLの有効期限(日時)", false),
];

const VX_CONFIRMED: &[Placeholder] = &[
    TENANT_NAME,
    p("person_name", "接種を受ける方の氏名(接種券のとおり)", false),
    p("receipt_number", "予約ID。必ず本文に入れてください", true),
    VX_DOSE,
    p("date", "接種日(曜日付き。例: 12月8日(火))", false),
    p("time", "接種時間(例: 10:00〜10:30)", false),
    VX_VENUE,
    p("venue_address", "接種会場の住所", false),
    p("vaccine", "接種するワクチン(会場の設定)", false),
    p(
        "items",
        "持ち物(接種予約の設定。空欄のこともあります)",
        false,
    ),
    VX_MYPAGE_REQUIRED,
    VX_CALL_CENTRE_NAME,
    VX_CALL_CENTRE,
];

const VX_CHANGED: &[Placeholder] = &[
    TENANT_NAME,
    p(
        "receipt_number",
        "予約ID(変わりません)。必ず本文に入れてください",
        true,
    ),
    VX_DOSE,
    p("before_date", "変更前の接種日(曜日付き)", false),
    p("before_time", "変更前の接種時間", false),
    p("before_venue", "変更前の接種会場", false),
    p("date", "変更後の接種日(曜日付き)", false),
    p("time", "変更後の接種時間", false),
    p("venue_name", "変更後の接種会場", false),
    VX_MYPAGE_REQUIRED,
    VX_CALL_CENTRE_NAME,
    VX_CALL_CENTRE,
];

const VX_CANCELLED: &[Placeholder] = &[
    TENANT_NAME,
    p(
        "receipt_number",
        "キャンセルした予約の予約ID。必ず本文に入れてください",
        true,
    ),
    VX_DOSE,
    p("date", "キャンセルした予約の接種日(曜日付き)", false),
    p("time", "キャンセルした予約の接種時間", false),
    p("venue_name", "キャンセルした予約の接種会場", false),
    VX_MYPAGE,
    VX_CALL_CENTRE_NAME,
    VX_CALL_CENTRE,
];

// The reminder says what the completion mail said of the visit (no more, no less).
const VX_REMINDER: &[Placeholder] = VX_CONFIRMED;

impl MailKind {
    pub const ALL: [MailKind; 10] = [
        MailKind::Verification,
        MailKind::BookingConfirmed,
        MailKind::BookingChanged,
        MailKind::BookingCancelled,
        MailKind::Reminder,
        MailKind::VaccinationVerification,
        MailKind::VaccinationConfirmed,
        MailKind::VaccinationChanged,
        MailKind::VaccinationCancelled,
        MailKind::VaccinationReminder,
    ];

    pub fn service(self) -> MailService {
        match self {
            MailKind::Verification
            | MailKind::BookingConfirmed
            | MailKind::BookingChanged
            | MailKind::BookingCancelled
            | MailKind::Reminder => MailService::CardPickup,
            MailKind::VaccinationVerification
            | MailKind::VaccinationConfirmed
            | MailKind::VaccinationChanged
            | MailKind::VaccinationCancelled
            | MailKind::VaccinationReminder => MailService::Vaccination,
        }
    }

    /// The template's name in `mail_templates/`, and the value stored and put in URLs.
    pub fn code(self) -> &'static str {
        match self {
            MailKind::Verification => "verification",
            MailKind::BookingConfirmed => "booking_confirmed",
            MailKind::BookingChanged => "booking_changed",
            MailKind::BookingCancelled => "booking_cancelled",
            MailKind::Reminder => "reminder",
            MailKind::VaccinationVerification => "vx_verification",
            MailKind::VaccinationConfirmed => "vx_booking_confirmed",
            MailKind::VaccinationChanged => "vx_booking_changed",
            MailKind::VaccinationCancelled => "vx_booking_cancelled",
            MailKind::VaccinationReminder => "vx_reminder",
        }
    }

    pub fn parse(code: &str) -> Option<MailKind> {
        MailKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The mail's name as the manual (seed 004) calls it; the vaccination mails are named
    /// alike (the seeds of vaccination name none), and [`MailKind::service`] tells them apart.
    pub fn title(self) -> &'static str {
        match self {
            MailKind::Verification | MailKind::VaccinationVerification => {
                "連絡先アドレス確認メール"
            }
            MailKind::BookingConfirmed | MailKind::VaccinationConfirmed => "予約完了通知メール",
            MailKind::BookingChanged | MailKind::VaccinationChanged => "予約変更通知メール",
            MailKind::BookingCancelled | MailKind::VaccinationCancelled => "予約取消通知メール",
            // Seed 003: 「予約日前日に…予約確認メッセージが届きます」.
            MailKind::Reminder | MailKind::VaccinationReminder => "予約確認のお知らせメール",
        }
    }

    /// When it goes out.
    pub fn when_sent(self) -> &'static str {
        match self {
            MailKind::Verification => {
                "メールアドレスを入力して[送信する]を押したとき。窓口予約申込画面へ進むURLを送ります。"
            }
            MailKind::BookingConfirmed => {
                "予約が完了したとき(電話予約を含む)。予約照会の「メールを再送」と、職員のパスワード再発行でメールを送るときも、新しいパスワードを入れてこの文面で送ります。"
            }
            MailKind::BookingChanged => "予約の日時を変更したとき(住民・職員のどちらでも)。",
            MailKind::BookingCancelled => "予約を取り消したとき(住民・職員のどちらでも)。",
            MailKind::Reminder | MailKind::VaccinationReminder => {
                "「お知らせメール」に設定した日時(はじめは予約日の前日12時)。取り消した予約には送らず、変更した予約には新しい日時で送ります。"
            }
            MailKind::VaccinationVerification => {
                "連絡先にメールアドレスを入力して[内容確認へ進む]を押したとき。メールアドレスを確認するページのURLを送ります。"
            }
            MailKind::VaccinationConfirmed => {
                "接種の予約が完了したとき(職員の電話予約でメールアドレスを聞いたときを含む)。"
            }
            MailKind::VaccinationChanged => "予約を変更(編集)したとき。",
            MailKind::VaccinationCancelled => {
                "予約をキャンセルしたとき(住民・職員のどちらでも。1回目と一緒にキャンセルした2回目の予約にも送ります)。"
            }
        }
    }

    /// The placeholders this mail may use, in the order the list shows them.
    pub fn placeholders(self) -> &'static [Placeholder] {
        match self {
            MailKind::Verification => VERIFICATION,
            MailKind::BookingConfirmed => BOOKING_CONFIRMED,
            MailKind::BookingChanged => BOOKING_CHANGED,
            MailKind::BookingCancelled => BOOKING_CANCELLED,
            MailKind::Reminder => REMINDER,
            MailKind::VaccinationVerification => VX_VERIFICATION,
            MailKind::VaccinationConfirmed => VX_CONFIRMED,
            MailKind::VaccinationChanged => VX_CHANGED,
            MailKind::VaccinationCancelled => VX_CANCELLED,
            MailKind::VaccinationReminder => VX_REMINDER,
        }
    }

    /// The placeholders the body must show.
    pub fn required(self) -> impl Iterator<Item = &'static Placeholder> {
        self.placeholders().iter().filter(|p| p.required)
    }
}

/// A municipality's wording of one mail in one language: `None` keeps the shipped part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wording {
    pub subject: Option<String>,
    pub body: Option<String>,
}

impl Wording {
    pub fn is_shipped(&self) -> bool {
        self.subject.is_none() && self.body.is_none()
    }
}

/// Text as a textarea sends it (CRLF, trailing blank lines), as it is stored and compared:
/// LF line ends, no trailing spaces at line ends, no blank lines at the end.
pub fn normalise(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = unified.lines().map(str::trim_end).collect();
    lines.join("\n").trim_end_matches('\n').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_every_mail_requires_something() {
        for kind in MailKind::ALL {
            assert_eq!(MailKind::parse(kind.code()), Some(kind));
            assert!(kind.required().count() >= 1, "{kind:?}");
            let names: Vec<&str> = kind.placeholders().iter().map(|p| p.name).collect();
            let mut unique = names.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), names.len(), "{kind:?} lists a name twice");
        }
        assert_eq!(MailKind::parse("booking_confirmed.minato"), None);
        assert_eq!(MailKind::parse("_layout"), None);
    }

    #[test]
    fn the_required_placeholders_are_the_ones_the_mail_cannot_do_without() {
        let required = |k: MailKind| k.required().map(|p| p.name).collect::<Vec<_>>();
        assert_eq!(required(MailKind::Verification), ["link"]);
        assert_eq!(
            required(MailKind::BookingConfirmed),
            ["receipt_number", "password", "lookup_url"]
        );
        assert_eq!(
            required(MailKind::BookingChanged),
            ["receipt_number", "lookup_url"]
        );
        assert_eq!(required(MailKind::BookingCancelled), ["receipt_number"]);
        assert_eq!(required(MailKind::VaccinationVerification), ["link"]);
        assert_eq!(
            required(MailKind::VaccinationConfirmed),
            ["receipt_number", "mypage_url"]
        );
        assert_eq!(
            required(MailKind::VaccinationChanged),
            ["receipt_number", "mypage_url"]
        );
        assert_eq!(required(MailKind::VaccinationCancelled), ["receipt_number"]);
    }

    #[test]
    fn text_from_a_textarea_is_normalised() {
        assert_eq!(normalise("a  \r\nb\r\n\r\n\r\n"), "a\nb");
        assert_eq!(normalise("a\rb\n\n c"), "a\nb\n\n c");
        assert_eq!(normalise(""), "");
    }
}
