# The resident pages (templates/base.html, home.html, faq.html, _challenge.html,
# resident/*). Japanese terms of the notice postcard are kept in brackets where a
# resident has to match them with what is printed.

skip-link = Skip to main content
site-name = { $tenant } My Number Card pickup booking
site-name-generic = Madoguchi counter booking
lang-switch-label = Language (言語)
footer-contact-label = Contact:{ " " }
title-error-prefix = Error:{ " " }
colon = :{ " " }
optional = { " " }(optional)
none = None
back-to-top = Back to the top page
map-link = View map
restart = Start again
may-close = You may now close this browser window.
please-select = Please choose
not-selected = Not chosen yet.
not-selected-short = Not chosen
ask-contact = Please contact { $contact }.
ask-counter = Please contact the counter.

receipt-number = Receipt number
password = Password
status = Status
booking-datetime = Date and time
counter = Counter
party-size = Number of people
people-count = { $n ->
    [one] { $n } person
   *[other] { $n } people
}
email = Contact email address
email2 = Contact email address 2
email-confirm = Contact email address (again, to confirm)
recipients = Card recipients
recipient = Recipient
person-nth = Person { $n }
name = Name
kana = Name in katakana (フリガナ)
phone = Phone number
access = Getting to the counter
contact = Contact

home-title = Top page
home-menu = Booking menu
home-book = Book a card pickup
home-lookup = Look up a booking
home-faq = FAQ (frequently asked questions)
home-announcements = Announcements
home-no-announcements = There are no announcements at the moment.
home-no-counters = No counter is taking bookings at the moment.
home-dev-label = For development
home-dev-1 = This is a development demo. Sample numbers and birthdates to book with are on the
home-dev-samples = sample list
home-dev-2 = . Mails sent are in the
home-dev-mailbox = development mailbox
home-dev-3 = .

faq-title = Frequently asked questions
faq-intro = Questions we are often asked about booking the pickup of a My Number Card, with their answers.
faq-booking = How to book
faq-q-number1 = Where do I find “Number 1” (番号1)?
faq-a-number1 = On the address side of the notice postcard (交付通知書), above the QR code at the top right: 3 letters or digits, a hyphen and 6 digits. You may type it with or without the hyphen; full-width characters are accepted too.
faq-q-number2 = The page says “The notice could not be identified. Please also enter Number 2.”
faq-a-number2 = Someone else has the same Number 1 and date of birth, so Number 2 is used to tell you apart. Type the 18 letters and digits printed below the QR code at the top right of the postcard's address side, and press [Send] again.
faq-q-family = Can I book for my family at the same time?
faq-a-family = Yes. Under “Number of people booking together” you can choose up to { $max }. Only times where enough consecutive places are free for everyone can be chosen. The number of people cannot be changed after booking: to change it, cancel the booking and book again from the start.
faq-q-no-mail = The address check mail (連絡先アドレス確認メール) has not arrived.
faq-a-no-mail = Please look in your spam folder. If the email address you typed was wrong, please start again. The link in the mail stops working after { $ttl } minutes and can be used only once.
faq-q-window = How far ahead can I book?
faq-a-window = Any free time from today up to { $days } days ahead. On the date selection page, choose a time that shows a number (the number is how many places are free).
faq-q-limit = Is there a time limit once I have chosen a time?
faq-a-limit = The time you chose is held for you for { $ttl } minutes. Within that time, go on with [Continue to confirmation] and [Book]. If you need more time, press [Extend the hold].
faq-after = After booking
faq-q-change = I want to check, change the time of, or cancel my booking.
faq-a-change = Use [Look up a booking] on the top page with the receipt number and password from the booking completion mail. Changes and cancellations are accepted { $deadline }.
faq-q-password = I have lost my password.
faq-a-password = If you cannot look up your booking, please contact { $contact }.
faq-a-password-counter = If you cannot look up your booking, please contact the counter.
faq-q-bring = What should I bring on the day?

