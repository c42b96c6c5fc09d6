// Written to match migrations/sqlite and migrations/postgres; change all three together.
// One schema for both backends: only types that SQLite and PostgreSQL share.

diesel::table! {
    tenants (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        contact -> Text,
        faq_url -> Nullable<Text>,
        number1_format -> Text,
        number2_format -> Text,
        verification_ttl_min -> Integer,
        hold_ttl_min -> Integer,
        booking_window_days -> Integer,
        same_day_cutoff_min -> Integer,
        max_party_size -> Integer,
        cancel_deadline_hours -> Integer,
        pinned_counter_id -> Nullable<BigInt>,
        close_on_holidays -> Bool,
        close_year_end -> Bool,
        created_at -> BigInt,
        contact_en -> Text,
        pages_version -> BigInt,
        // Cut-offs in days (issue 11): NULL days = the minutes/hours column above.
        booking_cutoff_days -> Nullable<Integer>,
        booking_cutoff_until_min -> Integer,
        cancel_deadline_days -> Nullable<Integer>,
        cancel_deadline_until_min -> Integer,
        late_booking_allowed -> Bool,
    }
}

diesel::table! {
    services (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        kind -> Text,
        name -> Text,
        active -> Bool,
    }
}

diesel::table! {
    announcements (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        title -> Text,
        body -> Text,
        position -> Integer,
        published -> Bool,
        created_at -> BigInt,
    }
}

diesel::table! {
    counters (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        name -> Text,
        address -> Text,
        directions -> Text,
        map_url -> Nullable<Text>,
        active -> Bool,
        position -> Integer,
        service_kind -> Text,
        venue_kind -> Text,
        vaccine -> Text,
        notice -> Text,
    }
}

diesel::table! {
    opening_templates (id) {
        id -> BigInt,
        counter_id -> BigInt,
        service_id -> BigInt,
        weekday -> Integer,
        opens_min -> Integer,
        closes_min -> Integer,
        slot_min -> Integer,
        clerks -> Integer,
        valid_from -> Nullable<Date>,
        valid_until -> Nullable<Date>,
    }
}

diesel::table! {
    closures (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        counter_id -> Nullable<BigInt>,
        first_day -> Date,
        last_day -> Date,
        reason -> Text,
        service_kind -> Nullable<Text>,
    }
}

diesel::table! {
    slots (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        counter_id -> BigInt,
        service_id -> BigInt,
        day -> Date,
        start_min -> Integer,
        end_min -> Integer,
        capacity -> Integer,
        taken -> Integer,
        closed -> Bool,
    }
}

diesel::table! {
    notices (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        number1 -> Text,
        number2 -> Text,
        birthdate -> Date,
        name -> Text,
        kana -> Text,
        status -> Text,
        imported_at -> BigInt,
    }
}

diesel::table! {
    email_verifications (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        token_hash -> Text,
        email -> Text,
        notice_ids -> Text,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
        created_at -> BigInt,
        lang -> Text,
    }
}

