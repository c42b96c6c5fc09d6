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
