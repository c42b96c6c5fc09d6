# Messages the resident handlers make (src/web/resident/*.rs): field errors, flashes,
# the pages that only say one thing.

hold-expired = 仮押さえの有効期限が切れました。入力へ戻って予約日時を再設定してください。
slot-taken = 選択された日時は、ほかの方の予約が入ったため予約できませんでした。別の日時を選択してください。
hold-extended = 仮押さえを延長しました。{ $time }まで有効です。
hold-not-extended-cap = 仮押さえはこれ以上延長できません。{ $time }までに予約を確定してください。
hold-placed = { $date } { $time } を仮押さえしました。{ $until }までに[確認へ進む]から予約を確定してください。
party-notice = { $n }名様分の予約のため、連続して{ $n }枠の予約枠が必要です。
not-identified = 交付対象を特定できませんでした。番号2も入力してください。
not-found-with-number2 = 交付対象を特定できませんでした。番号2と誕生日をご確認ください。
already-booked = この交付通知書はすでに予約済みです。予約内容の確認・変更・取消は「予約を照会する」から行ってください。
duplicate-notice = 同じ交付通知書が重複して入力されています。
party-range = 同時に予約する人数は1〜{ $max }人の中から選んでください。
email-mismatch = 確認用のメールアドレスが一致しません。同じメールアドレスを入力してください。
name-required = 氏名を入力してください。
counter-required = 交付窓口を選択してください。
hold-required = 予約日時を選択してください。
no-application-title = 申込情報が見つかりません
no-application = 申込の有効期限が切れたか、別のブラウザで開かれた可能性があります。お手数ですが、最初から操作をやり直してください。
link-expired-title = URLの有効期限が切れています
link-expired = 連絡先アドレス確認メールのURLは有効期限が過ぎています。お手数ですが、最初から操作をやり直してください。
link-used-title = このURLはすでに使用されています
link-used = 連絡先アドレス確認メールのURLは一度しか使えません。お手数ですが、最初から操作をやり直してください。
link-unknown-title = URLが正しくありません
link-unknown = メールに記載されたURLを、途中で切れないように開いてください。解決しない場合は、最初から操作をやり直してください。
receipt-required = 受付番号を入力してください。
password-required = パスワードを入力してください。
lookup-failed = 受付番号またはパスワードが正しくありません。メールに記載された受付番号とパスワードをご確認ください。
already-cancelled = この予約は取り消し済みです。
cannot-change = この予約は変更・取消できません。
deadline-passed = 変更・取消の受付期限({ $deadline })を過ぎています。
booking-changed = 予約日時を { $date } { $time } に変更しました。受付番号は変わりません。
booking-cancelled = 予約を取り消しました。
no-email-registered = この予約にはメールアドレスが登録されていません。
mail-resent = 予約完了通知メールを再送しました。パスワードは新しいものに変わりました。以前のパスワードは使えません。

# The fixed error pages (src/web/error.rs).
error-page-top = トップページへ
error-page-not-found-title = ページが見つかりません
error-page-not-found = お探しのページは見つかりませんでした。URLをご確認ください。
error-page-expired-title = この画面の有効期限が切れました
error-page-expired = お手数ですが、前の画面に戻って再読み込みしてから、もう一度操作してください。
error-page-busy-title = ただいま混み合っています
error-page-busy = しばらくしてからもう一度お試しください。
error-page-internal-title = エラーが発生しました
error-page-internal = 申し訳ありません。しばらくしてからもう一度お試しください。

## ---- Cut-offs in days (issue 11, w11-deadlines): a time whose online booking has closed ----
booking-closed = この日時は、ウェブでの予約の受付を終了しました(ウェブでの予約は{ $rule }です)。予約日時を選び直してください。
booking-closed-change = この日時は、変更・取消の期限({ $rule })を過ぎているため、ウェブでは予約できません。予約日時を選び直してください。
