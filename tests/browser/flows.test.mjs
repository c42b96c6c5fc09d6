// The resident's whole journey in a real browser, as seed 004 describes it: book, read the
// mails, look up, print, change the time, cancel; for one person and for three, on a wide
// screen and on a 360-pixel phone, in Japanese and (switched in the header) in English. Every page visited passes axe and is kept for the Nu
// HTML checker (run.sh); screenshots go to target/browser/screenshots.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ARTEFACTS, BASE, launch, Visitor, samples, openMail } from "./lib.mjs";

// What a person reads and presses, per language.
const T = {
  ja: {
    book: "受取予約をする",
    lookup: "予約を照会する",
    party: "同時に予約する人数を入力してください",
    partyButton: "人数を決定",
    number1: "番号1を入力してください",
    birthText: "または数字・和暦で入力",
    email: "連絡先メールアドレス",
    emailConfirm: "連絡先メールアドレス(確認用)",
    send: "送信する",
    sentHeading: "メール送信完了",
    verificationSubject: "連絡先アドレス確認メール",
    proceed: "予約の入力へ進む",
    name: "氏名",
    kana: "フリガナ",
    phone: /^電話番号/,
    counter: "交付窓口",
    choose: "予約日時選択",
    held: "仮押さえ中です",
    toConfirm: "確認へ進む",
    confirmHeading: "予約入力確認",
    doBook: "予約する",
    doneHeading: "予約入力完了",
    completionSubject: "予約完了通知メール",
    receipt: "受付番号",
    password: "パスワード",
    lookupButton: "照会する",
    detailsHeading: "予約詳細",
    print: "印刷用の画面",
    change: "予約日時を変更する",
    changeTo: "この日時に変更する",
    changed: "に変更しました",
    cancel: "予約を取り消す",
    cancelled: "予約を取り消しました",
    next: "次へ>",
  },
  en: {
    book: "Book a card pickup",
    lookup: "Look up a booking",
    party: "Number of people booking together",
    partyButton: "Set the number of people",
    number1: "Number 1 (番号1)",
    birthText: "Or type it as digits or a Japanese era date",
    email: "Contact email address",
    emailConfirm: "Contact email address (again, to confirm)",
    send: "Send",
    sentHeading: "Mail sent",
    verificationSubject: "Address check",
    proceed: "Go on to the booking form",
    name: "Name",
    kana: "Name in katakana (フリガナ)",
    phone: /^Phone number/,
    counter: "Counter",
    choose: "Choose a date and time",
    held: "This time is held for you",
    toConfirm: "Continue to confirmation",
    confirmHeading: "Confirm your booking",
    doBook: "Book",
    doneHeading: "Booking complete",
    completionSubject: "Booking complete",
    receipt: "Receipt number",
    password: "Password",
    lookupButton: "Look up",
    detailsHeading: "Booking details",
    print: "Open the printable page",
    change: "Change the date and time",
    changeTo: "Change to this time",
    changed: "The booking has been moved to",
    cancel: "Cancel the booking",
    cancelled: "The booking has been cancelled",
    next: "Next >",
  },
};

let browser;
let people;
before(async () => {
  browser = await launch();
  people = await samples(browser);
});
after(async () => {
  await browser?.close();
});

/// Takes `n` sample notices nobody else in this run has used.
function take(n) {
  assert.ok(people.length >= n, "enough sample notices");
  return people.splice(0, n);
}

