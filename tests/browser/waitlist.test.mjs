// キャンセル待ち (issue 13, seed 001): a resident on a 360-pixel phone joins the waitlist
// from the home page (address check by mail, the person's details with a mistake explained
// beside its field, 修正, the 空き枠 page, then データの削除 with its checkbox); the start
// page and the form in English at 200 % text; the console's キャンセル待ち page. Every page
// passes axe and the Nu checker; the resident's registration is deleted at the end, so the
// demo is left as it was.
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

/// A visitor with its own network address: the mail limits count each client (as in
/// vaccination_resident.test.mjs).
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

async function checkAddress(v, email, { button = "確認メールを送る", subject = "メールアドレスの確認", confirm = "メールアドレスを確認する" } = {}) {
  const page = v.page;
  await page.getByLabel(/メールアドレス|Email address/).fill(email);
  await page.getByRole("button", { name: button }).click();
  await v.check("sent");
  const text = await openMail(v, email, subject);
  const link = text.match(/http\S+\/waitlist\/verify\/\S+/)[0];
  await page.goto(link.replace(/^http:\/\/[^/]+/, BASE));
  await v.check("link");
  await page.getByRole("button", { name: confirm }).click();
  await page.waitForLoadState("load");
}

test("キャンセル待ち: join on a phone, a mistake, 修正, 空き枠, データの削除", async () => {
  const v = await visitorAt("waitlist-phone", { width: 360, ip: "192.0.2.81" });
  try {
    const page = v.page;
    await page.goto(`${BASE}/t/demo/`);
    await page.getByRole("link", { name: /キャンセル待ち申請/ }).click();
    await v.check("start");
    await checkAddress(v, "browser-waitlist@example.jp");
    assert.match(page.url(), /\/waitlist\/register$/);
    await v.check("form");

    // A phone number without its 0: the message beside the field, the rest kept.
    await page.getByLabel(/^氏名/).fill("神奈川 花子");
    await page.getByLabel(/^生年月日/).fill("昭和47年9月15日");
    await page.getByLabel(/^電話番号/).fill("452101111");
    await page.getByLabel(/^接種回/).selectOption("3");
    await page.getByRole("button", { name: "登録する" }).click();
    await v.check("refused");
    await assert.doesNotReject(page.locator("#phone-error").waitFor());
    assert.equal(await page.getByLabel(/^氏名/).inputValue(), "神奈川 花子");
    // Fixed with the keyboard: the summary's link to the field, type, Enter.
    await page.locator(".error-summary a").first().focus();
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement.id), "phone");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("0452101111");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/waitlist\/me$/);
    await v.check("mine");
    await assert.doesNotReject(page.getByRole("status").getByText("登録しました。").waitFor());

    await page.getByRole("link", { name: /ユーザー情報登録修正/ }).click();
    await v.check("edit");
    await page.getByLabel("キャンセル枠発生通知を希望").uncheck();
    await page.getByRole("button", { name: "修正する" }).click();
    await page.waitForURL(/\/waitlist\/me$/);
    assert.match(await page.locator("main").innerText(), /希望しない/);

    await page.getByRole("link", { name: "空き枠を見る・申し込む" }).click();
    await v.check("places");

    await page.goto(`${BASE}/t/demo/waitlist/me`);
    await page.getByRole("link", { name: /登録情報の削除/ }).click();
    await v.check("delete");
    await page.getByRole("button", { name: "データの削除" }).click();
    await v.check("delete-unticked");
    await page.getByLabel("登録情報を削除することを確認しました").check();
    await page.getByRole("button", { name: "データの削除" }).click();
    await page.waitForURL(/\/waitlist\/me$/);
    await v.check("deleted");
    await assert.doesNotReject(page.getByRole("status").getByText("登録情報を削除しました。").waitFor());
    v.assertClean();
  } finally {
    await v.close();
  }
});

test("キャンセル待ち in English at 200 % text, and the console's page", async () => {
  const v = await visitorAt("waitlist-en-200", { width: 640, height: 450, scale: 2, locale: "en", ip: "192.0.2.82" });
  try {
    const page = v.page;
    await page.goto(`${BASE}/lang?to=en&back=%2Ft%2Fdemo%2Fwaitlist`);
    await v.check("start");
    await assert.doesNotReject(page.getByRole("heading", { name: "Join the cancellation waitlist" }).waitFor());
    await checkAddress(v, "browser-waitlist-en@example.jp", {
      button: "Send the confirmation mail",
      subject: "Confirm your email address",
      confirm: "Confirm email address",
    });
    await v.check("form");
    await assert.doesNotReject(page.getByRole("heading", { name: /the person's details/ }).waitFor());
    v.assertClean();
  } finally {
    await v.close();
  }

  const admin = await new Visitor(browser, { name: "waitlist-console", width: 1280 }).open();
  try {
    const page = admin.page;
    await page.goto(`${BASE}/t/demo/staff/login`);
    await page.getByLabel("ログインID").fill("admin");
    await page.getByLabel("パスワード").fill("demo-admin-password");
    await page.getByRole("button", { name: "ログイン" }).click();
    await page.getByRole("link", { name: "キャンセル待ち" }).click();
    await admin.check("console");
    await page.getByRole("button", { name: "キャンセル枠を登録" }).click();
    await admin.check("console-refused");
    await assert.doesNotReject(page.locator(".error-summary").waitFor());
    admin.assertClean();
  } finally {
    await admin.close();
  }
});
