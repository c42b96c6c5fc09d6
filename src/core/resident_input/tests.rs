//! What the readers accept and refuse, example by example.
use super::*;
use time::Date;
use time::macros::date;

pub(super) const TODAY: Date = date!(2026 - 06 - 01);

fn birthdate(input: &str) -> Result<Date, BirthdateError> {
    parse_birthdate(input, TODAY)
}

fn number_1() -> NumberFormat {
    NumberFormat::notice_number_1()
}

// --- notice numbers --------------------------------------------------------

#[test]
fn folding_removes_widths_spaces_and_every_dash() {
    assert_eq!(fold_number_input("ａｂ１－２３４５６７"), "AB1234567");
    assert_eq!(fold_number_input(" ab1\u{3000}234 567 "), "AB1234567");
    for dash in [
        '-', '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2015}', '\u{2212}',
        'ー', 'ｰ', '－', '\u{FE63}', '\u{2043}', '\u{00AD}', '\u{2500}',
    ] {
        assert_eq!(
            fold_number_input(&format!("ab1{dash}234567")),
            "AB1234567",
            "{dash:?}"
        );
    }
    assert_eq!(fold_number_input("AB1\u{200B}234567"), "AB1234567");
}

#[test]
fn folding_composes_marks_freed_by_removed_separators() {
    // Once the hyphen is gone the acute accent follows the A and NFKC composes them.
    assert_eq!(fold_number_input("a-\u{301}"), "\u{C1}");
    assert_eq!(fold_number_input("\u{C1}"), "\u{C1}");
}

#[test]
fn folding_upper_cases_ascii_only() {
    assert_eq!(fold_number_input("ß"), "ß");
    assert_eq!(fold_number_input("ｘｙｚ"), "XYZ");
}

#[test]
fn pattern_parsing_rejects_bad_patterns() {
    assert_eq!(NumberFormat::parse("").unwrap_err(), "番号の書式が空です。");
    assert_eq!(
        NumberFormat::parse("-AAA").unwrap_err(),
        "番号の書式「-AAA」の先頭と末尾にはハイフンを置けません。"
    );
    assert!(NumberFormat::parse("AAA-").is_err());
    assert_eq!(
        NumberFormat::parse("AA--99").unwrap_err(),
        "番号の書式「AA--99」でハイフンが続いています。"
    );
    assert_eq!(
        NumberFormat::parse("AAZ").unwrap_err(),
        "番号の書式「AAZ」に使えない文字「Z」があります。使えるのは A(英数字)・9(数字)・X(英字)・-(ハイフン)です。"
    );
    assert!(NumberFormat::parse("aaa").is_err());
}

#[test]
fn default_formats() {
    assert_eq!(number_1().len(), 9);
    assert_eq!(number_1().pattern(), "AAA-999999");
    assert_eq!(NumberFormat::notice_number_2().len(), 18);
}

#[test]
fn display_puts_back_the_printed_hyphens() {
    assert_eq!(number_1().display("AB1234567"), "AB1-234567");
    let three_groups = NumberFormat::parse("XX-9999-A").unwrap();
    assert_eq!(three_groups.display("AB12345"), "AB-1234-5");
    assert_eq!(number_1().display("AB12"), "AB12");
    assert_eq!(
        NumberFormat::notice_number_2().display("ABCDEFGHIJ12345678"),
        "ABCDEFGHIJ12345678"
    );
}

#[test]
fn describe_explains_the_format() {
    assert_eq!(
        number_1().describe(),
        "英数字3桁と数字6桁(計9桁)。ハガキに印字されたハイフン(-)は入力不要です。"
    );
    assert_eq!(NumberFormat::notice_number_2().describe(), "英数字18桁。");
    assert_eq!(
        NumberFormat::parse("XX-9999-A").unwrap().describe(),
        "英字2桁、数字4桁、英数字1桁(計7桁)。ハガキに印字されたハイフン(-)は入力不要です。"
    );
    assert_eq!(
        NumberFormat::parse("999-9999").unwrap().describe(),
        "数字7桁。ハガキに印字されたハイフン(-)は入力不要です。"
    );
}

