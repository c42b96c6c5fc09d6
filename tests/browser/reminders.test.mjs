// 予約確認のお知らせ (issue 13): the administrator's reminder list per service. A refused
// time with its messages beside the fields, a time added and stopped with the keyboard only,
// then deleted; the page on a 360-pixel phone and at 200 % text. Every page passes axe and
// the Nu checker. The demo's list is left as it was (the day before at 12:00 only), for the
// journeys of the other files.
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

async function login(v) {
  const page = v.page;
  await page.goto(`${BASE}/t/demo/staff/login`);
  await page.getByLabel("ログインID").fill("admin");
  await page.getByLabel("パスワード").fill("demo-admin-password");
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL(/staff\/roster/);
}

const pickup = (page) => page.getByRole("region", { name: "マイナンバーカード受取予約" });

test("予約確認のお知らせ: a refused time, one added and stopped by keyboard, deleted, on a phone and at 200 % text", async () => {
  const admin = await new Visitor(browser, { name: "reminders-admin", width: 1280 }).open();
  try {
    await login(admin);
    const page = admin.page;
    await page.getByRole("link", { name: "予約確認のお知らせ", exact: true }).click();
    await admin.check("list");
    await assert.doesNotReject(pickup(page).getByText("予約日の前日 12:00").waitFor());

    // A mistake in each field: both messages beside their fields, what was typed kept.
    await pickup(page).getByLabel("予約日の何日前").fill("15");
    await pickup(page).getByLabel("送信時刻").fill("25:00");
    await pickup(page).getByRole("button", { name: /^追加する/ }).click();
    await admin.check("refused");
    const summary = page.locator(".error-summary");
    assert.match(await summary.innerText(), /何日前: 0から14までの数字/);
    assert.match(await summary.innerText(), /送信時刻: 時刻は「12:00」のように/);
    assert.equal(await pickup(page).getByLabel("送信時刻").inputValue(), "25:00");
    assert.equal(await pickup(page).getByLabel("送信時刻").getAttribute("aria-invalid"), "true");

    // Keyboard only: the summary's link to the field, type, Tab, Enter.
    await summary.getByRole("link", { name: /何日前/ }).focus();
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement.name), "days_before");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("3");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("10:00");
    await page.keyboard.press("Enter");
    await page.waitForURL(/done=added/);
    await admin.check("added");
    await assert.doesNotReject(page.getByRole("status").getByText("お知らせの送信時刻を追加しました。").waitFor());
    const row = pickup(page).getByRole("row", { name: /3日前 10:00/ });
    await row.getByRole("button", { name: /^停止する/ }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/done=stopped/);
    await admin.check("stopped");
    assert.match(await pickup(page).getByRole("row", { name: /3日前 10:00/ }).innerText(), /停止中/);
    assert.match(await pickup(page).getByRole("row", { name: /前日 12:00/ }).innerText(), /送信する/);

    // Put the demo back: the added time deleted.
    await pickup(page).getByRole("button", { name: "削除 (マイナンバーカード受取予約・3日前 10:00)" }).click();
    await page.waitForURL(/done=deleted/);
    await admin.check("deleted");
    assert.equal(await pickup(page).getByText("3日前 10:00").count(), 0);
    admin.assertClean();
  } finally {
    await admin.close();
  }

  for (const [name, width, scale] of [["reminders-phone", 360, 1], ["reminders-200", 640, 2]]) {
    const v = await new Visitor(browser, { name, width, scale }).open();
    try {
      await login(v);
      await v.page.goto(`${BASE}/t/demo/staff/reminders`);
      await v.check("list");
      await assert.doesNotReject(v.page.getByRole("button", { name: /^追加する/ }).first().waitFor());
      v.assertClean();
    } finally {
      await v.close();
    }
  }
});