diesel::table! {
    web_sessions (id_hash) {
        id_hash -> Text,
        tenant_id -> BigInt,
        kind -> Text,
        staff_user_id -> Nullable<BigInt>,
        data -> Text,
        expires_at -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    holds (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        counter_id -> BigInt,
        party_size -> Integer,
        placed_at -> BigInt,
        expires_at -> BigInt,
        state -> Text,
    }
}

diesel::table! {
    hold_slots (hold_id,slot_id) {
        hold_id -> BigInt,
        slot_id -> BigInt,
        position -> Integer,
    }
}

diesel::table! {
    bookings (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        service_id -> BigInt,
        counter_id -> BigInt,
        receipt_number -> Text,
        password_hash -> Text,
        email -> Nullable<Text>,
        email2 -> Nullable<Text>,
        party_size -> Integer,
        day -> Date,
        start_min -> Integer,
        end_min -> Integer,
        status -> Text,
        source -> Text,
        idempotency_key -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
        cancelled_at -> Nullable<BigInt>,
        anonymised_at -> Nullable<BigInt>,
        lang -> Text,
        ticket_id -> Nullable<BigInt>,
        dose_number -> Nullable<Integer>,
        terms_version -> Nullable<Integer>,
        booker_name -> Nullable<Text>,
        booker_phone -> Nullable<Text>,
        wants_earlier -> Bool,
        timed_at -> BigInt,
    }
}

diesel::table! {
    booking_slots (booking_id,slot_id) {
        booking_id -> BigInt,
        slot_id -> BigInt,
        position -> Integer,
    }
}

diesel::table! {
    booking_people (id) {
        id -> BigInt,
        booking_id -> BigInt,
        notice_id -> Nullable<BigInt>,
        position -> Integer,
        name -> Text,
        kana -> Text,
        phone -> Text,
        status -> Text,
        active -> Bool,
        answers -> Text,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> BigInt,
        tenant_id -> Nullable<BigInt>,
        to_addr -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Nullable<Text>,
        ics -> Nullable<Text>,
        inline_png -> Nullable<Binary>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        claimed_until -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
        created_at -> BigInt,
        sent_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    staff_users (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        login -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> Text,
        active -> Bool,
        created_at -> BigInt,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        staff_user_id -> Nullable<BigInt>,
        at -> BigInt,
        action -> Text,
        booking_id -> Nullable<BigInt>,
        detail -> Text,
    }
}

diesel::table! {
    auth_failures (scope,key_hash) {
        scope -> Text,
        key_hash -> Text,
        failures -> Integer,
        window_started_at -> BigInt,
        locked_until -> Nullable<BigInt>,
        updated_at -> BigInt,
    }
}

diesel::table! {
    rate_windows (scope, key_hash) {
        scope -> Text,
        key_hash -> Text,
        started_at -> BigInt,
        count -> Integer,
    }
}

diesel::table! {
    pow_solved (challenge) {
        challenge -> Text,
        expires_at -> BigInt,
    }
}

diesel::table! {
    resident_tickets (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        service_id -> BigInt,
        ticket_number -> Text,
        birthdate -> Date,
        dose_number -> Integer,
        created_at -> BigInt,
        name -> Text,
        kana -> Text,
        previous_dose_on -> Nullable<Date>,
        updated_at -> BigInt,
    }
}

diesel::table! {
    waitlist_registrations (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        service_id -> BigInt,
        email -> Text,
        name -> Text,
        birthdate -> Date,
        phone -> Text,
        dose_number -> Integer,
        notify -> Bool,
        booking_id -> Nullable<BigInt>,
        lang -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    waitlist_places (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        service_id -> BigInt,
        slot_id -> BigInt,
        places -> Integer,
        source -> Text,
        staff_user_id -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    waitlist_notices (id) {
        id -> BigInt,
        registration_id -> BigInt,
        notice_at -> BigInt,
        queued_at -> BigInt,
    }
}

diesel::table! {
    waitlist_notice_times (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        service_id -> BigInt,
        at_min -> Integer,
    }
}

diesel::table! {
    line_links (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        line_user_hash -> Text,
        resident_ticket_id -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    reminders (id) {
        id -> BigInt,
        booking_id -> BigInt,
        days_before -> Integer,
        at_min -> Integer,
        visit_at -> BigInt,
        channel -> Text,
        queued_at -> BigInt,
    }
}

diesel::table! {
    reminder_rules (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        service_id -> BigInt,
        days_before -> Integer,
        at_min -> Integer,
        active -> Bool,
        created_at -> BigInt,
    }
}

diesel::joinable!(services -> tenants (tenant_id));

diesel::joinable!(announcements -> tenants (tenant_id));

diesel::joinable!(counters -> tenants (tenant_id));

diesel::joinable!(opening_templates -> counters (counter_id));

diesel::joinable!(opening_templates -> services (service_id));

diesel::joinable!(closures -> tenants (tenant_id));

diesel::joinable!(closures -> counters (counter_id));

diesel::joinable!(slots -> tenants (tenant_id));

diesel::joinable!(slots -> counters (counter_id));

diesel::joinable!(slots -> services (service_id));

diesel::joinable!(notices -> tenants (tenant_id));

diesel::joinable!(email_verifications -> tenants (tenant_id));

diesel::joinable!(web_sessions -> tenants (tenant_id));

diesel::joinable!(holds -> tenants (tenant_id));

diesel::joinable!(holds -> counters (counter_id));

diesel::joinable!(hold_slots -> holds (hold_id));

diesel::joinable!(hold_slots -> slots (slot_id));

diesel::joinable!(bookings -> tenants (tenant_id));

diesel::joinable!(bookings -> services (service_id));

diesel::joinable!(bookings -> counters (counter_id));

diesel::joinable!(booking_slots -> bookings (booking_id));

diesel::joinable!(booking_slots -> slots (slot_id));

diesel::joinable!(booking_people -> bookings (booking_id));

diesel::joinable!(booking_people -> notices (notice_id));

diesel::joinable!(mail_outbox -> tenants (tenant_id));

diesel::joinable!(staff_users -> tenants (tenant_id));

diesel::joinable!(audit_log -> tenants (tenant_id));

diesel::joinable!(audit_log -> staff_users (staff_user_id));

diesel::joinable!(audit_log -> bookings (booking_id));

diesel::joinable!(resident_tickets -> tenants (tenant_id));

diesel::joinable!(resident_tickets -> services (service_id));

diesel::joinable!(waitlist_registrations -> services (service_id));
diesel::joinable!(waitlist_registrations -> bookings (booking_id));
diesel::joinable!(waitlist_places -> slots (slot_id));
diesel::joinable!(waitlist_notices -> waitlist_registrations (registration_id));

diesel::joinable!(line_links -> tenants (tenant_id));

diesel::joinable!(line_links -> resident_tickets (resident_ticket_id));

diesel::joinable!(reminders -> bookings (booking_id));

diesel::joinable!(reminder_rules -> services (service_id));

diesel::allow_tables_to_appear_in_same_query!(
    tenants,
    services,
    announcements,
    counters,
    opening_templates,
    closures,
    slots,
    notices,
    email_verifications,
    web_sessions,
    holds,
    hold_slots,
    bookings,
    booking_slots,
    booking_people,
    mail_outbox,
    staff_users,
    audit_log,
    auth_failures,
    resident_tickets,
    waitlist_notice_times,
    waitlist_notices,
    waitlist_places,
    waitlist_registrations,
    line_links,
    reminders,
    reminder_rules,
    notice_imports,
    vaccination_settings,
);

diesel::table! {
    notice_imports (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        staff_user_id -> Nullable<BigInt>,
        encoding -> Text,
        file_name -> Text,
        row_count -> Integer,
        payload -> Text,
        status -> Text,
        created_at -> BigInt,
        committed_at -> Nullable<BigInt>,
        new_count -> Nullable<Integer>,
        updated_count -> Nullable<Integer>,
        kind -> Text,
    }
}

diesel::joinable!(notice_imports -> tenants (tenant_id));

diesel::joinable!(notice_imports -> staff_users (staff_user_id));

diesel::table! {
    recipient_fields (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        kind -> Text,
        label_ja -> Text,
        label_en -> Text,
        help_ja -> Text,
        help_en -> Text,
        choices -> Text,
        requirement -> Text,
        active -> Bool,
        position -> Integer,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::joinable!(recipient_fields -> tenants (tenant_id));

// 画面の文言 and the header image (issue 11, migration 2026-12-04-000003_municipality_pages).
diesel::table! {
    municipality_texts (tenant_id, text_key, lang) {
        tenant_id -> BigInt,
        text_key -> Text,
        lang -> Text,
        body -> Text,
        updated_at -> BigInt,
    }
}

diesel::joinable!(municipality_texts -> tenants (tenant_id));

diesel::table! {
    header_images (tenant_id) {
        tenant_id -> BigInt,
        sha256 -> Text,
        content_type -> Text,
        width -> Integer,
        height -> Integer,
        bytes -> Binary,
        file_name -> Text,
        alt_ja -> Text,
        alt_en -> Text,
        updated_at -> BigInt,
    }
}

diesel::joinable!(header_images -> tenants (tenant_id));

// メールの文面 (issue 11, migration 2026-12-04-000004_mail_templates).
diesel::table! {
    mail_templates (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        mail -> Text,
        lang -> Text,
        subject -> Nullable<Text>,
        body -> Nullable<Text>,
        updated_at -> BigInt,
    }
}

diesel::joinable!(mail_templates -> tenants (tenant_id));

diesel::table! {
    vaccination_settings (service_id) {
        service_id -> BigInt,
        tenant_id -> BigInt,
        intervals -> Text,
        few_below_percent -> Integer,
        few_at_or_below -> Nullable<Integer>,
        booking_window_days -> Integer,
        booking_cutoff_min -> Integer,
        booking_cutoff_days -> Nullable<Integer>,
        booking_cutoff_until_min -> Integer,
        cancel_deadline_hours -> Integer,
        cancel_deadline_days -> Nullable<Integer>,
        cancel_deadline_until_min -> Integer,
        session_idle_min -> Integer,
        terms_version -> Integer,
        terms_ja -> Text,
        terms_en -> Text,
        privacy_ja -> Text,
        privacy_en -> Text,
        notice_ja -> Text,
        notice_en -> Text,
        items_ja -> Text,
        items_en -> Text,
        call_centre_name -> Text,
        call_centre_phone -> Text,
        call_centre_hours -> Text,
        updated_at -> BigInt,
    }
}

diesel::joinable!(vaccination_settings -> services (service_id));
diesel::joinable!(bookings -> resident_tickets (ticket_id));
