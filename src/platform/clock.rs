//! The browser clock, read only here so the core stays free of I/O: snapshots get their date
//! and time from these helpers.

/// Today in the browser's time zone, `YYYY-MM-DD`.
pub fn today() -> String {
    today_of(&js_sys::Date::new_0())
}

/// Now as local time with its offset (RFC 3339), for example `2026-12-02T19:54:15+01:00`.
pub fn now() -> String {
    let d = js_sys::Date::new_0();
    // getTimezoneOffset is minutes *behind* UTC: -60 means UTC+01:00.
    let offset = -(d.get_timezone_offset() as i32);
    let sign = if offset < 0 { '-' } else { '+' };
    format!(
        "{}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        today_of(&d),
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds(),
        offset.abs() / 60,
        offset.abs() % 60
    )
}

fn today_of(d: &js_sys::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}
