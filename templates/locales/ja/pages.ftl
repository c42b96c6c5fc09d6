# The resident pages (templates/base.html, home.html, faq.html, _challenge.html,
# resident/*). The wording of seed 004's manual; unchanged from before English was added.

skip-link = 本文へ移動
site-name = { $tenant } マイナンバーカード受取予約
site-name-generic = Madoguchi 窓口予約
lang-switch-label = 言語(Language)
footer-contact-label = お問い合わせ:
title-error-prefix = エラー:
colon = :
optional = (任意)
none = なし
back-to-top = トップページへ戻る
map-link = 地図を見る
restart = 最初からやり直す
may-close = このままブラウザのウィンドウを閉じていただいても結構です。
please-select = 選択してください
not-selected = 未選択です。
not-selected-short = 未選択
ask-contact = { $contact }までお問い合わせください。
ask-counter = 窓口までお問い合わせください。

receipt-number = 受付番号
password = パスワード
status = 状態
booking-datetime = 予約日時
counter = 交付窓口
party-size = 人数
people-count = { $n }人
email = 連絡先メールアドレス
email2 = 連絡先メールアドレス2
email-confirm = 連絡先メールアドレス(確認用)
recipients = 受取人情報
recipient = 受取人
person-nth = { $n }人目
name = 氏名
kana = フリガナ
phone = 電話番号
access = 窓口へのアクセス
contact = 連絡先

home-title = トップページ
home-menu = 予約メニュー
home-book = 受取予約をする
home-lookup = 予約を照会する
home-faq = FAQ(よくある質問)
home-announcements = お知らせ
home-no-announcements = 現在お知らせはありません。
home-no-counters = 現在予約を受け付けている窓口はありません。
home-dev-label = 開発用
home-dev-1 = 開発用のデモです。予約に使えるサンプルの番号と誕生日は
home-dev-samples = サンプル一覧
home-dev-2 = { " " }にあります。届いたメールは
home-dev-mailbox = 開発用メールボックス
home-dev-3 = { " " }で読めます。

faq-title = よくある質問
faq-intro = マイナンバーカードの受取予約について、よくいただくご質問と回答です。
faq-booking = 予約のしかた
faq-q-number1 = 「番号1」はどこに書いてありますか。
faq-a-number1 = 交付通知書(ハガキ)の宛名面、右肩のQRコードの上に、英数3桁・ハイフン・数字6桁で印字されています。ハイフンは入れても入れなくてもかまいません。全角で入力しても受け付けます。
faq-q-number2 = 「交付対象を特定できませんでした。番号2も入力してください。」と表示されました。
faq-a-number2 = 同じ番号1と誕生日の方がほかにもいるため、番号2で確認します。ハガキの宛名面、右肩のQRコードの下に印字されている英数字18桁の番号を入力して、もう一度[送信する]を押してください。
faq-q-family = 家族の分もまとめて予約できますか。
faq-a-family = できます。「同時に予約する人数」で{ $max }人まで選べます。人数分の連続した予約枠が空いている時間だけ選べます。予約後に人数は変更できません。人数を変えるときは、予約を取り消して最初から予約してください。
faq-q-no-mail = 【連絡先アドレス確認メール】が届きません。
faq-a-no-mail = 迷惑メールフォルダをご確認ください。入力したメールアドレスに誤りがあった場合は、最初からやり直してください。メールに記載のURLは{ $ttl }分で無効になり、一度だけ使えます。
faq-q-window = 予約できるのはいつまでの日時ですか。
faq-a-window = 今日から{ $days }日先までの、空きのある時間帯です。予約日選択の画面で数字が表示されている時間帯を選んでください(数字は空き枠の数です)。
faq-q-limit = 日時を選んだあと、時間制限はありますか。
faq-a-limit = 選んだ日時は{ $ttl }分間、仮押さえされます。その間に[確認へ進む]から[予約する]まで進んでください。時間が足りないときは[仮押さえを延長する]を押してください。
faq-after = 予約したあと
faq-q-change = 予約内容を確認したい、日時を変更したい、取り消したい。
faq-a-change = トップページの[予約を照会する]から、【予約完了通知メール】に記載の受付番号とパスワードを入力してください。日時の変更と取消は{ $deadline }受け付けます。
faq-q-password = パスワードがわからなくなりました。
faq-a-password = 予約照会ができない場合は、{ $contact }までお問い合わせください。
faq-a-password-counter = 予約照会ができない場合は、窓口までお問い合わせください。
faq-q-bring = 当日は何を持っていけばよいですか。