#[test]
fn parse_number_accepts_what_residents_type() {
    let format = number_1();
    for typed in [
        "AB1234567",
        "ab1234567",
        "AB1-234567",
        "ＡＢ１－２３４５６７",
        "ａｂ１ー２３４５６７",
        " AB1 234567 ",
        "AB1\u{2212}234567",
        "ab1\u{3000}234567",
    ] {
        assert_eq!(
            format.parse_number("番号1", typed).as_deref(),
            Ok("AB1234567"),
            "{typed}"
        );
    }
}

#[test]
fn parse_number_empty() {
    let err = number_1().parse_number("番号1", " \u{3000}-").unwrap_err();
    assert_eq!(
        err,
        NumberError::Empty {
            label: "番号1".to_string()
        }
    );
    assert_eq!(err.message(), "番号1を入力してください。");
}

#[test]
fn parse_number_wrong_length() {
    let err = number_1().parse_number("番号1", "AB123456").unwrap_err();
    assert_eq!(
        err,
        NumberError::WrongLength {
            label: "番号1".to_string(),
            kind: CharKind::Alphanumeric,
            expected: 9,
            got: 8
        }
    );
    assert_eq!(
        err.message(),
        "番号1は英数字9桁で入力してください(入力されたのは8桁です)。"
    );
}

#[test]
fn parse_number_wrong_character_points_at_the_position_without_correcting() {
    let err = number_1().parse_number("番号1", "AB1O34567").unwrap_err();
    assert_eq!(
        err,
        NumberError::WrongCharacter {
            label: "番号1".to_string(),
            position: 4,
            expected: CharKind::Digit,
            found: 'O'
        }
    );
    assert_eq!(
        err.message(),
        "番号1の4桁目は数字です(「O」が入力されています)。英字の「O(オー)」ではなく数字の「0(ゼロ)」ではありませんか。"
    );
    let letters = NumberFormat::parse("XX99").unwrap();
    assert_eq!(
        letters.parse_number("番号", "A012").unwrap_err().message(),
        "番号の2桁目は英字です(「0」が入力されています)。数字の「0(ゼロ)」ではなく英字の「O(オー)」ではありませんか。"
    );
    assert_eq!(
        number_1()
            .parse_number("番号1", "ABCD34567")
            .unwrap_err()
            .message(),
        "番号1の4桁目は数字です(「D」が入力されています)。"
    );
}

#[test]
fn parse_number_unusable_character() {
    let err = number_1().parse_number("番号1", "AB1あ34567").unwrap_err();
    assert_eq!(
        err.message(),
        "番号1に使えない文字「あ」が含まれています。英数字で入力してください。"
    );
    let digits_only = NumberFormat::parse("9999").unwrap();
    assert_eq!(
        digits_only
            .parse_number("番号", "12A4")
            .unwrap_err()
            .message(),
        "番号に使えない文字「A」が含まれています。数字で入力してください。"
    );
    assert_eq!(
        digits_only
            .parse_number("番号", "12\u{7}4")
            .unwrap_err()
            .message(),
        "番号に使えない文字が含まれています。数字で入力してください。"
    );
}

// --- eras and dates -------------------------------------------------------

#[test]
fn era_boundaries() {
    assert_eq!(Era::Taisho.first_day(), date!(1912 - 07 - 30));
    assert_eq!(Era::Meiji.last_day(), Some(date!(1912 - 07 - 29)));
    assert_eq!(Era::Taisho.last_day(), Some(date!(1926 - 12 - 24)));
    assert_eq!(Era::Showa.last_day(), Some(date!(1989 - 01 - 07)));
    assert_eq!(Era::Heisei.last_day(), Some(date!(2019 - 04 - 30)));
    assert_eq!(Era::Reiwa.last_day(), None);
    assert_eq!(Era::Showa.name(), "昭和");
}

