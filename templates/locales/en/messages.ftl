# Messages the resident handlers make (src/web/resident/*.rs): field errors, flashes,
# the pages that only say one thing.

hold-expired = The hold on your time has expired. Please go back to the form and choose the date and time again.
slot-taken = Someone else has just booked the time you chose, so it could not be booked. Please choose another time.
hold-extended = The hold has been extended. It is valid until { $time }.
hold-not-extended-cap = The hold cannot be extended any further. Please complete the booking by { $time }.
hold-placed = { $date } { $time } is held for you. Please complete the booking with [Continue to confirmation] by { $until }.
party-notice = As this booking is for { $n } people, { $n } consecutive free places are needed.
not-identified = The notice could not be identified. Please also enter Number 2.
not-found-with-number2 = The notice could not be identified. Please check Number 2 and the date of birth.
already-booked = This notice has already been booked. To check, change or cancel that booking, use “Look up a booking”.
duplicate-notice = The same notice has been entered twice.
party-range = Please choose between 1 and { $max } people.
email-mismatch = The two email addresses do not match. Please enter the same address twice.
name-required = Please enter the name.
counter-required = Please choose a counter.
hold-required = Please choose a date and time.
no-application-title = The application was not found
no-application = The application may have expired, or the link was opened in another browser. Please start again from the beginning.
link-expired-title = The link has expired
link-expired = The link in the address check mail has expired. Please start again from the beginning.
link-used-title = The link has already been used
link-used = The link in the address check mail can be used only once. Please start again from the beginning.
link-unknown-title = The link is not correct
link-unknown = Please open the link from the mail in full, without cutting it short. If that does not help, please start again from the beginning.
receipt-required = Please enter the receipt number.
password-required = Please enter the password.
lookup-failed = The receipt number or the password is not correct. Please check them in the booking completion mail.
already-cancelled = This booking has been cancelled.
cannot-change = This booking cannot be changed or cancelled.
deadline-passed = The deadline for changes and cancellations ({ $deadline }) has passed.
booking-changed = The booking has been moved to { $date } { $time }. The receipt number stays the same.
booking-cancelled = The booking has been cancelled.
no-email-registered = This booking has no email address.
mail-resent = The booking completion mail has been sent again. The password has changed to a new one; the old password no longer works.

# The fixed error pages (src/web/error.rs).
error-page-top = To the top page
error-page-not-found-title = Page not found
error-page-not-found = The page you were looking for was not found. Please check the address.
error-page-expired-title = This page has expired
error-page-expired = Please go back to the previous page, reload it and try again.
error-page-busy-title = The service is busy
error-page-busy = Please try again in a little while.
error-page-internal-title = An error occurred
error-page-internal = We are sorry. Please try again in a little while.

## ---- Cut-offs in days (issue 11, w11-deadlines): a time whose online booking has closed ----
booking-closed = Online booking for this time has closed (online booking is open { $rule }). Please choose another date and time.
booking-closed-change = This time is past the deadline for changes and cancellations ({ $rule }), so it cannot be booked online. Please choose another date and time.