pow-working = 確認の処理をしています…
pow-done = 確認が済みました。入力内容を確かめて、送信してください。
pow-failed = 確認の処理ができませんでした。ページを読み込み直してください。
pow-noscript = JavaScriptが無効のため、確認の処理ができません。JavaScriptを有効にするか、{ $wait }ほど待ってからもう一度お試しください。

error-summary-title = 入力内容に誤りがあります
error-notice-title = お待ちください
summary-person = { $n }人目: { $message }

entry-title = メールアドレス入力
entry-intro = 交付通知書(ハガキ)を手元に置いて入力してください。入力したメールアドレスに【連絡先アドレス確認メール】をお送りします。
entry-send = 送信する
entry-party = 同時に予約する人数を入力してください
entry-party-set = 人数を決定
entry-party-hint = 選択した人数分の入力欄が表示されます。入力済みの内容は残ります。予約後に人数を変更することはできません(変更する場合は予約を取り消して、最初から予約してください)。
entry-party-changed = 入力欄を{ $n }人分にしました。各欄を確認して[送信する]を押してください。
entry-number1 = 番号1を入力してください
entry-number1-hint = ハガキの宛名面、右肩のQRコードの上に印字されている番号です。
entry-birthdate = 誕生日を入力してください
entry-birthdate-hint = 年・月・日を選ぶか、「19720415」「昭和47年4月15日」のように入力してください。
part-year-label = 年
part-month-label = 月
part-day-label = 日
entry-year-select = 年を選択
month-option = { $n }月
day-option = { $n }日
entry-birth-text = または数字・和暦で入力
entry-birth-placeholder = 例:19720415
entry-understood = { $date } として受け付けました。
entry-number2 = 番号2を入力してください
entry-number2-hint = ハガキの宛名面、右肩のQRコードの下に印字されている英数字18桁の番号です。

sent-title = メール送信完了
sent-text = 入力されたメールアドレスに【連絡先アドレス確認メール】を送信しました。
sent-link = メール本文に記載されているURLから、窓口予約申込画面へお進みください。URLの有効期限は{ $ttl }分です。
sent-summary = 受け付けた内容
sent-no-mail = メールが届かない場合は、迷惑メールフォルダをご確認いただくか、入力したメールアドレスに誤りがないか確かめて、最初からやり直してください。
sent-birthdate = { $n }人目:誕生日 { $date }
sent-to = 送信先:{ $email }

link-title = メールアドレスの確認
link-text = 連絡先アドレス確認メールのURLを確認しました。下のボタンから窓口予約申込画面へお進みください。
link-once = このURLは一度だけ使えます。
link-go = 予約の入力へ進む

apply-title = 窓口予約申込
apply-confirm = 確認へ進む
apply-number1-note = (番号1:{ $number })
apply-phone-hint = 日中に連絡のとれる電話番号(例:090-1234-5678)
apply-issue-info = 交付情報
apply-choose = 予約日時選択
hold-held-1 = 仮押さえ中です。
hold-until = { $time }
hold-held-2 = までに[確認へ進む]から予約を確定してください。時間が過ぎると仮押さえは解除されます。
hold-extend = 仮押さえを延長する
hold-valid-until = 仮押さえは{ $time }まで有効です。
hold-released = 時間が過ぎると仮押さえは解除されます。

slots-title = 予約日選択
slots-intro = 数字が表示されているセルが予約可能な時間帯です(数字は空き枠数)。予約したい時間帯のセルを選んでください。
slots-back = 予約入力へ戻る
grid-nav-label = 表示する期間の移動({ $width })
grid-prev-far = { $far }前へ
grid-next-far = { $far }次へ
grid-prev = <前へ
grid-next = 次へ>
grid-caption = { $counter } の予約可能な時間帯(数字は空き枠数)
grid-time = 時間
grid-cell-none = 受付なし
grid-cell-full = 満
grid-cell-closed = 予約できません
grid-none-selectable = この期間に予約できる時間帯はありません。[次へ>]で別の期間をご覧ください。
grid-wide = 2週間表示
grid-narrow = 1週間表示
grid-far-wide = 1か月
grid-far-narrow = 2週間
grid-day-long = { $month }月{ $day }日({ $weekday })
grid-range = { $from }〜{ $to }
grid-cell-label = { $day } { $time } 空き{ $free }
weekday-short = { $n ->
    [1] 月
    [2] 火
    [3] 水
    [4] 木
    [5] 金
    [6] 土
   *[7] 日
}
time-range = { $from }〜{ $to }

confirm-title = 予約入力確認
confirm-text = 以下の内容で予約します。よろしければ[予約する]ボタンを押してください。
confirm-back = 入力へ戻る
confirm-book = 予約する