#[test]
fn era_of_known_days() {
    assert_eq!(era_of(date!(1972 - 04 - 15)), Some((Era::Showa, 47)));
    assert_eq!(era_of(date!(1989 - 01 - 07)), Some((Era::Showa, 64)));
    assert_eq!(era_of(date!(1989 - 01 - 08)), Some((Era::Heisei, 1)));
    assert_eq!(era_of(date!(2019 - 04 - 30)), Some((Era::Heisei, 31)));
    assert_eq!(era_of(date!(2019 - 05 - 01)), Some((Era::Reiwa, 1)));
    assert_eq!(era_of(date!(1926 - 12 - 24)), Some((Era::Taisho, 15)));
    assert_eq!(era_of(date!(1900 - 01 - 01)), Some((Era::Meiji, 33)));
    assert_eq!(era_of(date!(1868 - 01 - 24)), None);
}

#[test]
fn birthdate_accepts_every_documented_shape() {
    let cases = [
        ("19720415", date!(1972 - 04 - 15)),
        ("1972/4/15", date!(1972 - 04 - 15)),
        ("1972-04-15", date!(1972 - 04 - 15)),
        ("1972.4.15", date!(1972 - 04 - 15)),
        ("1972年4月15日", date!(1972 - 04 - 15)),
        ("昭和47年4月15日", date!(1972 - 04 - 15)),
        ("昭和47/4/15", date!(1972 - 04 - 15)),
        ("S47.4.15", date!(1972 - 04 - 15)),
        ("s47/04/15", date!(1972 - 04 - 15)),
        ("平成元年1月8日", date!(1989 - 01 - 08)),
        ("H1.1.8", date!(1989 - 01 - 08)),
        ("H元.1.8", date!(1989 - 01 - 08)),
        ("R2.1.1", date!(2020 - 01 - 01)),
        ("令和2年1月1日", date!(2020 - 01 - 01)),
        ("大正15年12月24日", date!(1926 - 12 - 24)),
        ("明治33年1月1日", date!(1900 - 01 - 01)),
        ("M45.7.29", date!(1912 - 07 - 29)),
        ("T1.7.30", date!(1912 - 07 - 30)),
        ("１９７２０４１５", date!(1972 - 04 - 15)),
        ("１９７２／４／１５", date!(1972 - 04 - 15)),
        ("１９７２－０４－１５", date!(1972 - 04 - 15)),
        ("１９７２．４．１５", date!(1972 - 04 - 15)),
        ("１９７２年４月１５日", date!(1972 - 04 - 15)),
        ("昭和４７年４月１５日", date!(1972 - 04 - 15)),
        ("Ｓ４７．４．１５", date!(1972 - 04 - 15)),
        ("ｓ４７／０４／１５", date!(1972 - 04 - 15)),
        ("Ｈ１．１．８", date!(1989 - 01 - 08)),
        ("㍼47年4月15日", date!(1972 - 04 - 15)),
        ("\u{3000} 1972年4月15日 \u{3000}", date!(1972 - 04 - 15)),
        ("1972年 4月 15日", date!(1972 - 04 - 15)),
        ("1972ー4ー15", date!(1972 - 04 - 15)),
        ("1972\u{2212}4\u{2212}15", date!(1972 - 04 - 15)),
        ("西暦1972年4月15日", date!(1972 - 04 - 15)),
        ("S 47 4 15", date!(1972 - 04 - 15)),
    ];
    for (typed, expected) in cases {
        assert_eq!(birthdate(typed), Ok(expected), "{typed}");
    }
}

