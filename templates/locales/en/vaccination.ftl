# ---- Vaccination booking, the resident's pages (templates/vaccination/, src/web/vaccination/).

vx-site-name = { $tenant } vaccination booking
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
vx-back-to-mypage = Back to my page
vx-back = Back
vx-dose = Dose
vx-address = Address
vx-directions = Directions
vx-venue-kind = Type of venue
vx-venue-notice = Notice from the venue

## Choosing how to book
vx-book-title = Book a vaccination
vx-booking-dose = Booking the { $dose }
vx-book-how = Choose how to book.
vx-by-place = Choose by place
vx-by-date = Choose by date
vx-dose-not-bookable = This dose cannot be booked now. Please see your page.
vx-mark-legend = ○: places free, △: few left, ×: full, －: cannot be booked
vx-choose-venue = Book at { $venue }
vx-venue-full = No times can be booked.
vx-venue-calendar = Availability at { $venue }
vx-calendar-intro = Choose the day you would like.
vx-month-paging = Month shown
vx-previous-month = ← Previous month
vx-next-month = Next month →
vx-date-venues = Venues on { $date }
vx-choose-time-at = Choose a time at { $venue }
vx-no-venues-that-day = No venue gives vaccinations on this day.
vx-times-title = Times at { $venue } on { $date }
vx-times-caption = Times and places left
vx-time = Time
vx-places-left = Left
vx-places-n = { $n } left
vx-choose = Choose
vx-full = Full
vx-no-times = No times can be booked on this day.
vx-back-to-calendar = Back to the calendar

## Hold
vx-chosen = Your chosen time and venue
vx-hold-held-2 = : please confirm the booking by then. After that the time is let go.
vx-choose-again = Choose another time or venue

## Contact
vx-contact-title = Contact details
vx-person-heading = The person to be vaccinated
vx-person-name = Name
vx-kana = Name in katakana
vx-kana-hint = In katakana (for example ヤマダ タロウ).
vx-phone = Phone number
vx-phone-hint = With or without hyphens.
vx-email = Email address (optional)
vx-email-hint = If you give one, we send the booking confirmation there.
vx-booker-heading = The person booking
vx-booker-hint = Fill in when someone books for the person to be vaccinated.
vx-booker-other = I am booking for someone else
vx-booker-name = Your name
vx-booker-name-hint = Only when you are not the person to be vaccinated.
vx-booker-phone = Your phone number
vx-booker-name-empty = Please enter your name.
vx-wants-earlier = I would like an earlier day if one frees up
vx-wants-earlier-hint = If you choose "Yes", we may contact you about moving to an earlier day when someone cancels.
vx-wants-earlier-empty = Please choose "Yes" or "No".
vx-yes = Yes
vx-no = No
vx-to-confirm = Go to confirmation

## Confirmation
vx-confirm-title = Check your booking
vx-not-yet = Your booking is not confirmed yet.
vx-edit-contact = Change contact details
vx-confirm-submit = Confirm the booking
vx-dose-already-booked = The { $dose } of this ticket is booked already. Please see your booking on your page.

## Done
vx-done-title = Your booking is complete
vx-done-mailed = We sent a confirmation email to { $email }.
vx-done-mypage = You can also see your booking on "My page".
vx-done-next = You can now book the { $dose }.
vx-second-booking = Book the second dose

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
## Changing a booking (編集, issue 12 resident step 8)
vx-change-title = Change your booking
vx-change-how = Choose how to find the new time and venue. Your booking ID and contact details stay the same.
vx-change-not-yet = The change is not confirmed yet.
vx-change-before = Before
vx-change-after = After
vx-change-submit = Confirm the change
vx-change-stop = Keep the booking as it is
vx-change-done = The booking of the { $dose } is now on { $date } { $time }. Your booking ID stays the same.
vx-change-gone = This booking has been cancelled, so it could not be changed.
## Finding a venue (接種場所の絞り込み, seed 002 §3)
vx-browse-link = Find a venue
vx-browse-title = Find a venue
vx-browse-intro = Narrow the venues by kind and vaccine to see how full they are. Nothing is booked on this page.
vx-browse-all = All
vx-browse-submit = Show
vx-browse-calendar = Places by day (all venues shown)
vx-browse-venues = Venues ({ $n })
vx-browse-none = No venue matches. Please try other choices.
vx-browse-to-book = To book, press "Book" for the dose on My page.

## Checking the mail address (連絡先, issue 12 step 5)
vx-verify-sent-title = We have sent you a mail
vx-verify-sent = We have sent a mail to { $email } to check the address.
vx-verify-sent-how = Open the link in the mail within { $minutes } minutes and press "Confirm my address". Then press "I have confirmed it" on this page to go on to the confirmation. (If you open the link in this browser, you go on by yourself.)
vx-verify-checked = I have confirmed it
vx-verify-not-yet = The address has not been confirmed yet. Open the link in the mail, press "Confirm my address", then press "I have confirmed it" again.
vx-verify-no-mail = If no mail arrives
vx-verify-no-mail-how = Please look in your spam folder too. If the address is wrong, correct it. You can also book without a mail address (you will then get no booking mail or reminders).
vx-verify-fix = Correct the mail address
vx-verify-skip = Go on without a mail address
vx-verify-link-title = Confirm your mail address
vx-verify-link-press = Press "Confirm my address" to use this address for your booking.
vx-verify-link-submit = Confirm my address
vx-verify-done-here = Your mail address is confirmed.
vx-verify-done-elsewhere = Your mail address is confirmed. Go back to the page where you are booking and press "I have confirmed it".
vx-verify-link-expired = This link has expired. Use "Correct the mail address" on the booking page to send it again.
vx-verify-link-used = This link has already been used. Go back to the page where you are booking and press "I have confirmed it".
vx-verify-link-unknown = This link is not valid. Please check the link in the mail again.
