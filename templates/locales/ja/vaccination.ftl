# ---- Vaccination booking, the resident's pages (templates/vaccination/, src/web/vaccination/).
# Wording of seeds 002 (Ninohe), 003 (Kamakura) and 000 (Gunma).

vx-site-name = { $tenant } ワクチン接種予約
label-ticket-number = 接種券番号
vx-call-centre = 予約相談センター
vx-call-centre-phone = 電話番号
vx-call-centre-hours = 受付時間
vx-to-login = ログイン画面へ

## 利用規約
vx-terms-title = 利用規約
vx-terms-heading = 利用規約
vx-privacy-heading = 個人情報の取扱い
vx-terms-agree = 利用規約に同意する
vx-terms-start = 予約をはじめる
vx-terms-not-agreed = 予約システムの利用には、利用規約への同意が必要です。「利用規約に同意する」にチェックを入れてください。

## ログイン
vx-login-title = ログイン
vx-login-intro = 接種券番号と生年月日を入力し、「ログイン」ボタンを押してください。
vx-ticket-number = 接種券番号
vx-ticket-number-hint = 接種券に記載されている10桁の番号(券番号)を入力してください。
vx-birthdate = 生年月日
vx-birthdate-hint = 西暦8桁で入力してください(例:1970年4月1日なら19700401)。「S45.4.1」「昭和45年4月1日」などの和暦でも入力できます。
vx-login-submit = ログイン
vx-ticket-not-found = 入力された情報に該当する接種券が見つかりませんでした。再度入力ください。
vx-session-expired = 一定時間操作がなかったため、ログアウトしました。再度ログインしてください。
vx-logged-out = ログアウトしました
vx-logout = ログアウト

## マイページ
vx-mypage-title = マイページ
vx-mypage-person = { $name } 様
vx-mypage-doses = 予約状況
vx-booking-id = 予約ID
vx-booking-date = 接種日時
vx-venue = 接種会場
vx-vaccine = ワクチンの種類
vx-dose-not-booked = まだ予約していません。
vx-dose-after-previous = 1回目の予約をすると、2回目を予約できます。
vx-book = 予約
vx-notice = お知らせ
vx-items = 持ち物
vx-back-to-mypage = マイページへ戻る
vx-back = 戻る
vx-dose = 接種回数
vx-address = 所在地
vx-directions = アクセス
vx-venue-kind = 会場の種類
vx-venue-notice = 会場からのお知らせ

## 予約の方法を選ぶ
vx-book-title = 接種予約
vx-booking-dose = { $dose }の予約
vx-book-how = 予約の方法を選んでください。
vx-by-place = 場所から決める
vx-by-date = 日時から決める
vx-dose-not-bookable = この接種は、いまは予約できません。マイページをご確認ください。
vx-mark-legend = ○:空きあり △:残りわずか ×:空きなし －:予約できません
vx-choose-venue = { $venue }で予約する
vx-venue-full = 予約できる日時がありません。
vx-venue-calendar = { $venue }の空き状況
vx-calendar-intro = 接種を希望する日を選んでください。
vx-month-paging = 表示する月
vx-previous-month = ←先月
vx-next-month = 来月→
vx-date-venues = { $date }に接種できる会場
vx-choose-time-at = { $venue }の時間を選ぶ
vx-no-venues-that-day = この日に接種できる会場はありません。
vx-times-title = { $venue } { $date }の時間
vx-times-caption = 時間帯と残りの枠数
vx-time = 時間
vx-places-left = 残り
vx-places-n = { $n }枠
vx-choose = 選択
vx-full = 満員
vx-no-times = この日に予約できる時間はありません。
vx-back-to-calendar = カレンダーへ戻る

## 仮押さえ
vx-chosen = 選択した日時と会場
vx-hold-held-2 = までに予約を確定してください。時間が過ぎると仮押さえは解除されます。
vx-choose-again = 日時・会場を選び直す

## 連絡先
vx-contact-title = 連絡先の入力
vx-person-heading = 接種を受ける方
vx-person-name = お名前
vx-kana = お名前(カナ)
vx-kana-hint = カタカナで入力してください(例:ヤマダ タロウ)。
vx-phone = 電話番号
vx-phone-hint = ハイフンはあってもなくてもかまいません。
vx-email = メールアドレス(任意)
vx-email-hint = 入力すると、予約完了のメールをお送りします。
vx-booker-heading = 予約者の情報
vx-booker-hint = 接種を受ける方と予約をする方が異なる場合に入力してください。
vx-booker-other = 予約者が接種を受ける本人と異なる
vx-booker-name = 予約者のお名前
vx-booker-name-hint = 予約者が本人と異なる場合のみ入力してください。
vx-booker-phone = 予約者の電話番号
vx-booker-name-empty = 予約者のお名前を入力してください。
vx-wants-earlier = 接種日の繰上げを希望する
vx-wants-earlier-hint = 「はい」を選ぶと、予約日より前の日程でキャンセルが出た場合に、接種日変更のご相談をすることがあります。
vx-wants-earlier-empty = 「はい」か「いいえ」を選んでください。
vx-yes = はい
vx-no = いいえ
vx-to-confirm = 内容確認へ進む

## 内容確認
vx-confirm-title = 内容確認
vx-not-yet = まだ予約は確定していません。
vx-edit-contact = 連絡先を修正する
vx-confirm-submit = 予約を確定する
vx-dose-already-booked = この接種券の{ $dose }はすでに予約されています。予約内容はマイページでご確認ください。

