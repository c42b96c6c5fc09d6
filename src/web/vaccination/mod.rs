//! Vaccination booking (ワクチン接種予約), the resident's pages (seeds 002, 003, 000): the
//! terms, the ticket login (接種券番号 + 生年月日), the マイページ with the doses and their
//! bookings, choosing by place (場所から決める) or by date (日時から決める) on a month
//! calendar of ○△× days, the day's times, 連絡先, 内容確認 and 完了 (with 2件目), and the
//! booking's 詳細, 編集 and キャンセル. The engine beneath (slots, holds, bookings) is shared
//! with card pickup.
use axum::Router;

use crate::app::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