done-title = 予約入力完了
done-text = 予約が完了しました。
done-mail = { $email } 宛に【予約完了通知メール】を送信しました。予約の照会・変更・取消に必要な受付番号とパスワードが記載されていますので、大切に保管してください。
done-lookup = 予約照会へ
done-print = 予約内容の印刷は[予約照会へ]からできます。印刷が不要であれば、このままブラウザのウィンドウを閉じていただいても結構です。

lookup-title = 予約照会
lookup-intro = 【予約完了通知メール】に記載された受付番号とパスワードを入力してください。
lookup-receipt-hint = 例:1234-5678-90(ハイフンはなくてもかまいません)
lookup-submit = 照会する

booking-title = 予約詳細
booking-bring = 来庁の際は、交付通知書(ハガキ)と、同封のご案内に記載された本人確認書類をお持ちください。
booking-print = 印刷用の画面を開く
booking-change-cancel = 予約の変更・取消
booking-change-until = 変更・取消は{ $deadline }まで受け付けます。人数は変更できません(人数を変える場合は、予約を取り消して最初から予約してください)。
booking-change = 予約日時を変更する
booking-cancel = 予約を取り消す
booking-change-past = 変更・取消の受付期限({ $deadline })を過ぎています。
booking-resend-title = 予約完了通知メールの再送
booking-resend-text = メールが見当たらない場合は再送できます。再送するとパスワードは新しいものに変わります。
booking-resend = 予約完了通知メールを再送する
status-booked = 予約済
status-visited = 来庁済
status-no-show = 不在
status-cancelled = 取消済

print-title = 予約内容(印刷用)
print-heading = { $tenant } マイナンバーカード受取 予約内容
print-bring-sheet = 印刷したこの用紙もお持ちください。
print-printed-at = 印刷日時:{ $at }
print-how = ブラウザの印刷機能(メニューの「印刷」)で印刷してください。
print-back = 予約詳細へ戻る

cancel-title = 予約の取消
cancel-text = 以下の予約を取り消します。よろしければ[予約を取り消す]ボタンを押してください。取り消した予約は元に戻せません。
cancel-back = 取り消さずに戻る

change-title = 予約日時の変更
change-before = 変更前
change-after = 変更後
change-rechoose = 日時を選び直す
change-submit = この日時に変更する
change-back = 変更せずに予約詳細へ戻る

# The QR code of the receipt number (completion page, print view): the counter's scanner
# reads it (issue 11).
receipt-qr-label = 受付番号 { $receipt } のQRコード
receipt-qr-note = 来庁の際、窓口でこのQRコードを読み取って受付します。
## Answers to the municipality's own yes/no recipient fields.
answer-yes = はい
answer-no = いいえ

## ---- Cut-offs in days (issue 11, w11-deadlines): the rules above the grid, the mark on a
## time past the change/cancel deadline, the warning before booking it, the call-centre line ----
slots-rules = ウェブでの予約の受付は{ $booking }、予約の変更・取消は{ $change }です。
grid-late-legend = 「※」の付いた時間帯は、変更・取消の期限を過ぎています。予約はできますが、予約したあとにウェブで変更・取消はできません。
grid-cell-late = (ウェブでの変更・取消不可)
late-title = この予約は、ウェブで変更・取消ができません
late-text = 選んだ日時は、変更・取消の期限({ $rule }、{ $deadline }まで)を過ぎています。予約したあとに、このサイトから日時の変更や取消はできません。
late-call = 変更・取消が必要になったときは、お電話でご連絡ください。
late-change-text = 変更後の日時は、変更・取消の期限({ $rule }、{ $deadline }まで)を過ぎています。変更したあとに、このサイトから日時の変更や取消はもうできません。
call-centre = お問い合わせ先:{ $contact }
booking-change-rule = 変更・取消の期限は{ $rule }です。
faq-q-cutoff = 予約はいつまでできますか。直前に予約した場合も変更・取消できますか。
faq-a-cutoff = ウェブでの予約は{ $booking }できます。変更・取消は{ $change }です。期限を過ぎた日時を予約するときは、予約の前にその旨を表示します。期限を過ぎたあとの変更・取消は、お問い合わせ先へお電話ください。

## ---- The municipality's services on its home page (issue 12, vx-venues) ----
home-services = 予約できるサービス
home-service-card-pickup = マイナンバーカードの受取予約
home-service-vaccination = ワクチン接種の予約
home-service-vaccination-about = お手元の接種券の券番号と生年月日でログインして、接種の予約・変更・キャンセルができます。
home-vaccination-start = ワクチン接種の予約へ
## ---- end of the municipality's services ----