#[test]
fn birthdate_outside_its_era_says_where_the_era_ends() {
    let err = birthdate("昭和64年2月1日").unwrap_err();
    assert_eq!(err, BirthdateError::AfterEraEnd { era: Era::Showa });
    assert_eq!(
        err.message(),
        "昭和64年は1月7日までです。1月8日からは平成元年です。"
    );
    assert_eq!(
        birthdate("平成31年5月1日").unwrap_err().message(),
        "平成31年は4月30日までです。5月1日からは令和元年です。"
    );
    assert_eq!(
        birthdate("大正15年12月25日").unwrap_err().message(),
        "大正15年は12月24日までです。12月25日からは昭和元年です。"
    );
    assert_eq!(
        birthdate("平成元年1月7日").unwrap_err().message(),
        "平成元年は1月8日からです。1月7日までは昭和64年です。"
    );
    assert_eq!(
        birthdate("令和元年4月30日").unwrap_err(),
        BirthdateError::BeforeEraStart { era: Era::Reiwa }
    );
    let too_large = birthdate("昭和70年1月1日").unwrap_err();
    assert_eq!(
        too_large,
        BirthdateError::EraYearTooLarge { era: Era::Showa }
    );
    assert_eq!(too_large.message(), "昭和は64年(1989年)までです。");
    assert_eq!(
        birthdate("S1972.4.15").unwrap_err().message(),
        "昭和は64年(1989年)までです。"
    );
    assert_eq!(birthdate("昭和64年1月7日"), Ok(date!(1989 - 01 - 07)));
    assert_eq!(birthdate("平成31年4月30日"), Ok(date!(2019 - 04 - 30)));
}

#[test]
fn birthdate_errors() {
    assert_eq!(
        birthdate("").unwrap_err().message(),
        "誕生日を入力してください。"
    );
    assert_eq!(birthdate(" \u{3000}").unwrap_err(), BirthdateError::Empty);
    let unrecognized = "誕生日は「19720415」または「昭和47年4月15日」のように入力してください。";
    for typed in [
        "72/4/15",
        "4/15/1972",
        "720415",
        "1972年4月",
        "April 15 1972",
        "昭和47年",
        "1972年4月15日生まれ",
        "19720415x",
        "S470415",
    ] {
        assert_eq!(
            birthdate(typed).unwrap_err().message(),
            unrecognized,
            "{typed}"
        );
    }
    assert_eq!(
        birthdate("1972年2月30日").unwrap_err().message(),
        "存在しない日付です。"
    );
    assert_eq!(
        birthdate("19721301").unwrap_err(),
        BirthdateError::NoSuchDate
    );
    assert_eq!(
        birthdate("1972/4/0").unwrap_err(),
        BirthdateError::NoSuchDate
    );
    assert_eq!(
        birthdate("昭和0年4月15日").unwrap_err(),
        BirthdateError::NoSuchDate
    );
    assert_eq!(
        birthdate("2023/2/29").unwrap_err(),
        BirthdateError::NoSuchDate
    );
    assert_eq!(birthdate("2024/2/29"), Ok(date!(2024 - 02 - 29)));
    assert_eq!(
        birthdate("2026/6/2").unwrap_err().message(),
        "未来の日付は入力できません。"
    );
    assert_eq!(birthdate("2026/6/1"), Ok(TODAY));
    assert_eq!(
        birthdate("令和9999年1月1日").unwrap_err(),
        BirthdateError::InFuture
    );
    assert_eq!(
        birthdate("1899/12/31").unwrap_err().message(),
        "1900年1月1日より前の日付は入力できません。"
    );
    assert_eq!(
        birthdate("明治元年1月1日").unwrap_err(),
        BirthdateError::TooEarly
    );
}

