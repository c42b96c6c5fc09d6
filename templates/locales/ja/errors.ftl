# Messages made in Rust (src/core/resident_input.rs, src/web/resident, src/web/limits.rs).
# Japanese: word for word what the pages said before there was a second language.

label-number1 = 番号1
label-number2 = 番号2
kind-digit = 数字
kind-letter = 英字
kind-alnum = 英数字

error-number-empty = { $label }を入力してください。
error-number-unusable = { $label }に使えない文字「{ $char }」が含まれています。{ $allowed }で入力してください。
error-number-unusable-invisible = { $label }に使えない文字が含まれています。{ $allowed }で入力してください。
error-number-length = { $label }は{ $kind }{ $expected }桁で入力してください(入力されたのは{ $got }桁です)。
error-number-position = { $label }の{ $position }桁目は{ $kind }です(「{ $found }」が入力されています)。{ $hint }
lookalike-o-digit = 英字の「O(オー)」ではなく数字の「0(ゼロ)」ではありませんか。
lookalike-i-digit = 英字の「I(アイ)」ではなく数字の「1(イチ)」ではありませんか。
lookalike-0-letter = 数字の「0(ゼロ)」ではなく英字の「O(オー)」ではありませんか。
lookalike-1-letter = 数字の「1(イチ)」ではなく英字の「I(アイ)」ではありませんか。

era-meiji = 明治
era-taisho = 大正
era-showa = 昭和
era-heisei = 平成
era-reiwa = 令和
era-year = { $n ->
    [1] { $era }元年
   *[other] { $era }{ $n }年
}
month-day = { $month }月{ $day }日
part-year = 年
part-month = 月
part-day = 日

error-birth-empty = 誕生日を入力してください。
error-birth-unrecognized = 誕生日は「19720415」または「昭和47年4月15日」のように入力してください。
error-birth-missing-part = 誕生日の{ $part }を入力してください。
error-birth-invalid-year = 誕生日の年は西暦4桁(例: 1972)で入力してください。
error-birth-invalid-month = 誕生日の月は1から12までの数字で入力してください。
error-birth-invalid-day = 誕生日の日は1から31までの数字で入力してください。
error-birth-no-such-date = 存在しない日付です。
error-birth-era-too-large = { $era }は{ $last }年({ $western }年)までです。
error-birth-before-era = { $eratext }は{ $start }からです。{ $tail }
error-birth-before-era-tail = { $end }までは{ $prev }です。
error-birth-after-era = { $eratext }は{ $end }までです。{ $tail }
error-birth-after-era-tail = { $start }からは{ $next }です。
error-birth-too-early = 1900年1月1日より前の日付は入力できません。
error-birth-in-future = 未来の日付は入力できません。

error-email-empty = メールアドレスを入力してください。
error-email-space = メールアドレスに空白が含まれています。空白を除いて入力してください。
error-email-invisible = メールアドレスに見えない文字が含まれています。お手数ですが入力し直してください。
error-email-unusable = メールアドレスに使えない文字「{ $char }」が含まれています。半角英数字と記号で入力してください。
error-email-missing-at = メールアドレスの形式が正しくありません。「@」が含まれていません。
error-email-multiple-at = メールアドレスの形式が正しくありません。「@」は1つだけです。
error-email-empty-local = メールアドレスの形式が正しくありません。「@」の前が入力されていません。
error-email-empty-domain = メールアドレスの形式が正しくありません。「@」の後ろが入力されていません。
error-email-invalid-domain = メールアドレスの形式が正しくありません。「@」の後ろ(例: example.jp)をご確認ください。
error-email-too-long = メールアドレスが長すぎます(254文字まで)。
error-email-local-too-long = メールアドレスの「@」より前が長すぎます(64文字まで)。

error-phone-empty = 電話番号を入力してください。
error-phone-unusable = 電話番号に使えない文字「{ $char }」が含まれています。数字で入力してください。
error-phone-unusable-invisible = 電話番号に使えない文字が含まれています。数字で入力してください。
error-phone-leading-zero = 電話番号は市外局番(0から始まる番号)から入力してください。
error-phone-length = 電話番号は市外局番から10桁または11桁で入力してください(入力されたのは{ $got }桁です)。

wait-minutes = { $n }分
wait-hours = { $n }時間
error-rate-limited = 短時間に同じ操作が繰り返されたため、受付を一時的に止めています。{ $wait }ほど待ってから、もう一度お試しください。
error-challenge-needed = 入力内容の誤りが続いたため、確認の処理が必要になりました。この画面を開いたまま数秒お待ちください。自動で確認が済んだら、入力内容を確かめて、もう一度送信してください。
error-challenge-failed = 確認の処理が完了しませんでした。数秒お待ちいただき、確認が済んでからもう一度送信してください。
error-locked = ログインに続けて失敗したため、このログインIDは{ $until }までログインできません。

error-kana-empty = フリガナを入力してください。
error-kana-not-katakana = フリガナはカタカナで入力してください(「{ $char }」は使えません)。
error-kana-not-katakana-invisible = フリガナはカタカナで入力してください。
error-text-forbidden = 入力できない文字(改行や制御文字など)が含まれています。
error-text-too-long = { $max }文字以内で入力してください(いまは{ $got }文字です)。

## The municipality's own recipient fields; { $label } is the field's label.
error-field-required = 「{ $label }」を入力してください。
error-field-choose = 「{ $label }」を選んでください。
error-field-choice = 「{ $label }」は、表示されている選択肢から選んでください。
error-field-number = 「{ $label }」は数字で入力してください(例:3)。
error-field-number-too-long = 「{ $label }」は{ $max }桁以内の数字で入力してください。
error-field-text-forbidden = 「{ $label }」に入力できない文字(改行や制御文字など)が含まれています。
error-field-text-too-long = 「{ $label }」は{ $max }文字以内で入力してください(いまは{ $got }文字です)。

# --- The 400 page for an unreadable form (a NUL character): src/web/error.rs (issue 11, defect 3) ---
error-page-bad-input-title = 入力内容を読み取れませんでした
error-page-bad-input = 使用できない文字が含まれています。前の画面に戻り、入力内容を確かめてから、もう一度お試しください。
