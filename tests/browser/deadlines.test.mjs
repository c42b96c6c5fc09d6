// Cut-offs in days (issue 11): the administrator's section 予約と変更・取消の締切 on the
// settings page, with a mistake and its message, then 「予約日の60日前まで」 (every time the
// demo offers is past it); a resident on a 360-pixel phone in English sees the mark in the
// grid and, before booking, the warning with the call-centre line; the same page at 200 %
// text in Japanese loses nothing. Every page passes axe and the Nu checker. The demo is put
// back as it was at the end, for the journeys of the other files.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, launch, Visitor, samples, openMail } from "./lib.mjs";

let browser;
let people;
before(async () => {
  browser = await launch();
  // flows.test.mjs takes from the start, a11y.test.mjs from the end, recipient_fields 40…
  people = (await samples(browser)).slice(30);
});
after(async () => {
  await browser?.close();
});

async function toSettings(v) {
  const page = v.page;
  await page.goto(`${BASE}/t/demo/staff/login`);
  await page.getByLabel("ログインID").fill("admin");
  await page.getByLabel("パスワード").fill("demo-admin-password");
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.getByRole("link", { name: "設定", exact: true }).click();
  await v.check("settings");
}

const section = (page) => page.locator("#deadlines");

async function setChange(page, { days, until = "", hours = "24" }) {
  const s = section(page);
  const change = s.getByRole("group", { name: "変更・取消の期限" });
  if (days === undefined) {
    await change.getByRole("radio", { name: "予約日時の何時間前まで" }).check();
    await change.locator("input[name=cancel_deadline_hours]").fill(hours);
  } else {
    await change.getByRole("radio", { name: "予約日の何日前の何時まで" }).check();
    await change.getByLabel("何日前", { exact: true }).fill(days);
    await change.getByLabel("何時まで", { exact: true }).fill(until);
  }
  await s.getByRole("button", { name: "締切を保存" }).click();
  await page.waitForLoadState("load");
}

/// Visitors of their own network address and screen (as in recipient_fields.test.mjs).
async function visitorAt(name, { width, height = 900, scale = 1, locale = "ja", ip }) {
  const v = new Visitor(browser, { name, width, locale });
  v.context = await browser.newContext({
    viewport: { width, height },
    deviceScaleFactor: scale,
    locale: locale === "en" ? "en-GB" : "ja-JP",
    extraHTTPHeaders: { "X-Forwarded-For": ip },
  });
  v.page = await v.context.newPage();
  v.page.on("pageerror", (e) => v.violations.push(`script error: ${e.message}`));
  v.page.on("response", (r) => {
    if (r.request().resourceType() === "document" && r.request().frame() === v.page.mainFrame()) v.lastDocument = r;
  });
  return v;
}

function clipped() {
  const out = [];
  for (const e of document.querySelectorAll("main *, header *")) {
    if (e.closest(".sr-label, .skip-link, [hidden]")) continue;
    const cs = getComputedStyle(e);
    const hides = ["hidden", "clip"].includes(cs.overflowX) || ["hidden", "clip"].includes(cs.overflowY);
    if (hides && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)) {
      out.push(`${e.tagName.toLowerCase()}.${e.className}`);
    }
  }
  return out;
}

