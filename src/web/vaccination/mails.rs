//! The vaccination completion mail, queued through the outbox with the booking (as card
//! pickup's mails are): what was booked, where, what to bring, and whom to call. It carries
//! no password: the booking is reached by logging in with the ticket.
use crate::core::receipt;
use crate::db::outbox::OutgoingMail;
use crate::db::tenants::Tenant;
use crate::db::vaccination::Settings;
use crate::i18n::{self, Lang, Msg};

pub struct Facts<'a> {
    pub receipt_number: &'a str,
    pub person_name: &'a str,
    pub dose_label: &'a str,
    pub day: time::Date,
    pub start_min: i32,
    pub end_min: i32,
    pub venue: &'a str,
    pub address: &'a str,
    pub vaccine: &'a str,
}

pub fn completion(
    tenant: &Tenant,
    settings: &Settings,
    public_url: &str,
    facts: &Facts<'_>,
    to: &str,
    lang: Lang,
) -> OutgoingMail {
    let t = |id: &'static str| Msg::new(id).resolve(lang);
    let mut text = String::new();
    text.push_str(
        &Msg::new("vx-mail-greeting")
            .arg("name", facts.person_name)
            .resolve(lang),
    );
    text.push_str("\n\n");
    text.push_str(&t("vx-mail-intro"));
    text.push_str("\n\n");
    let line = |label: &'static str, value: &str| format!("{}: {}\n", t(label), value);
    text.push_str(&line(
        "vx-booking-id",
        &receipt::format_receipt(facts.receipt_number),
    ));
    text.push_str(&line("vx-dose", facts.dose_label));
    text.push_str(&line(
        "vx-booking-date",
        &format!(
            "{} {}",
            i18n::date_with_weekday(lang, facts.day),
            i18n::time_range(lang, facts.start_min, facts.end_min)
        ),
    ));
    text.push_str(&line("vx-venue", facts.venue));
    if !facts.address.is_empty() {
        text.push_str(&line("vx-address", facts.address));
    }
    text.push_str(&line("vx-vaccine", facts.vaccine));
    let items = settings.text(lang, &settings.items_ja, &settings.items_en);
    if !items.is_empty() {
        text.push_str(&format!("\n{}\n{}\n", t("vx-items"), items));
    }
    text.push_str(&format!(
        "\n{}\n{}/t/{}/vaccination/\n",
        t("vx-mail-mypage"),
        public_url.trim_end_matches('/'),
        tenant.slug
    ));
    text.push_str(&format!(
        "\n{}\n{} {} {}\n",
        t("vx-call-centre"),
        settings.call_centre_name,
        settings.call_centre_phone,
        settings.call_centre_hours
    ));
    OutgoingMail {
        to: to.to_string(),
        subject: Msg::new("vx-mail-subject")
            .arg("tenant", tenant.name.as_str())
            .resolve(lang),
        text,
        html: None,
        ics: None,
        inline_png: None,
    }
}

/// A booking's move (編集), for [`changed`]: dates, times and venues as the mail shows them.
pub struct Change<'a> {
    pub receipt_number: &'a str,
    pub dose_label: &'a str,
    /// (date, time, venue) before and after.
    pub before: (&'a str, &'a str, &'a str),
    pub after: (&'a str, &'a str, &'a str),
}

/// 【予約変更通知メール】: the booking's 予約ID (unchanged), its time and venue before and
/// after, the マイページ and whom to call if the resident did not make the change.
pub fn changed(
    tenant: &Tenant,
    settings: &Settings,
    public_url: &str,
    change: &Change<'_>,
    to: &str,
    lang: Lang,
) -> OutgoingMail {
    let when = |(date, time, venue): (&str, &str, &str)| format!("{date} {time}\n{venue}");
    let text = Msg::new("vx-mail-changed-body")
        .arg("tenant", tenant.name.as_str())
        .arg("receipt", receipt::format_receipt(change.receipt_number))
        .arg("dose", change.dose_label)
        .arg("before", when(change.before))
        .arg("after", when(change.after))
        .arg(
            "mypage",
            format!(
                "{}/t/{}/vaccination/",
                public_url.trim_end_matches('/'),
                tenant.slug
            ),
        )
        .arg(
            "call_centre",
            format!(
                "{} {} {}",
                settings.call_centre_name, settings.call_centre_phone, settings.call_centre_hours
            ),
        )
        .resolve(lang);
    OutgoingMail {
        to: to.to_string(),
        subject: Msg::new("vx-mail-changed-subject")
            .arg("tenant", tenant.name.as_str())
            .resolve(lang),
        text,
        html: None,
        ics: None,
        inline_png: None,
    }
}

/// The address check of 連絡先 (`web::vaccination::verify`): the link to open and until
/// when. It names no person, venue or day: it goes to an address not yet shown to be
/// the resident's.
pub fn verification(
    tenant: &Tenant,
    to: &str,
    link: &str,
    expires_at: i64,
    lang: Lang,
) -> OutgoingMail {
    OutgoingMail {
        to: to.to_string(),
        subject: Msg::new("vx-verify-mail-subject")
            .arg("tenant", tenant.name.as_str())
            .resolve(lang),
        text: Msg::new("vx-verify-mail-body")
            .arg("tenant", tenant.name.as_str())
            .arg("link", link)
            .arg(
                "until",
                i18n::date_time(lang, crate::core::deadline::jst_from_unix(expires_at)),
            )
            .resolve(lang),
        html: None,
        ics: None,
        inline_png: None,
    }
}