## 完了
vx-done-title = ご予約が完了しました
vx-done-mailed = 予約完了のメールを{ $email }に送信しました。
vx-done-mypage = 予約内容は「マイページ」からもご確認いただけます。
vx-done-next = 続けて{ $dose }の予約ができます。
vx-second-booking = 2件目の予約をする

## 予約詳細・キャンセル (issue 12, resident step 8: the booking's pages from the マイページ)
vx-mb-booking-details = 詳細
vx-mb-detail-title = 予約詳細
vx-mb-dose = 接種回
vx-mb-venue-notice = 会場からのお知らせ
vx-mb-contact-kana = お名前(カナ)
vx-mb-contact-phone = 電話番号
vx-mb-contact-email = メールアドレス
vx-mb-none = なし
vx-mb-booker = 予約者
vx-mb-wants-earlier = 接種日の繰上げ希望
vx-mb-wants-earlier-yes = 希望する
vx-mb-wants-earlier-no = 希望しない
vx-mb-change-until = 予約の変更・キャンセルは{ $rule }({ $deadline }まで)できます。
vx-mb-change-closed = { $rule }を過ぎたため、このサイトでは変更・キャンセルできません。変更・キャンセルは予約相談センターへお電話ください。
vx-mb-edit = 編集
vx-mb-cancel = キャンセル
vx-mb-back-to-mypage = マイページへ戻る
vx-mb-cancel-title = 予約のキャンセル
vx-mb-cancel-question = キャンセルしますか？
vx-mb-yes = はい
vx-mb-no = いいえ
vx-mb-cancel-next-question = { $dose }の予約はどうしますか？
vx-mb-cancel-next-why = { $dose }の接種日は、この予約の接種日から間隔をあけて決めています。
vx-mb-cancel-next-too = { $dose }の予約もキャンセルする
vx-mb-cancel-next-keep = { $dose }の予約は残す
vx-mb-cancelled = { $dose }の予約をキャンセルしました。
vx-mb-cancel-kept-next = { $dose }の予約は残っていますが、接種間隔の基準となる前回の予約がなくなりました。{ $dose }の接種日で問題ないか、予約相談センターへご確認ください。
## 予約の変更 (編集, issue 12 resident step 8)
vx-change-title = 予約の変更
vx-change-how = 変更後の日時・会場の選び方を選んでください。予約IDと連絡先は変わりません。
vx-change-not-yet = まだ変更は確定していません。
vx-change-before = 変更前
vx-change-after = 変更後
vx-change-submit = 変更を確定する
vx-change-stop = 変更をやめる
vx-change-done = { $dose }の予約を{ $date } { $time }に変更しました。予約IDは変わりません。
vx-change-gone = この予約はキャンセルされているため、変更できませんでした。
## 接種場所の絞り込み (seed 002 §3)
vx-browse-link = 接種場所の絞り込み
vx-browse-title = 接種場所の絞り込み
vx-browse-intro = 接種会場の種別とワクチンの種類で絞り込んで、予約状況を確認できます。ここでは予約はできません。
vx-browse-all = すべて
vx-browse-submit = 絞り込む
vx-browse-calendar = 日ごとの予約状況(絞り込んだ会場の合計)
vx-browse-venues = 接種会場({ $n }か所)
vx-browse-none = 条件に合う接種会場はありません。条件を変えてお試しください。
vx-browse-to-book = 予約するときは、マイページで接種回の「予約」ボタンを押してください。

## メールアドレスの確認 (連絡先, issue 12 step 5)
vx-verify-sent-title = 確認メールを送信しました
vx-verify-sent = { $email } に、メールアドレス確認のためのメールを送信しました。
vx-verify-sent-how = メールに記載のリンクを{ $minutes }分以内に開き、「メールアドレスを確認する」を押してください。そのあと、この画面の「確認しました」を押すと内容確認へ進みます。(このブラウザでリンクを開いた場合は、そのまま内容確認へ進みます。)
vx-verify-checked = 確認しました
vx-verify-not-yet = まだメールアドレスの確認ができていません。メールのリンクを開き、「メールアドレスを確認する」を押してから、もう一度「確認しました」を押してください。
vx-verify-no-mail = メールが届かない場合
vx-verify-no-mail-how = 迷惑メールのフォルダもご確認ください。メールアドレスに誤りがある場合は修正してください。メールアドレスを登録しなくても予約できます(予約完了メールとお知らせのメールは届きません)。
vx-verify-fix = メールアドレスを修正する
vx-verify-skip = メールアドレスを登録せずに進む
vx-verify-link-title = メールアドレスの確認
vx-verify-link-press = 「メールアドレスを確認する」を押すと、このメールアドレスを予約の連絡先として使えるようになります。
vx-verify-link-submit = メールアドレスを確認する
vx-verify-done-here = メールアドレスを確認しました。
vx-verify-done-elsewhere = メールアドレスを確認しました。予約をしている画面に戻り、「確認しました」を押してください。
vx-verify-link-expired = このリンクの有効期限が切れています。予約の画面の「メールアドレスを修正する」から、もう一度送信してください。
vx-verify-link-used = このリンクはすでに使われています。予約をしている画面に戻り、「確認しました」を押してください。
vx-verify-link-unknown = このリンクは無効です。メールに記載のリンクをもう一度ご確認ください。