/// Entry and address check for one person, the booking form, the grid, the first cell,
/// and on to the confirmation page.
async function toConfirm(v, who, email) {
  const page = v.page;
  const en = v.locale === "en";
  if (en) await page.goto(`${BASE}/lang?to=en&back=%2Ft%2Fdemo%2F`);
  await page.goto(`${BASE}/t/demo/entry`);
  await page.locator("#number1_1").fill(who.number1);
  await page.locator("#birth_text_1").fill(who.birth);
  await page.locator("#email").fill(email);
  await page.locator("#email_confirm").fill(email);
  await page.locator("button[name=action][value=send]:visible").click();
  await page.waitForURL(/entry\/sent/);
  await openMail(v, email, en ? "Address check" : "連絡先アドレス確認メール");
  const link = await page.locator("main a", { hasText: "/apply/" }).first().getAttribute("href");
  await page.goto(link);
  await page.locator("main form button[type=submit]").first().click();
  await page.waitForURL(/\/apply$/);
  const person = page.locator("fieldset.person").first();
  await person.locator("input[name=name_1]").fill("締切 太郎");
  await person.locator("input[name=kana_1]").fill("しめきり たろう");
  await person.locator("input[name=phone_1]").fill("090-1234-5678");
  const counter = page.locator("#counter");
  if ((await counter.evaluate((e) => e.tagName)) === "SELECT") await counter.selectOption({ index: 1 });
  await page.locator("button[name=action][value=choose]:visible").click();
  await page.waitForURL(/\/apply\/slots/);
  await v.check("slots");
  const legend = await page.locator(".late-legend").innerText();
  assert.match(legend, en ? /Times marked “※” are past the deadline/ : /「※」の付いた時間帯は/);
  const cell = page.locator("table.slot-grid:visible td.cell-open button.late").first();
  assert.match(await cell.getAttribute("aria-label"), en ? /cannot be changed or cancelled online/ : /ウェブでの変更・取消不可/);
  // Two weeks or a month ahead ([>>]): the roster staff_day.test.mjs prints for tomorrow
  // stays as it was.
  await page.locator(".grid-nav:visible a").last().click();
  await page.waitForURL(/from=/);
  await page.locator("table.slot-grid:visible td.cell-open button.late").nth(3).click();
  await v.check("held");
  await page.locator("button[name=action][value=confirm]:visible").click();
  await page.waitForURL(/\/apply\/confirm/);
  await v.check("confirm-late");
}

test("deadlines in days: set on the console, warned before booking on a phone and at 200 % text", async () => {
  const admin = await new Visitor(browser, { name: "deadlines-admin", width: 1280 }).open();
  try {
    await toSettings(admin);
    const page = admin.page;
    // A mistake: the message next to the field, the summary links to it, the value kept.
    await setChange(page, { days: "400", until: "25時" });
    await admin.check("deadlines-errors");
    assert.match(await page.locator("#deadlines-cancel_deadline_days-error").innerText(), /0から365まで/);
    assert.match(await page.locator("#deadlines-cancel_deadline_until-error").innerText(), /0:00〜24:00/);
    assert.match(await page.locator("#deadlines-cancel_deadline_days").getAttribute("aria-describedby"), /cancel_deadline_days-error/);
    assert.equal(await page.locator("#deadlines-cancel_deadline_until").inputValue(), "25時");
    assert.equal(await page.locator(".error-summary a[href='#deadlines-cancel_deadline_days']").count(), 1);

    await setChange(page, { days: "60" });
    await admin.check("deadlines-saved");
    assert.match(await page.locator(".flash").innerText(), /予約と変更・取消の締切を保存しました。/);
    assert.match(await section(page).innerText(), /変更・取消は予約日の60日前までです。/);

    const [who, other] = people.splice(0, 2);
    const phone = await visitorAt("deadlines-phone", { width: 360, locale: "en", ip: "192.0.2.21" });
    try {
      await toConfirm(phone, who, "deadlines-phone@example.jp");
      const p = phone.page;
      // Before booking, in plain words, with the call-centre line, tied to the button.
      const warning = p.getByRole("note", { name: "This booking cannot be changed or cancelled online" });
      assert.equal(await warning.count(), 1);
      assert.match(await warning.innerText(), /past the deadline for changes and cancellations \(until the end of the day 60 days before the booked day/);
      assert.match(await warning.innerText(), /Contact: |Please contact the counter\./);
      const box = await warning.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 360, "the warning fits the phone's width");
      const book = p.getByRole("button", { name: "Book", exact: true });
      assert.equal(await book.getAttribute("aria-describedby"), "late-warning-title");
      await book.click();
      await phone.check("done");
      phone.assertClean();
    } finally {
      await phone.close();
    }

    const big = await visitorAt("deadlines-200pct", { width: 640, height: 450, scale: 2, ip: "192.0.2.22" });
    try {
      await toConfirm(big, other, "deadlines-200pct@example.jp");
      for (const c of await big.page.evaluate(clipped)) big.violations.push(`text cut off in ${c}`);
      assert.match(await big.page.locator(".late-warning").innerText(), /この予約は、ウェブで変更・取消ができません/);
      big.assertClean();
    } finally {
      await big.close();
    }
    admin.assertClean();
  } finally {
    // Back to the demo's 24 hours for the other files.
    await setChange(admin.page, { hours: "24" });
    assert.match(await section(admin.page).innerText(), /変更・取消は予約日時の24時間前までです。/);
    await admin.close();
  }
});
