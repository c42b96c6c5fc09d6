# Messages made in Rust (src/core/resident_input.rs, src/web/resident, src/web/limits.rs).

label-number1 = Number 1
label-number2 = Number 2
kind-digit = digits
kind-letter = letters
kind-alnum = letters or digits

error-number-empty = Please enter { $label }.
error-number-unusable = { $label } contains a character that cannot be used (“{ $char }”). Please use { $allowed } only.
error-number-unusable-invisible = { $label } contains a character that cannot be used. Please use { $allowed } only.
error-number-length = { $label } is { $expected } { $kind } (you typed { $got }).
error-number-position = Character { $position } of { $label } must be one of the { $kind } (you typed “{ $found }”). { $hint }
lookalike-o-digit = Did you mean the digit “0” (zero) rather than the letter “O”?
lookalike-i-digit = Did you mean the digit “1” (one) rather than the letter “I”?
lookalike-0-letter = Did you mean the letter “O” rather than the digit “0” (zero)?
lookalike-1-letter = Did you mean the letter “I” rather than the digit “1” (one)?

era-meiji = Meiji
era-taisho = Taisho
era-showa = Showa
era-heisei = Heisei
era-reiwa = Reiwa
era-year = { $era } { $n }
month-day = { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
} { $day }
part-year = year
part-month = month
part-day = day

error-birth-empty = Please enter the date of birth.
error-birth-unrecognized = Please enter the date of birth like “19720415” or “Showa 47, April 15” (昭和47年4月15日).
error-birth-missing-part = Please choose the { $part } of birth.
error-birth-invalid-year = Please enter the year of birth as four digits (for example 1972).
error-birth-invalid-month = Please enter the month of birth as a number from 1 to 12.
error-birth-invalid-day = Please enter the day of birth as a number from 1 to 31.
error-birth-no-such-date = There is no such date.
error-birth-era-too-large = The { $era } era ends in its year { $last } ({ $western }).
error-birth-before-era = { $eratext } begins on { $start }. { $tail }
error-birth-before-era-tail = Until { $end } it is { $prev }.
error-birth-after-era = { $eratext } ends on { $end }. { $tail }
error-birth-after-era-tail = From { $start } it is { $next }.
error-birth-too-early = Dates before January 1, 1900 cannot be entered.
error-birth-in-future = A date in the future cannot be entered.

error-email-empty = Please enter an email address.
error-email-space = The email address contains a space. Please enter it without spaces.
error-email-invisible = The email address contains an invisible character. Please type it again.
error-email-unusable = The email address contains a character that cannot be used (“{ $char }”). Please use half-width letters, digits and symbols.
error-email-missing-at = This is not a valid email address: it has no “@”.
error-email-multiple-at = This is not a valid email address: it may have only one “@”.
error-email-empty-local = This is not a valid email address: nothing comes before the “@”.
error-email-empty-domain = This is not a valid email address: nothing comes after the “@”.
error-email-invalid-domain = This is not a valid email address: please check the part after the “@” (for example example.jp).
error-email-too-long = The email address is too long (at most 254 characters).
error-email-local-too-long = The part before the “@” is too long (at most 64 characters).

error-phone-empty = Please enter a phone number.
error-phone-unusable = The phone number contains a character that cannot be used (“{ $char }”). Please use digits.
error-phone-unusable-invisible = The phone number contains a character that cannot be used. Please use digits.
error-phone-leading-zero = Please enter the phone number with its area code (starting with 0).
error-phone-length = Please enter 10 or 11 digits including the area code (you typed { $got }).

wait-minutes = { $n ->
    [one] { $n } minute
   *[other] { $n } minutes
}
wait-hours = { $n ->
    [one] { $n } hour
   *[other] { $n } hours
}
error-rate-limited = The same action was repeated too often in a short time, so it is paused for now. Please wait about { $wait } and try again.
error-challenge-needed = After several incorrect entries, a check is needed. Please keep this page open for a few seconds. When the check has finished by itself, review your entries and send the form again.
error-challenge-failed = The check did not finish. Please wait a few seconds and send the form again once the check has finished.
error-locked = After repeated failed logins, this login ID cannot log in until { $until }.

error-kana-empty = Please enter the name in katakana.
error-kana-not-katakana = Please enter the name in katakana (“{ $char }” cannot be used).
error-kana-not-katakana-invisible = Please enter the name in katakana.
error-text-forbidden = This contains characters that cannot be entered (line breaks, control characters and the like).
error-text-too-long = Please enter at most { $max } characters (there are { $got } now).

## The municipality's own recipient fields; { $label } is the field's label.
error-field-required = Please enter “{ $label }”.
error-field-choose = Please choose an answer to “{ $label }”.
error-field-choice = Please choose one of the answers shown for “{ $label }”.
error-field-number = Please enter “{ $label }” as a whole number in digits (e.g. 3).
error-field-number-too-long = Please enter “{ $label }” with at most { $max } digits.
error-field-text-forbidden = “{ $label }” contains characters that cannot be entered (line breaks, control characters and the like).
error-field-text-too-long = Please enter at most { $max } characters for “{ $label }” (there are { $got } now).

# --- The 400 page for an unreadable form (a NUL character): src/web/error.rs (issue 11, defect 3) ---
error-page-bad-input-title = The form could not be read
error-page-bad-input = It contains a character that cannot be used. Please go back to the previous page, check what you entered and try again.
