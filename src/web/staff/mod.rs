//! The staff console: login per municipality, then the day's roster, phone bookings, the
//! schedule, the notice import, settings, the audit log and the mail delivery status. Each page group has its own
//! module exposing `routes()`; they are merged here under `/t/{tenant}/staff`.
pub mod audit;
pub mod auth;
pub mod day_roster;
pub mod deadlines;
pub mod fields;
pub mod forms;
pub mod imports;
pub mod mail;
pub mod mail_samples;
pub mod mail_wording;
pub mod pages;
pub mod phone;
pub mod reminders;
pub mod roster;
pub mod roster_scan;
pub mod schedule;
pub mod settings;
pub mod vaccination;

use axum::Router;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

use super::error::WebError;
use crate::app::{App, AppState};
use crate::db::staff::{self, StaffUser};
use crate::db::tenants::{self, Role, StaffAction, Tenant};
use schedule::Fields;

/// Every console route except the notice import, which takes large uploads and is merged
/// outside the general body limit (see `web::router`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(auth::routes())
        .merge(roster::routes())
        .merge(phone::routes())
        .merge(schedule::routes())
        .merge(settings::routes())
        .merge(deadlines::routes())
        .merge(fields::routes())
        .merge(pages::routes())
        .merge(audit::routes())
        .merge(mail::routes())
        .merge(mail_wording::routes())
        .merge(reminders::routes())
        .merge(vaccination::routes())
}

/// Marks a page that must not be kept by a shared PC's browser cache or a proxy: personal
/// data, and passwords shown once to read out.
pub fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

/// The member of staff behind this request, for the tenant in the URL.
pub struct Staff {
    pub tenant: Tenant,
    pub user: StaffUser,
    pub role: Role,
    pub csrf: String,
    pub session: auth::StaffSession,
    /// Whether the municipality offers vaccination booking: the menu shows its group.
    pub offers_vaccination: bool,
}

impl Staff {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// The context every console page starts from.
    pub fn context(&self) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("tenant_name", &self.tenant.name);
        ctx.insert("tenant_slug", &self.tenant.slug);
        ctx.insert("staff_name", &self.user.display_name);
        ctx.insert("is_admin", &self.is_admin());
        ctx.insert("csrf", &self.csrf);
        ctx.insert("offers_vaccination", &self.offers_vaccination);
        ctx
    }

    pub fn url(&self, rest: &str) -> String {
        format!("/t/{}/staff{}", self.tenant.slug, rest)
    }
}

/// Why a console request was not let through.
pub enum Denied {
    /// Not logged in (or idle too long): to the login page.
    Login(String),
    /// Logged in, but the page is for admins, or for another municipality: answered 404
    /// so it reveals nothing (not even that the municipality has a console there).
    Forbidden,
    Error(WebError),
}

impl From<WebError> for Denied {
    fn from(e: WebError) -> Denied {
        Denied::Error(e)
    }
}

impl From<crate::db::DbError> for Denied {
    fn from(e: crate::db::DbError) -> Denied {
        Denied::Error(e.into())
    }
}

impl IntoResponse for Denied {
    fn into_response(self) -> Response {
        match self {
            Denied::Login(url) => Redirect::to(&url).into_response(),
            Denied::Forbidden => WebError::NotFound.into_response(),
            Denied::Error(e) => e.into_response(),
        }
    }
}

/// Loads the logged-in member of staff for `slug`, sliding the idle timeout; `admin`
/// asks for the admin role.
pub async fn require(app: &App, jar: &CookieJar, slug: &str, admin: bool) -> Result<Staff, Denied> {
    let tenant = tenants::find_by_slug(&app.db, slug)
        .await?
        .ok_or(Denied::Error(WebError::NotFound))?;
    let login = format!("/t/{}/staff/login", tenant.slug);
    let session = match auth::load_session(app, jar, tenant.id).await? {
        auth::SessionFor::This(session) => session,
        auth::SessionFor::OtherTenant => return Err(Denied::Forbidden),
        auth::SessionFor::Nobody => return Err(Denied::Login(login)),
    };
    let Some(user) = staff::find(&app.db, session.staff_user_id).await? else {
        return Err(Denied::Login(login));
    };
    if user.tenant_id != tenant.id {
        return Err(Denied::Forbidden);
    }
    if !user.active {
        return Err(Denied::Login(login));
    }
    let role = Role::parse(&user.role).unwrap_or(Role::Clerk);
    if admin && role != Role::Admin {
        return Err(Denied::Forbidden);
    }
    let (_, csrf) = super::session::csrf_token(app, jar.clone());
    // One small indexed count per console request, for the menu.
    let offers_vaccination = crate::db::vaccination::is_offered(&app.db, tenant.id).await?;
    Ok(Staff {
        tenant,
        user,
        role,
        csrf,
        session,
        offers_vaccination,
    })
}

impl Staff {
    /// This member of staff acting now: what a console change hands to storage, which writes
    /// it into the audit entry of the same transaction.
    pub fn action(&self, app: &App) -> StaffAction {
        StaffAction {
            tenant_id: self.tenant.id,
            staff_user_id: Some(self.user.id),
            now: app.clock.now_unix(),
        }
    }
}

/// The admin behind a console form post, with its CSRF token checked: every settings page
/// (設定, 受取人情報の項目, 画面の文言, メールの文面, 開庁時間) starts its POST handlers here.
pub async fn admin_post(
    app: &App,
    jar: &CookieJar,
    slug: &str,
    form: &Fields,
) -> Result<Staff, Response> {
    let staff = require(app, jar, slug, true)
        .await
        .map_err(IntoResponse::into_response)?;
    super::session::check_csrf(app, jar, form.get("csrf").map(String::as_str).unwrap_or(""))
        .map_err(IntoResponse::into_response)?;
    Ok(staff)
}
