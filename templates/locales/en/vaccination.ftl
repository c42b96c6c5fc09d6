# ---- Vaccination booking, the resident's pages (templates/vaccination/, src/web/vaccination/).

label-ticket-number = the ticket number
vx-call-centre = Booking help centre
vx-call-centre-phone = Phone
vx-call-centre-hours = Hours
vx-to-login = Go to the login page

## Terms
vx-terms-title = Terms of use
vx-terms-heading = Terms of use
vx-privacy-heading = Personal information
vx-terms-agree = I agree to the terms of use
vx-terms-start = Start booking
vx-terms-not-agreed = You need to agree to the terms of use to book. Please tick "I agree to the terms of use".

## Login
vx-login-title = Log in
vx-login-intro = Enter your ticket number and date of birth, then press "Log in".
vx-ticket-number = Ticket number
vx-ticket-number-hint = The 10-digit number printed on your vaccination ticket.
vx-birthdate = Date of birth
vx-birthdate-hint = Eight digits, year month day (for 1 April 1970: 19700401). Japanese era dates such as "S45.4.1" work too.
vx-login-submit = Log in
vx-ticket-not-found = No ticket matches what you entered. Please enter it again.
vx-session-expired = You were logged out because nothing was done for a while. Please log in again.
vx-logged-out = You have logged out.
vx-logout = Log out

## My page
vx-mypage-title = My page
vx-mypage-person = { $name }
vx-mypage-doses = Your bookings
vx-booking-id = Booking ID
vx-booking-date = Date and time
vx-venue = Venue
vx-vaccine = Vaccine
vx-dose-not-booked = Not booked yet.
vx-dose-after-previous = Once the 1st dose is booked, you can book the 2nd.
vx-book = Book
vx-notice = Notices
vx-items = What to bring

## Booking details and cancellation (issue 12, resident step 8: the booking's pages from My page)
vx-mb-booking-details = Details
vx-mb-detail-title = Booking details
vx-mb-dose = Dose
vx-mb-venue-notice = Notice from the venue
vx-mb-contact-kana = Name (katakana)
vx-mb-contact-phone = Phone number
vx-mb-contact-email = Email address
vx-mb-none = None
vx-mb-booker = Booked by
vx-mb-wants-earlier = Earlier date wanted
vx-mb-wants-earlier-yes = Yes
vx-mb-wants-earlier-no = No
vx-mb-change-until = You can change or cancel this booking { $rule } (until { $deadline }).
vx-mb-change-closed = The deadline ({ $rule }) has passed, so this booking can no longer be changed or cancelled on this site. Please call the booking call centre.
vx-mb-edit = Change
vx-mb-cancel = Cancel
vx-mb-back-to-mypage = Back to My page
vx-mb-cancel-title = Cancel the booking
vx-mb-cancel-question = Do you want to cancel this booking?
vx-mb-yes = Yes
vx-mb-no = No
vx-mb-cancel-next-question = What should happen to the booking of the { $dose }?
vx-mb-cancel-next-why = The day of the { $dose } was chosen counting the interval from this booking's day.
vx-mb-cancel-next-too = Cancel the booking of the { $dose } too
vx-mb-cancel-next-keep = Keep the booking of the { $dose }
vx-mb-cancelled = The booking of the { $dose } has been cancelled.
vx-mb-cancel-kept-next = The booking of the { $dose } is kept, but the booking its interval was counted from is gone. Please check with the booking call centre that its day is still right.
vx-mb-mail-cancelled-subject = [Booking cancelled] { $tenant } vaccination booking
vx-mb-mail-cancelled-body =
    The following vaccination booking has been cancelled.
    Booking ID: { $receipt }
    Dose: { $dose }
    Date and time: { $when }
    Venue: { $venue }
    To book again, use My page on the booking site.
    If you did not cancel this booking, please contact the booking call centre of { $tenant }.
