# ---- Vaccination booking, the resident's pages (templates/vaccination/, src/web/vaccination/).
# Wording of seeds 002 (Ninohe), 003 (Kamakura) and 000 (Gunma).

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
vx-mb-mail-cancelled-subject = 【予約取消通知メール】{ $tenant } ワクチン接種予約
vx-mb-mail-cancelled-body =
    次のワクチン接種の予約をキャンセルしました。
    ■予約ID
    { $receipt }
    ■接種回
    { $dose }
    ■キャンセルした予約の接種日時
    { $when }
    ■接種会場
    { $venue }
    改めて予約される場合は、予約サイトのマイページから予約してください。
    ご自身でキャンセルした覚えがない場合は、{ $tenant }の予約相談センターまでご連絡ください。