pow-working = Checking…
pow-done = The check has finished. Please review your entries and send the form.
pow-failed = The check could not be done. Please reload the page.
pow-noscript = JavaScript is turned off, so the check cannot be done. Please turn JavaScript on, or wait about { $wait } and try again.

error-summary-title = There is a problem with what was entered
error-notice-title = Please wait
summary-person = Person { $n }: { $message }

entry-title = Enter your email address
entry-intro = Please have the notice postcard (交付通知書) at hand. We will send an address check mail to the email address you enter.
entry-send = Send
entry-party = Number of people booking together
entry-party-set = Set the number of people
entry-party-hint = Fields for that many people are shown; what you have already typed is kept. The number of people cannot be changed after booking (to change it, cancel the booking and book again from the start).
entry-party-changed = { $n ->
    [one] The form now has fields for { $n } person. Please check each field and press [Send].
   *[other] The form now has fields for { $n } people. Please check each field and press [Send].
}
entry-number1 = Number 1 (番号1)
entry-number1-hint = The number printed above the QR code at the top right of the postcard's address side.{ " " }
entry-birthdate = Date of birth
entry-birthdate-hint = Choose the year, month and day, or type it like “19720415” or “昭和47年4月15日”.
part-year-label = Year
part-month-label = Month
part-day-label = Day
entry-year-select = Choose the year
month-option = { $n }
day-option = { $n }
entry-birth-text = Or type it as digits or a Japanese era date
entry-birth-placeholder = e.g. 19720415
entry-understood = Accepted as { $date }.
entry-number2 = Number 2 (番号2)
entry-number2-hint = The 18 letters and digits printed below the QR code at the top right of the postcard's address side.{ " " }

sent-title = Mail sent
sent-text = We have sent an address check mail (連絡先アドレス確認メール) to the email address you entered.
sent-link = Please open the link in the mail to go on to the booking form. The link is valid for { $ttl } minutes.
sent-summary = What we received
sent-no-mail = If the mail does not arrive, please look in your spam folder, or check that the email address was typed correctly and start again.
sent-birthdate = Person { $n }: date of birth { $date }
sent-to = Sent to: { $email }

link-title = Email address confirmed
link-text = The link from the address check mail is valid. Press the button below to go on to the booking form.
link-once = This link can be used only once.
link-go = Go on to the booking form

apply-title = Booking form
apply-confirm = Continue to confirmation
apply-number1-note = { " " }(Number 1: { $number })
apply-phone-hint = A number where you can be reached during the day (e.g. 090-1234-5678)
apply-issue-info = Pickup details
apply-choose = Choose a date and time
hold-held-1 = This time is held for you.{ " " }
hold-until = Please complete the booking by { $time }
hold-held-2 = { " " }using [Continue to confirmation]. After that time the hold is released.
hold-extend = Extend the hold
hold-valid-until = The hold is valid until { $time }.{ " " }
hold-released = After that time the hold is released.

slots-title = Choose a date
slots-intro = Cells with a number are times you can book (the number is how many places are free). Choose the cell of the time you want.
slots-back = Back to the booking form
grid-nav-label = Move the period shown ({ $width })
grid-prev-far = { " " }back { $far }
grid-next-far = { " " }forward { $far }
grid-prev = < Previous
grid-next = Next >
grid-caption = Times that can be booked at { $counter } (numbers are free places)
grid-time = Time
grid-cell-none = No bookings
grid-cell-full = Full
grid-cell-closed = Not available
grid-none-selectable = No time can be booked in this period. Use [Next >] to see another period.
grid-wide = two weeks shown
grid-narrow = one week shown
grid-far-wide = one month
grid-far-narrow = two weeks
grid-day-long = { $weekday }, { $monthname } { $day }
grid-range = { $from } – { $to }
grid-cell-label = { $day } { $time }, { $free } free
weekday-short = { $n ->
    [1] Mon
    [2] Tue
    [3] Wed
    [4] Thu
    [5] Fri
    [6] Sat
   *[7] Sun
}
time-range = { $from }–{ $to }

confirm-title = Confirm your booking
confirm-text = The booking will be made as shown below. If it is right, press [Book].
confirm-back = Back to the form
confirm-book = Book