async function journey({ name, width, locale, party }) {
  const t = T[locale];
  const who = take(party);
  const email = `${name}@example.jp`;
  const v = await new Visitor(browser, { name, width, locale }).open();
  const page = v.page;
  try {
    await page.goto(`${BASE}/t/demo/`);
    await v.check("home");
    if (locale === "en") {
      // The visible switch in the header; the cookie keeps it for every page after.
      await page.getByRole("navigation", { name: /Language/ }).getByRole("link", { name: "English" }).click();
      await v.check("home-en");
      assert.equal(await page.getAttribute("html", "lang"), "en");
    }
    await page.getByRole("link", { name: t.book }).click();
    await v.check("entry");
    if (party > 1) {
      await page.getByLabel(t.party).selectOption(String(party));
      await page.getByRole("button", { name: t.partyButton }).click();
      await v.check("entry-party");
    }
    const fieldsets = page.locator("fieldset.person");
    assert.equal(await fieldsets.count(), party);
    for (let i = 0; i < party; i++) {
      const person = fieldsets.nth(i);
      // Typed as people type: without the hyphen, in lower case.
      await person.getByLabel(t.number1).fill(who[i].number1.replace("-", "").toLowerCase());
      await person.getByLabel(t.birthText).fill(who[i].birth);
    }
    await page.getByLabel(t.email, { exact: true }).fill(email);
    await page.getByLabel(t.emailConfirm).fill(email);
    await page.getByRole("button", { name: t.send }).click();
    await v.check("sent");
    await page.getByRole("heading", { name: t.sentHeading }).waitFor();

    await openMail(v, email, t.verificationSubject);
    const link = await page.locator("main a", { hasText: "/apply/" }).first().getAttribute("href");
    await page.goto(link);
    await v.check("link");
    await page.getByRole("button", { name: t.proceed }).click();
    await v.check("apply");

    const persons = page.locator("fieldset.person");
    for (let i = 0; i < party; i++) {
      const p = persons.nth(i);
      await p.getByLabel(t.name, { exact: true }).fill(`テスト ${i + 1}`);
      await p.getByLabel(t.kana).fill("てすと");
      if (i === 0) await p.getByLabel(t.phone).fill("０９０－１２３４－５６７８");
    }
    const counter = page.getByLabel(t.counter);
    if ((await counter.evaluate((e) => e.tagName)) === "SELECT") {
      await counter.selectOption({ index: 1 });
    }
    await page.getByRole("button", { name: t.choose }).click();
    await v.check("slots");
    await assertSlotGridIsATable(page);
    // The grid's last open time (its rows are times, so that is the latest time of the last
    // open day, days ahead whatever day the run is on), well before the change deadline, so
    // the change below can move it.
    const cells = page.locator("table.slot-grid:visible td.cell-open button");
    await cells.nth((await cells.count()) - 1).click();
    await v.check("held");
    await page.getByText(t.held).waitFor();
    // The hold's time limit is said in words next to the time, with the way to extend it
    // tied to that text (WCAG 2.2.1).
    const info = await page.locator("#hold-info").innerText();
    assert.match(info, /\d\d:\d\d/, "the hold says until when");
    const extend = page.locator("button[name=action][value=extend]");
    assert.equal(await extend.getAttribute("aria-describedby"), "hold-info");
    await page.getByRole("button", { name: t.toConfirm, exact: true }).and(page.locator(":visible")).click();
    await v.check("confirm");
    await page.getByRole("heading", { name: t.confirmHeading }).waitFor();
    await page.getByRole("button", { name: t.doBook, exact: true }).click();
    await v.check("done");
    await page.getByRole("heading", { name: t.doneHeading }).waitFor();

    const mail = await openMail(v, email, t.completionSubject);
    const receipt = mail.match(/■ ?(?:受付番号|Receipt number)\s+([0-9-]+)/)[1];
    const password = mail.match(/■ ?(?:パスワード|Password)\s+([A-Z0-9-]+)/)[1];

    await page.goto(`${BASE}/t/demo/`);
    await page.getByRole("link", { name: t.lookup }).click();
    await v.check("lookup");
    await page.getByLabel(t.receipt).fill(receipt);
    await page.getByLabel(t.password).fill(password.toLowerCase());
    await page.getByRole("button", { name: t.lookupButton, exact: true }).click();
    await v.check("details");
    await page.getByRole("heading", { name: t.detailsHeading }).waitFor();
    await page.getByRole("link", { name: t.print }).click();
    await v.check("print");
    // The receipt's QR code, named for screen readers, with the number beside it.
    const qr = page.getByRole("img", { name: new RegExp(receipt) });
    assert.equal(await qr.count(), 1, "one QR code of the receipt");
    // Printed: one A4 sheet, the code about 3.5 cm wide.
    await page.emulateMedia({ media: "print" });
    const qrWidth = await qr.evaluate((e) => e.getBoundingClientRect().width);
    assert.ok(Math.abs(qrWidth - (35 / 25.4) * 96) < 2, `the QR code is 35 mm on paper, not ${qrWidth}px`);
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    writeFileSync(join(ARTEFACTS, `print-${name}.pdf`), pdf);
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.equal(pages, 1, "the booking prints on one A4 sheet");
    await page.emulateMedia({ media: "screen" });
    await page.goBack();

    await page.getByRole("link", { name: t.change }).click();
    await v.check("change-slots");
    await page.getByRole("link", { name: t.next }).and(page.locator(":visible")).first().click();
    await v.check("change-slots-next");
    await page.locator("table.slot-grid:visible td.cell-open button").first().click();
    await v.check("change-confirm");
    await page.getByRole("button", { name: t.changeTo }).click();
    await v.check("changed");
    await page.getByText(t.changed).waitFor();

    await page.getByRole("link", { name: t.cancel }).click();
    await v.check("cancel");
    await page.getByRole("button", { name: t.cancel }).click();
    await v.check("cancelled");
    await page.getByText(t.cancelled).waitFor();
    v.assertClean();
  } finally {
    await v.close();
  }
}

/// The 予約日選択 grid is a real table: a header cell per day (column) and per time (row),
/// and each bookable button says its day, time and free places.
async function assertSlotGridIsATable(page) {
  const grid = page.locator("table.slot-grid:visible");
  assert.equal(await grid.count(), 1, "one grid shown at a time");
  const days = await grid.locator("thead th[scope=col]").count();
  assert.ok(days >= 8, `a time column and 7 or 14 days, got ${days}`);
  const rows = await grid.locator("tbody tr").count();
  assert.equal(await grid.locator("tbody th[scope=row]").count(), rows, "every row has its time");
  assert.ok(await grid.locator("caption").count(), "a caption names the counter");
  const label = await grid.locator("td.cell-open button").first().getAttribute("aria-label");
  assert.match(label, /\d\d:\d\d/, `a cell says its time: ${label}`);
}

for (const locale of ["ja", "en"]) {
  for (const [width, device] of [
    [1280, "wide"],
    [360, "phone"],
  ]) {
    for (const party of [1, 3]) {
      const name = `${locale}-${device}-${party}p`;
      test(`${name}: book, look up, print, change and cancel`, () =>
        journey({ name, width, locale, party }));
    }
  }
}
