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