done-title = Booking complete
done-text = Your booking is complete.
done-mail = The booking completion mail has been sent to { $email }. It holds the receipt number and password you need to look up, change or cancel the booking: please keep it safe.
done-lookup = Look up the booking
done-print = You can print the booking from [Look up the booking]. If you do not need a printout, you may close this browser window.

lookup-title = Look up a booking
lookup-intro = Please enter the receipt number and password from the booking completion mail.
lookup-receipt-hint = e.g. 1234-5678-90 (the hyphens may be left out)
lookup-submit = Look up

booking-title = Booking details
booking-bring = When you come, please bring the notice postcard (交付通知書) and the identity documents listed in the leaflet that came with it.
booking-print = Open the printable page
booking-change-cancel = Change or cancel the booking
booking-change-until = Changes and cancellations are accepted until { $deadline }. The number of people cannot be changed (to change it, cancel the booking and book again from the start).
booking-change = Change the date and time
booking-cancel = Cancel the booking
booking-change-past = The deadline for changes and cancellations ({ $deadline }) has passed.{ " " }
booking-resend-title = Send the booking completion mail again
booking-resend-text = If you cannot find the mail, it can be sent again. Sending it again changes the password to a new one.
booking-resend = Send the booking completion mail again
status-booked = Booked
status-visited = Visited
status-no-show = Did not come
status-cancelled = Cancelled

print-title = Booking (printable)
print-heading = { $tenant } My Number Card pickup: booking
print-bring-sheet = Please bring this printed page too.
print-printed-at = Printed: { $at }
print-how = Please print with your browser's print function (“Print” in its menu).
print-back = Back to the booking details

cancel-title = Cancel the booking
cancel-text = The booking below will be cancelled. If that is what you want, press [Cancel the booking]. A cancelled booking cannot be restored.
cancel-back = Go back without cancelling

change-title = Change the date and time
change-before = Before
change-after = After
change-rechoose = Choose another time
change-submit = Change to this time
change-back = Back to the booking details without changing

# The QR code of the receipt number (completion page, print view): the counter's scanner
# reads it (issue 11).
receipt-qr-label = QR code of receipt number { $receipt }
receipt-qr-note = When you come, the clerk scans this QR code at the counter to check you in.
## Answers to the municipality's own yes/no recipient fields.
answer-yes = Yes
answer-no = No

## ---- Cut-offs in days (issue 11, w11-deadlines): the rules above the grid, the mark on a
## time past the change/cancel deadline, the warning before booking it, the call-centre line ----
slots-rules = Online booking is open { $booking }; bookings can be changed or cancelled online { $change }.
grid-late-legend = Times marked “※” are past the deadline for changes and cancellations. You can book them, but the booking cannot be changed or cancelled online afterwards.
grid-cell-late = (cannot be changed or cancelled online)
late-title = This booking cannot be changed or cancelled online
late-text = The time you chose is past the deadline for changes and cancellations ({ $rule }: { $deadline }). Once booked, its date and time cannot be changed, nor the booking cancelled, on this site.
late-call = If you need to change or cancel it, please call.
late-change-text = The new time is past the deadline for changes and cancellations ({ $rule }: { $deadline }). After this change, the booking can no longer be changed or cancelled on this site.
call-centre = Contact: { $contact }
booking-change-rule = Changes and cancellations are accepted { $rule }.
faq-q-cutoff = Until when can I book? Can I change or cancel a booking made at short notice?
faq-a-cutoff = Online booking is open { $booking }. Changes and cancellations are accepted { $change }. If you choose a time already past that deadline, you are told so before booking. After the deadline, please call the contact below to change or cancel.

## ---- The municipality's services on its home page (issue 12, vx-venues) ----
home-services = Services you can book
home-service-card-pickup = My Number Card pickup
home-service-vaccination = Vaccination booking
home-service-vaccination-about = Log in with the number on your vaccination ticket (接種券) and your date of birth to book, change or cancel your vaccination.
home-vaccination-start = Book a vaccination
## ---- end of the municipality's services ----
