//! Keeping personal data out of logs and stored error texts: an SMTP server's refusal often
//! quotes the recipient (`550 5.1.1 <taro@example.jp>: Recipient address rejected`).

/// `text` with every mail address replaced by `<address>`.
pub fn mail_addresses(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let local = |c: char| c.is_alphanumeric() || "._%+-!#$&'*/=?^`{|}~".contains(c);
    let domain = |c: char| c.is_alphanumeric() || c == '.' || c == '-';
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '@' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let mut start = i;
        while start > 0 && local(chars[start - 1]) {
            start -= 1;
        }
        let mut end = i + 1;
        while end < chars.len() && domain(chars[end]) {
            end += 1;
        }
        let local_len = i - start;
        if local_len == 0 || end == i + 1 {
            out.push('@');
            i += 1;
            continue;
        }
        // The local part was already copied out: take it back.
        for _ in 0..local_len {
            out.pop();
        }
        out.push_str("<address>");
        i = end;
    }
    out
}

/// A recipient as an administrator may see it on a shared screen: enough to tell mails
/// apart and to recognise a mistyped domain, not enough to read the address out.
/// `taro.yamada@example.jp` → `ta***@example.jp`; a local part of one or two characters keeps
/// only its first.
pub fn mask_mail_address(address: &str) -> String {
    let address = address.trim();
    let (local, domain) = match address.rsplit_once('@') {
        Some((local, domain)) => (local, Some(domain)),
        None => (address, None),
    };
    let keep = if local.chars().count() > 2 { 2 } else { 1 };
    let mut out: String = local.chars().take(keep).collect();
    out.push_str("***");
    if let Some(domain) = domain {
        out.push('@');
        out.push_str(domain);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn recipients_are_masked_but_recognisable() {
        assert_eq!(
            mask_mail_address("taro.yamada@example.jp"),
            "ta***@example.jp"
        );
        assert_eq!(mask_mail_address("ab@example.jp"), "a***@example.jp");
        assert_eq!(mask_mail_address("山田太郎@例え.jp"), "山田***@例え.jp");
        assert_eq!(mask_mail_address("not an address"), "no***");
        assert_eq!(mask_mail_address(""), "***");
    }

    #[test]
    fn addresses_in_smtp_replies_are_replaced() {
        assert_eq!(
            mail_addresses("550 5.1.1 <taro.yamada+x@example.co.jp>: Recipient address rejected"),
            "550 5.1.1 <<address>>: Recipient address rejected"
        );
        assert_eq!(
            mail_addresses("to a@b.jp and c_d@e.jp"),
            "to <address> and <address>"
        );
        // Over-redacting is the safe side: letters of any script may be part of an address.
        assert_eq!(mail_addresses("宛先 山田@例え.jp"), "宛先 <address>");
    }

    #[test]
    fn text_without_addresses_is_unchanged() {
        for s in [
            "",
            "connection refused",
            "@ alone",
            "user@",
            "@host",
            "a @ b",
        ] {
            assert_eq!(mail_addresses(s), s);
        }
    }

    proptest! {
        #[test]
        fn no_address_survives(local in "[a-z0-9._+-]{1,20}", host in "[a-z0-9-]{1,10}\\.(jp|com)", noise in "[ -?A-~]{0,30}") {
            let text = format!("{noise} {local}@{host} {noise}");
            let redacted = mail_addresses(&text);
            let needle = format!("{local}@{host}");
            prop_assert!(!redacted.contains(&needle));
            let at_host = format!("@{host}");
            prop_assert!(!redacted.contains(&at_host));
        }
    }
}
