// Vaccination booking, the resident's whole way (seeds 002, 003): 利用規約 (refused without
// the box, then ticked by keyboard), ログイン (a wrong birthdate, then the right one), the
// マイページ, 「日時から決める」 on the month calendar, the day's venues and times, 連絡先
// with its errors, the address check by its link mail, 内容確認, 完了, the mail, 「接種場所の絞り込み」, the booking's 詳細, 編集
// (another time, 「予約の変更」, the change mail) and キャンセル, and ログアウト. In Japanese on a 360-pixel
// phone and in English at 200 % text; every page passes axe and the Nu checker.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, launch, Visitor, openMail } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/// Sample tickets 18 and 19 of the demo (2回目, previous dose a week ago): nobody else's.
const TICKETS = {
  ja: { number: "2026000019", birth: "19940419" },
  en: { number: "2026000020", birth: "19970420" },
};

async function visitorAt(name, { width, height = 900, scale = 1, locale, ip }) {
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

async function journey(v) {
  const page = v.page;
  const en = v.locale === "en";
  const t = (ja, english) => (en ? english : ja);
  const who = TICKETS[v.locale];
  const email = `vx-${v.locale}@example.jp`;
  if (en) await page.goto(`${BASE}/lang?to=en&back=%2Ft%2Fdemo%2F`);

  await page.goto(`${BASE}/t/demo/vaccination/`);
  await v.check("terms");
  await page.getByRole("button", { name: t("予約をはじめる", "Start booking") }).click();
  await v.check("terms-refused");
  assert.match(await page.locator("#agree-error").innerText(), t(/利用規約への同意が必要です/, /agree to the terms/));
  // By keyboard: the box ticked with Space, the button pressed with Enter.
  await page.locator("#agree").focus();
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.waitForURL(/vaccination\/login/);
  await v.check("login");

  await page.getByLabel(t("接種券番号", "Ticket number")).fill(who.number);
  await page.getByLabel(t("生年月日", "Date of birth")).fill("19000101");
  await page.getByRole("button", { name: t("ログイン", "Log in"), exact: true }).click();
  await v.check("login-wrong");
  assert.match(await page.locator("main").innerText(), t(/該当する接種券が見つかりませんでした/, /No ticket matches/));
  assert.equal(await page.getByLabel(t("接種券番号", "Ticket number")).inputValue(), who.number);
  await page.getByLabel(t("生年月日", "Date of birth")).fill(who.birth);
  await page.getByRole("button", { name: t("ログイン", "Log in"), exact: true }).click();
  await page.waitForURL(/vaccination\/mypage/);
  await v.check("mypage");
  assert.match(await page.locator("main").innerText(), t(/2回目/, /2nd dose/));

  await page.getByRole("link", { name: t("予約", "Book"), exact: true }).click();
  await v.check("book");
  await page.getByRole("link", { name: t("日時から決める", "Choose by date") }).click();
  await v.check("calendar");
  assert.equal(await page.locator("table.month-calendar caption").count(), 1);
  // Dose 2 a week after dose 1: the first weeks are refused for the interval, and say so.
  await page.locator("table.month-calendar td.day-too-early a").first().click();
  await v.check("day-too-early");
  assert.match(await page.locator("main").innerText(), t(/接種可能な期間を経過していない/, /not enough time will have passed/));
  await page.goBack();
  let open = page.locator("table.month-calendar td.day-plenty a");
  if ((await open.count()) === 0) {
    await page.getByRole("link", { name: t("来月→", "Next month →") }).click();
    open = page.locator("table.month-calendar td.day-plenty a");
  }
  await open.first().click();
  await v.check("date-venues");
  await page.locator("main section.venue a.button").first().click();
  await v.check("times");
  await page.getByRole("button", { name: t("選択", "Choose") }).first().click();
  await page.waitForURL(/vaccination\/contact/);
  await v.check("contact");
  assert.match(await page.locator("#hold").innerText(), t(/仮押さえ中です/, /held/i));

  await page.getByRole("button", { name: t("内容確認へ進む", "Go to confirmation") }).click();
  await v.check("contact-errors");
  assert.equal(await page.locator(".error-summary a[href='#kana']").count(), 1);
  await page.locator("#kana").fill("せっしゅ はなこ");
  await page.locator("#phone").fill("090-1111-2222");
  await page.locator("#email").fill(email);
  await page.locator("#wants_earlier_no").check();
  await page.getByRole("button", { name: t("内容確認へ進む", "Go to confirmation") }).click();
  // The address is checked first: the link mail, opened in this browser, goes on.
  await page.waitForURL(/vaccination\/contact\/verify/);
  await v.check("verify-sent");
  assert.match(await page.locator("main").innerText(), t(/確認メールを送信しました/, /We have sent you a mail/));
  await openMail(v, email, t("メールアドレスの確認", "Confirm your address"));
  const link = await page.locator("main a", { hasText: "/vaccination/verify/" }).first().getAttribute("href");
  await page.goto(link);
  await v.check("verify-link");
  await page.getByRole("button", { name: t("メールアドレスを確認する", "Confirm my address") }).click();
  await page.waitForURL(/vaccination\/confirm/);
  await v.check("confirm");
  assert.match(await page.locator("main").innerText(), t(/まだ予約は確定していません。/, /not confirmed yet/));
  await page.getByRole("button", { name: t("予約を確定する", "Confirm the booking") }).click();
  await page.waitForURL(/vaccination\/done/);
  await v.check("done");
  const done = await page.locator("main").innerText();
  assert.match(done, t(/ご予約が完了しました/, /Your booking is complete/));
  const receipt = await page.locator(".receipt strong").innerText();
  const mail = await openMail(v, email, t("予約完了", "Booking confirmed"));
  assert.ok(mail.includes(receipt), mail);

  await page.goto(`${BASE}/t/demo/vaccination/mypage`);
  await v.check("mypage-booked");
  assert.ok((await page.locator("main").innerText()).includes(receipt));

  // 「接種場所の絞り込み」: read only, narrowed by kind with the GET form.
  await page.getByRole("link", { name: t("接種場所の絞り込み", "Find a venue") }).click();
  await v.check("browse");
  await page.getByLabel(t("会場の種類", "Type of venue")).selectOption("clinic");
  await page.getByRole("button", { name: t("絞り込む", "Show"), exact: true }).click();
  await page.waitForURL(/browse\?kind=clinic/);
  await v.check("browse-clinics");
  assert.match(await page.locator("#venues-heading").innerText(), t(/1か所/, /\(1\)/));
  await page.getByRole("link", { name: t("マイページへ戻る", "Back to my page") }).click();

  // 詳細 → 編集: another time by date, 「予約の変更」 with before and after, confirmed by
  // keyboard; the 予約ID stays and the change is mailed.
  await page.getByRole("link", { name: t(/^詳細/, /^Details/) }).click();
  await v.check("booking-detail");
  await page.getByRole("link", { name: t("編集", "Change"), exact: true }).click();
  await v.check("change-start");
  await page.getByRole("link", { name: t("日時から決める", "Choose by date") }).click();
  await v.check("change-calendar");
  let days = page.locator("table.month-calendar td.day-plenty a");
  if ((await days.count()) < 2) {
    await page.getByRole("link", { name: t("来月→", "Next month →") }).click();
    days = page.locator("table.month-calendar td.day-plenty a");
  }
  await days.last().click();
  await page.locator("main section.venue a.button").first().click();
  await page.getByRole("button", { name: t("選択", "Choose") }).last().click();
  await page.waitForURL(/vaccination\/change$/);
  await v.check("change-confirm");
  const changing = await page.locator("main").innerText();
  assert.match(changing, t(/まだ変更は確定していません。/, /not confirmed yet/));
  assert.match(changing, t(/変更前/, /Before/));
  await page.getByRole("button", { name: t("変更を確定する", "Confirm the change") }).focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(/vaccination\/bookings\/\d+$/);
  await v.check("changed");
  const changed = await page.locator("main").innerText();
  assert.match(changed, t(/予約IDは変わりません/, /booking ID stays the same/));
  assert.ok(changed.includes(receipt), changed);
  const changeMail = await openMail(v, email, t("予約変更", "Booking changed"));
  assert.ok(changeMail.includes(receipt), changeMail);

  // キャンセル → 「キャンセルしますか？」 → はい.
  await page.goto(`${BASE}/t/demo/vaccination/mypage`);
  await page.getByRole("link", { name: t(/^詳細/, /^Details/) }).click();
  await page.getByRole("link", { name: t("キャンセル", "Cancel"), exact: true }).click();
  await v.check("cancel-confirm");
  await page.getByRole("button", { name: t("はい", "Yes"), exact: true }).click();
  await page.waitForURL(/vaccination\/mypage/);
  await v.check("cancelled");
  assert.match(await page.locator("main").innerText(), t(/予約をキャンセルしました。/, /has been cancelled/));
  await page.getByRole("button", { name: t("ログアウト", "Log out") }).click();
  await page.waitForURL(/vaccination\/login/);
  await v.check("logged-out");
  assert.match(await page.locator("main").innerText(), t(/ログアウトしました/, /You have logged out/));
}

test("vaccination: the resident's way in Japanese on a 360-pixel phone", async () => {
  const v = await visitorAt("vx-ja-360", { width: 360, locale: "ja", ip: "192.0.2.61" });
  try {
    await journey(v);
    v.assertClean();
  } finally {
    await v.close();
  }
});

test("vaccination: the resident's way in English at 200 % text", async () => {
  const v = await visitorAt("vx-en-200pct", { width: 640, height: 450, scale: 2, locale: "en", ip: "192.0.2.62" });
  try {
    await journey(v);
    v.assertClean();
  } finally {
    await v.close();
  }
});