#[test]
fn birthdate_from_three_fields() {
    assert_eq!(
        birthdate_from_parts("1972", "4", "15", TODAY),
        Ok(date!(1972 - 04 - 15))
    );
    assert_eq!(
        birthdate_from_parts("１９７２", "０４", "１５", TODAY),
        Ok(date!(1972 - 04 - 15))
    );
    assert_eq!(
        birthdate_from_parts("1972年", "4月", "15日", TODAY),
        Ok(date!(1972 - 04 - 15))
    );
    assert_eq!(
        birthdate_from_parts("", "4", "15", TODAY)
            .unwrap_err()
            .message(),
        "誕生日の年を入力してください。"
    );
    assert_eq!(
        birthdate_from_parts("1972", " ", "15", TODAY).unwrap_err(),
        BirthdateError::MissingPart(DatePart::Month)
    );
    assert_eq!(
        birthdate_from_parts("47", "4", "15", TODAY)
            .unwrap_err()
            .message(),
        "誕生日の年は西暦4桁(例: 1972)で入力してください。"
    );
    assert_eq!(
        birthdate_from_parts("1972", "13", "1", TODAY)
            .unwrap_err()
            .message(),
        "誕生日の月は1から12までの数字で入力してください。"
    );
    assert_eq!(
        birthdate_from_parts("1972", "4", "32", TODAY)
            .unwrap_err()
            .message(),
        "誕生日の日は1から31までの数字で入力してください。"
    );
    assert_eq!(
        birthdate_from_parts("1972", "2", "30", TODAY).unwrap_err(),
        BirthdateError::NoSuchDate
    );
    assert_eq!(
        birthdate_from_parts("2030", "1", "1", TODAY).unwrap_err(),
        BirthdateError::InFuture
    );
    assert_eq!(
        birthdate_from_parts("1899", "1", "1", TODAY).unwrap_err(),
        BirthdateError::TooEarly
    );
}

#[test]
fn year_labels_name_every_era_of_the_year() {
    assert_eq!(year_label(1972), "1972年(昭和47年)");
    assert_eq!(year_label(1989), "1989年(昭和64年/平成元年)");
    assert_eq!(year_label(2019), "2019年(平成31年/令和元年)");
    assert_eq!(year_label(1926), "1926年(大正15年/昭和元年)");
    assert_eq!(year_label(1912), "1912年(明治45年/大正元年)");
    assert_eq!(year_label(1900), "1900年(明治33年)");
    assert_eq!(year_label(2026), "2026年(令和8年)");
    assert_eq!(year_label(1850), "1850年");
}

#[test]
fn dates_in_japanese() {
    assert_eq!(
        format_date_ja(date!(1972 - 04 - 15)),
        "1972年4月15日(昭和47年)"
    );
    assert_eq!(
        format_date_ja(date!(1989 - 01 - 08)),
        "1989年1月8日(平成元年)"
    );
    assert_eq!(
        format_date_ja(date!(1989 - 01 - 07)),
        "1989年1月7日(昭和64年)"
    );
    assert_eq!(format_date_ja(date!(1850 - 01 - 01)), "1850年1月1日");
    assert_eq!(
        format_date_with_weekday(date!(2026 - 12 - 01)),
        "2026年12月1日(火)"
    );
    assert_eq!(
        format_date_with_weekday(date!(2026 - 06 - 07)),
        "2026年6月7日(日)"
    );
}

// --- email ------------------------------------------------------------------

fn email(input: &str) -> Result<String, EmailError> {
    EmailAddress::parse(input).map(|a| a.as_str().to_string())
}

#[test]
fn email_folds_widths_and_domain_case() {
    assert_eq!(
        email("Taro.Yamada@Example.JP").as_deref(),
        Ok("Taro.Yamada@example.jp")
    );
    assert_eq!(
        email("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ").as_deref(),
        Ok("taro@example.jp")
    );
    assert_eq!(
        email("\u{3000} taro@example.jp \u{3000}").as_deref(),
        Ok("taro@example.jp")
    );
    assert_eq!(
        email("taro..yamada.@docomo.ne.jp").as_deref(),
        Ok("taro..yamada.@docomo.ne.jp")
    );
    assert_eq!(
        email("a+tag@mail.example.co.jp").as_deref(),
        Ok("a+tag@mail.example.co.jp")
    );
}

