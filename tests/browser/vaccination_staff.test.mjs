// The console's vaccination work in a real browser, on a phone-sized screen (360 px) and by
// keyboard where a clerk types: find a caller's ticket by 接種券番号 + 生年月日, book dose 1 at
// a venue on a free day and time, see it on the venue's roster with dose and vaccine, open
// the print view, and cancel it for the caller. Every page passes axe and the Nu checker.
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

// Demo ticket 3 (0-based): dose 1, born 1949-04-04.
const TICKET = { number: "2026000004", birth: "19490404" };

test("a clerk books and cancels a vaccination for a caller, at 360 px", async () => {
  const v = await new Visitor(browser, { name: "vaccination-staff", width: 360 }).open();
  const page = v.page;
  try {
    await page.goto(`${BASE}/t/demo/staff/login`);
    await page.getByLabel("ログインID").fill("admin");
    await page.getByLabel("パスワード").fill("demo-admin-password");
    await page.getByRole("button", { name: "ログイン" }).click();

    await page.goto(`${BASE}/t/demo/staff/vaccination/phone`);
    await v.check("phone");
    // A wrong birthdate: said next to the field, in the summary, with what was typed kept.
    await page.getByLabel("接種券番号(10桁)").fill(TICKET.number);
    await page.getByLabel("生年月日").fill("19490405");
    await page.getByLabel("生年月日").press("Enter");
    await v.check("phone-not-found");
    assert.match(await page.locator("main").innerText(), /該当する接種券が見つかりませんでした/);
    assert.equal(await page.getByLabel("接種券番号(10桁)").inputValue(), TICKET.number);
    await page.getByLabel("生年月日").fill(TICKET.birth);
    await page.getByLabel("生年月日").press("Enter");
    await page.waitForURL(/\/phone\/tickets\/\d+$/);
    await v.check("ticket");
    assert.match(await page.locator("main").innerText(), /予約はまだありません/);

    await page.getByLabel("接種会場(ワクチン)").selectOption({ label: "デモ市保健センター(ファイザー)" });
    await page.getByRole("button", { name: "空き時間を表示" }).click();
    await v.check("ticket-days");
    const firstDay = page.getByRole("link", { name: /残り\d+/ }).first();
    const dayLabel = (await firstDay.innerText()).replace(/(残り\d+)$/, "");
    await firstDay.click();
    await v.check("ticket-times");
    await page.getByRole("button", { name: "この時間で仮押さえする" }).click();
    await page.waitForURL(/\/confirm\?hold=/);
    await v.check("confirm");
    assert.match(await page.locator("main").innerText(), /まだ予約は確定していません。/);
    // Without a phone number: the summary leads to the field.
    await page.getByRole("button", { name: "予約を確定する" }).click();
    await v.check("confirm-error");
    await page.locator(".error-summary a[href='#phone']").click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), "phone");
    await page.keyboard.type("090-1234-5678");
    await page.getByRole("radio", { name: "希望する", exact: true }).check();
    await page.getByRole("button", { name: "予約を確定する" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/vaccination\/bookings\/\d+\?result=booked/);
    await v.check("booked");
    const details = await page.locator("main").innerText();
    assert.match(details, /電話予約を登録しました/);
    assert.match(details, /1回目/);
    assert.match(details, /ファイザー/);
    assert.match(details, new RegExp(TICKET.number));
    const receipt = details.match(/予約ID\s*([0-9]{4}-[0-9]{4}-[0-9]{2})/)[1];

    await page.getByRole("link", { name: "この日の接種予約一覧" }).click();
    await v.check("roster");
    const roster = await page.locator("main").innerText();
    assert.match(roster, new RegExp(receipt));
    assert.match(roster, /1回目/);
    assert.match(roster, /202-\*\*\*\*\*04/);
    assert.ok(roster.includes(dayLabel.trim().slice(0, 8)), `${dayLabel} in ${roster.slice(0, 200)}`);
    await page.getByRole("link", { name: "印刷用表示(この会場)" }).click();
    await v.check("roster-print");
    await page.getByRole("link", { name: "接種予約一覧へ戻る" }).click();

    await page.getByRole("link", { name: new RegExp(`予約詳細.*${receipt}`) }).click();
    await page.getByRole("link", { name: "この予約をキャンセルする" }).click();
    await v.check("cancel");
    assert.match(await page.locator("main").innerText(), /キャンセルしますか？/);
    await page.getByRole("button", { name: /はい/ }).click();
    await v.check("cancelled");
    assert.match(await page.locator("main").innerText(), /予約を取り消しました。/);
    v.assertClean();
  } finally {
    await v.close();
  }
});
