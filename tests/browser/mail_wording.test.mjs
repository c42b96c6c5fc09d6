// メールの文面 (issue 11): the administrator's list of mails, the edit page of the completion
// mail with a refused wording and its message beside the field, the preview of a good one
// (reached by keyboard), saved; the same pages on a 360-pixel phone and at 200 % text.
// Every page passes axe and the Nu checker. The demo's mail is put back to 初期値 at the
// end, for the journeys of the other files.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, launch, Visitor } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const EDIT = `${BASE}/t/demo/staff/mails/booking_confirmed/ja`;
const VX_EDIT = `${BASE}/t/demo/staff/mails/vx_booking_confirmed/ja`;

async function login(v) {
  const page = v.page;
  await page.goto(`${BASE}/t/demo/staff/login`);
  await page.getByLabel("ログインID").fill("admin");
  await page.getByLabel("パスワード").fill("demo-admin-password");
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL(/staff\/roster/);
}

async function visitor(name, { width, height = 900, scale = 1 }) {
  const v = new Visitor(browser, { name, width });
  v.context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: scale, locale: "ja-JP" });
  v.page = await v.context.newPage();
  v.page.on("pageerror", (e) => v.violations.push(`script error: ${e.message}`));
  v.page.on("response", (r) => {
    if (r.request().resourceType() === "document" && r.request().frame() === v.page.mainFrame()) v.lastDocument = r;
  });
  return v;
}

const BODY = [
  "{{ tenant_name }}です。ご予約ありがとうございます。",
  "",
  "受付番号: {{ receipt_number }}",
  "パスワード: {{ password }}",
  "{% for p in people %}{{ p.name }} 様",
  "{% endfor %}",
  "照会・変更・取消し: {{ lookup_url }}",
  "",
  "持ち物: 交付通知書と本人確認書類",
].join("\n");

test("メールの文面: list, a refused wording, the preview by keyboard, saved, on a phone and at 200 % text", async () => {
  const admin = await visitor("mails-admin", { width: 1280 });
  try {
    await login(admin);
    const page = admin.page;
    await page.getByRole("link", { name: "メールの文面" }).click();
    await admin.check("mails");
    // One table per service the demo offers: card pickup's five mails, vaccination's five
    // (each with its reminder, 【予約確認のお知らせメール】).
    assert.equal(await page.locator("table").count(), 2);
    assert.equal(await page.locator("table tbody tr").count(), 10);
    assert.equal(
      await page.getByRole("link", { name: "編集 (ワクチン接種予約の【予約確認のお知らせメール】日本語)" }).count(),
      1,
    );
    assert.equal(await page.getByRole("heading", { name: "ワクチン接種予約" }).count(), 1);
    await page.getByRole("link", { name: "編集 (【予約完了通知メール】日本語)" }).click();
    await admin.check("mail-edit");
    assert.match(await page.locator("#wording-body").inputValue(), /■受付番号/);

    // A wording that drops the receipt number and has a syntax error: refused beside the field.
    await page.getByLabel("本文", { exact: true }).fill("パスワード: {{ password }}\n{% if contact %}");
    await page.getByRole("button", { name: "プレビュー" }).click();
    await admin.check("mail-refused");
    assert.match(await page.locator("#wording-body-error").innerText(), /2行目の書き方に誤りがあります/);
    assert.equal(await page.locator(".error-summary a[href='#wording-body']").count(), 1);
    assert.equal(await page.locator("#wording-body").inputValue(), "パスワード: {{ password }}\n{% if contact %}");
    await page.getByLabel("本文", { exact: true }).fill("パスワード: {{ password }}\n{{ lookup_url }}");
    await page.getByRole("button", { name: "保存" }).click();
    await admin.check("mail-refused-missing");
    assert.match(await page.locator("#wording-body-error").innerText(), /\{\{ receipt_number \}\} がありません。/);

    // A good one, previewed by keyboard: from the body, Tab to [プレビュー] and Enter.
    await page.getByLabel("件名", { exact: true }).fill("【予約完了通知メール】{{ tenant_name }}からのお知らせ");
    await page.getByLabel("本文", { exact: true }).fill(BODY);
    await page.getByLabel("本文", { exact: true }).focus();
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.textContent), "プレビュー");
    // Enter submits the form: wait for the preview page itself, not the "load" of the page
    // still showing (a screenshot taken mid-navigation timed out once).
    const navigated = page.waitForEvent("framenavigated", (frame) => frame === page.mainFrame());
    await page.keyboard.press("Enter");
    await navigated;
    await page.waitForLoadState("load");
    await admin.check("mail-preview");
    const preview = await page.locator("#preview").innerText();
    assert.match(preview, /【予約完了通知メール】デモ市からのお知らせ/);
    assert.match(preview, /受付番号: 1234-5678-90/);
    assert.match(preview, /見本 花子 様/);
    assert.equal(await page.locator("#preview .mail-preview-html p", { hasText: "持ち物: 交付通知書と本人確認書類" }).count(), 1);
    assert.equal(await page.locator("#preview .mail-preview-html img[alt^='受付番号']").count(), 1);
    await page.getByRole("button", { name: "保存" }).click();
    await admin.check("mail-saved");
    assert.match(await page.locator(".flash").innerText(), /保存しました/);

    // The same edit page and its preview on a phone and at 200 % text, nothing sideways.
    for (const [name, opts] of [["mails-phone", { width: 360 }], ["mails-200pct", { width: 640, height: 450, scale: 2 }]]) {
      const v = await visitor(name, opts);
      try {
        await login(v);
        await v.page.goto(`${BASE}/t/demo/staff/mails`);
        await v.check("mails");
        await v.page.goto(EDIT);
        await v.check("mail-edit");
        await v.page.getByRole("button", { name: "プレビュー" }).click();
        await v.check("mail-preview");
        assert.match(await v.page.locator("#preview").innerText(), /デモ市です。/);
        await v.page.goto(VX_EDIT);
        await v.check("vx-mail-edit");
        v.assertClean();
      } finally {
        await v.close();
      }
    }

    await page.getByRole("button", { name: "初期値に戻す" }).click();
    await admin.check("mail-reset");
    assert.match(await page.locator(".flash").innerText(), /初期値に戻しました/);

    // A vaccination mail: its edit page from the list, the shipped wording previewed as
    // the text mail it is (no HTML part), with the demo's own venue and call centre.
    await page.goto(`${BASE}/t/demo/staff/mails`);
    await page.getByRole("link", { name: "編集 (ワクチン接種予約の【予約完了通知メール】日本語)" }).click();
    await admin.check("vx-mail-edit");
    assert.match(await page.locator("main").innerText(), /このメールはテキスト形式だけで送ります。/);
    await page.getByRole("button", { name: "プレビュー" }).click();
    await admin.check("vx-mail-preview");
    const vx = await page.locator("#preview").innerText();
    assert.match(vx, /【予約完了通知メール】デモ市 ワクチン接種予約/);
    assert.match(vx, /■予約ID\n1234-5678-90/);
    assert.match(vx, /予約相談センター/);
    assert.equal(await page.locator("#preview .mail-preview-html").count(), 0);
    admin.assertClean();
  } finally {
    await admin.page.goto(EDIT).catch(() => {});
    const reset = admin.page.getByRole("button", { name: "初期値に戻す" });
    if ((await reset.count().catch(() => 0)) > 0) await reset.click().catch(() => {});
    await admin.close();
  }
});