#[test]
fn email_rejections() {
    let cases = [
        ("", EmailError::Empty, "メールアドレスを入力してください。"),
        (
            "taro yamada@example.jp",
            EmailError::ContainsSpace,
            "メールアドレスに空白が含まれています。空白を除いて入力してください。",
        ),
        (
            "taro.example.jp",
            EmailError::MissingAt,
            "メールアドレスの形式が正しくありません。「@」が含まれていません。",
        ),
        (
            "taro@@example.jp",
            EmailError::MultipleAt,
            "メールアドレスの形式が正しくありません。「@」は1つだけです。",
        ),
        (
            "@example.jp",
            EmailError::EmptyLocalPart,
            "メールアドレスの形式が正しくありません。「@」の前が入力されていません。",
        ),
        (
            "taro@",
            EmailError::EmptyDomain,
            "メールアドレスの形式が正しくありません。「@」の後ろが入力されていません。",
        ),
        (
            "taro@localhost",
            EmailError::InvalidDomain,
            "メールアドレスの形式が正しくありません。「@」の後ろ(例: example.jp)をご確認ください。",
        ),
        (
            "taro,yamada@example.jp",
            EmailError::UnusableCharacter { character: ',' },
            "メールアドレスに使えない文字「,」が含まれています。半角英数字と記号で入力してください。",
        ),
        (
            "たろう@example.jp",
            EmailError::UnusableCharacter { character: 'た' },
            "メールアドレスに使えない文字「た」が含まれています。半角英数字と記号で入力してください。",
        ),
        (
            "taro@exa\u{200B}mple.jp",
            EmailError::InvisibleCharacter,
            "メールアドレスに見えない文字が含まれています。お手数ですが入力し直してください。",
        ),
    ];
    for (typed, error, message) in cases {
        let got = EmailAddress::parse(typed).unwrap_err();
        assert_eq!(got, error, "{typed}");
        assert_eq!(got.message(), message, "{typed}");
    }
    for typed in [
        "taro@example..jp",
        "taro@.example.jp",
        "taro@example.jp.",
        "taro@-ex.jp",
    ] {
        assert_eq!(
            EmailAddress::parse(typed).unwrap_err(),
            EmailError::InvalidDomain,
            "{typed}"
        );
    }
    assert_eq!(
        EmailAddress::parse("taro@gmail,com").unwrap_err(),
        EmailError::UnusableCharacter { character: ',' }
    );
    assert_eq!(
        EmailAddress::parse("a\u{7}@example.jp").unwrap_err(),
        EmailError::InvisibleCharacter
    );
    let long_local = format!("{}@example.jp", "a".repeat(65));
    assert_eq!(
        EmailAddress::parse(&long_local).unwrap_err(),
        EmailError::LocalPartTooLong
    );
    assert!(EmailAddress::parse(&format!("{}@example.jp", "a".repeat(64))).is_ok());
    let long_domain = format!("taro@{}.jp", vec!["a".repeat(60); 5].join("."));
    assert_eq!(
        EmailAddress::parse(&long_domain).unwrap_err(),
        EmailError::TooLong
    );
    assert_eq!(
        EmailError::TooLong.message(),
        "メールアドレスが長すぎます(254文字まで)。"
    );
}

#[test]
fn confirmation_field_compares_after_folding() {
    let address = EmailAddress::parse("Taro@Example.jp").unwrap();
    assert!(confirm_matches(&address, "Ｔａｒｏ＠ＥＸＡＭＰＬＥ．ＪＰ "));
    assert!(confirm_matches(&address, "Taro@example.jp"));
    assert!(!confirm_matches(&address, "taro@example.jp"));
    assert!(!confirm_matches(&address, ""));
    assert_eq!(address.to_string(), "Taro@example.jp");
}

// --- small helpers -----------------------------------------------------------------

#[test]
fn digits_fold() {
    assert_eq!(fold_digits("\u{3000}１２ "), "12");
    assert_eq!(fold_digits("3"), "3");
}

#[test]
fn phone_numbers() {
    for (typed, canonical) in [
        ("03-1234-5678", "0312345678"),
        ("０９０－１２３４－５６７８", "09012345678"),
        ("090ー1234ー5678", "09012345678"),
        ("(03)1234-5678", "0312345678"),
        ("（０３）１２３４　５６７８", "0312345678"),
        ("03 (1234) 5678", "0312345678"),
        ("0120\u{2212}123\u{2212}456", "0120123456"),
    ] {
        assert_eq!(parse_phone(typed).as_deref(), Ok(canonical), "{typed}");
    }
    assert_eq!(
        parse_phone(" - ").unwrap_err().message(),
        "電話番号を入力してください。"
    );
    assert_eq!(
        parse_phone("090-1234-56").unwrap_err().message(),
        "電話番号は市外局番から10桁または11桁で入力してください(入力されたのは9桁です)。"
    );
    assert_eq!(
        parse_phone("03-1234-567").unwrap_err(),
        PhoneError::WrongLength { got: 9 }
    );
    assert_eq!(
        parse_phone("3-1234-5678").unwrap_err().message(),
        "電話番号は市外局番(0から始まる番号)から入力してください。"
    );
    assert_eq!(
        parse_phone("+81 90 1234 5678").unwrap_err().message(),
        "電話番号に使えない文字「+」が含まれています。数字で入力してください。"
    );
    assert_eq!(
        parse_phone("090-1234-56789").unwrap_err(),
        PhoneError::WrongLength { got: 12 }
    );
}

#[test]
fn furigana() {
    assert_eq!(
        parse_kana("やまだ たろう").as_deref(),
        Ok("ヤマダ\u{3000}タロウ")
    );
    assert_eq!(
        parse_kana("ﾔﾏﾀﾞ  ﾀﾛｳ").as_deref(),
        Ok("ヤマダ\u{3000}タロウ")
    );
    assert_eq!(
        parse_kana(" ヤマダ\u{3000}\u{3000}タロウ ").as_deref(),
        Ok("ヤマダ\u{3000}タロウ")
    );
    assert_eq!(parse_kana("ゆうすけ").as_deref(), Ok("ユウスケ"));
    assert_eq!(parse_kana("ゔぃくとりあ").as_deref(), Ok("ヴィクトリア"));
    assert_eq!(
        parse_kana("ジョン・スミス").as_deref(),
        Ok("ジョン・スミス")
    );
    assert_eq!(parse_kana("ｺｰﾀﾞｲ").as_deref(), Ok("コーダイ"));
    assert_eq!(parse_kana("コ-ダイ").as_deref(), Ok("コーダイ"));
    assert_eq!(parse_kana("コ\u{2212}ダイ").as_deref(), Ok("コーダイ"));
    assert_eq!(parse_kana("さゝき").as_deref(), Ok("サヽキ"));
    assert_eq!(
        parse_kana("\u{3000}").unwrap_err().message(),
        "フリガナを入力してください。"
    );
    assert_eq!(
        parse_kana("山田 タロウ").unwrap_err().message(),
        "フリガナはカタカナで入力してください(「山」は使えません)。"
    );
    assert_eq!(
        parse_kana("Yamada").unwrap_err(),
        KanaError::NotKatakana { character: 'Y' }
    );
    assert_eq!(
        parse_kana("ヤマダ\u{7}").unwrap_err().message(),
        "フリガナはカタカナで入力してください。"
    );
}

#[test]
fn free_text() {
    assert_eq!(
        clean_text("  山田　太郎\u{3000}", 20).as_deref(),
        Ok("山田　太郎")
    );
    assert_eq!(clean_text("髙橋 ｱｲ", 20).as_deref(), Ok("髙橋 ｱｲ"));
    assert_eq!(clean_text("   ", 20).as_deref(), Ok(""));
    assert_eq!(
        clean_text("山田\n太郎\n", 20),
        Err(TextError::ForbiddenCharacter)
    );
    assert_eq!(
        clean_text("abc\u{202E}def", 20).unwrap_err().message(),
        "入力できない文字(改行や制御文字など)が含まれています。"
    );
    assert_eq!(
        clean_text("a\u{2066}b", 20),
        Err(TextError::ForbiddenCharacter)
    );
    assert_eq!(clean_text("山田太郎", 4).as_deref(), Ok("山田太郎"));
    assert_eq!(
        clean_text("山田太郎", 3).unwrap_err().message(),
        "3文字以内で入力してください(いまは4文字です)。"
    );
}
