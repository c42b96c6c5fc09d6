// A clerk's and an administrator's day in a real browser (issue 4's "done when"): log in
// to the demo, import a notice list, open a Saturday and book a caller on the phone, book
// another for tomorrow, print tomorrow's roster for one counter on A4 and download its CSV
// in both encodings with the Japanese intact, and scan a receipt at today's roster (来庁受付)
// from the keyboard. Every page passes axe and the Nu checker.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { BASE, launch, Visitor, ARTEFACTS } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// Three people the municipality sent notices to; the numbers are not in the demo's samples.
const IMPORTED = [
  { number1: "ZQA-100001", number2: "ZQA1000010000000A1", birth: "昭和22年4月8日", name: "高橋 一郎", kana: "タカハシ イチロウ" },
  { number1: "ZQA-100002", number2: "ZQA1000020000000A2", birth: "1990/12/24", name: "髙橋 花子", kana: "タカハシ ハナコ" },
  { number1: "ZQA-100003", number2: "ZQA1000030000000A3", birth: "平成元年1月9日", name: "渡邉 𠮷男", kana: "ワタナベ ヨシオ" },
];

async function phoneBooking(v, person, pick) {
  const page = v.page;
  await page.getByRole("link", { name: "電話予約", exact: true }).click();
  await v.check("phone");
  await page.getByLabel("誕生日(必須)").fill(person.birth);
  await page.getByLabel("番号1または番号2").fill(person.number1);
  await page.getByRole("button", { name: "検索" }).click();
  await v.check("phone-found");
  await page.getByRole("row", { name: new RegExp(person.name) }).getByRole("button", { name: "予約する人に追加" }).click();
  await v.check("phone-added");
  await page.getByLabel("交付窓口").selectOption({ label: "本庁舎 市民課" });
  await page.getByRole("button", { name: "予約日時選択" }).click();
  await v.check("phone-slots");
  await pick(page);
  await v.check("phone-confirm");
  const name = page.getByLabel("氏名");
  if (await name.count()) await name.fill(person.name);
  const kana = page.getByLabel("フリガナ");
  if (await kana.count()) await kana.fill(person.kana);
  const phone = page.getByLabel(/^電話番号/);
  if (await phone.count()) await phone.fill("03-1234-5678");
  await page.getByRole("button", { name: "予約する" }).click();
  await v.check("phone-done");
  const text = await page.locator("main").innerText();
  assert.match(text, /受付番号/);
  assert.match(text, /パスワード/);
  return text;
}

/// Today in Japan as YYYY-MM-DD.
function todayJst() {
  return new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
}

/// Presses the first open time on a day after today (tomorrow, unless tomorrow is a Sunday, a
/// holiday or in the year-end closure: the test must not depend on the day it runs) and
/// returns that day as the roster's date field wants it. Turns the grid's page when the
/// week shown has no such day.
async function pickNextOpenDay(p) {
  const today = todayJst();
  const [year, thisMonth] = today.split("-").map(Number);
  for (let turn = 0; turn < 3; turn++) {
    const buttons = p.locator("table.slot-grid:visible td.cell-open button");
    const labels = await buttons.evaluateAll((bs) => bs.map((b) => b.getAttribute("aria-label") ?? ""));
    const days = labels
      .map((label, index) => {
        const m = label.match(/^(\d{1,2})月(\d{1,2})日/);
        if (!m) return null;
        const [month, day] = [Number(m[1]), Number(m[2])];
        const y = month < thisMonth ? year + 1 : year;
        const iso = `${y}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
        return { iso, month, day, index };
      })
      .filter((d) => d && d.iso > today)
      .sort((a, b) => (a.iso < b.iso ? -1 : a.iso > b.iso ? 1 : a.index - b.index));
    if (days.length > 0) {
      await buttons.nth(days[0].index).click();
      return days[0];
    }
    await p.getByRole("link", { name: "次へ>" }).and(p.locator(":visible")).first().click();
  }
  throw new Error("no open time after today in three weeks of the grid");
}

test("an administrator's day: import, a Saturday caller, tomorrow's roster on A4 and in CSV", async () => {
  const v = await new Visitor(browser, { name: "staff-day", width: 1280 }).open();
  const page = v.page;
  try {
    await page.goto(`${BASE}/t/demo/staff/login`);
    await v.check("login");
    await page.getByLabel("ログインID").fill("admin");
    await page.getByLabel("パスワード").fill("demo-admin-password");
    await page.getByRole("button", { name: "ログイン" }).click();
    await v.check("roster-today");

    // The notice list, as an administrator exports it (UTF-8 with BOM, era dates too).
    const dir = mkdtempSync(join(tmpdir(), "madoguchi-import-"));
    const file = join(dir, "交付対象者.csv");
    const rows = IMPORTED.map((p) => [p.number1, p.number2, p.birth, p.name, p.kana].join(","));
    writeFileSync(file, "\uFEFF番号1,番号2,生年月日,氏名,フリガナ\r\n" + rows.join("\r\n") + "\r\n");
    await page.getByRole("link", { name: "交付対象者取込" }).click();
    await v.check("import");
    await page.getByLabel("取り込むCSVファイル").setInputFiles(file);
    await page.getByRole("button", { name: "内容を確認する" }).click();
    await v.check("import-preview");
    await page.getByRole("button", { name: "取り込む" }).click();
    await v.check("import-done");
    assert.match(await page.locator("main").innerText(), /3/);

    // A caller on the phone wants a Saturday morning.
    await phoneBooking(v, IMPORTED[0], async (p) => {
      const saturday = p.locator("table.slot-grid:visible td.cell-open button[aria-label*='(土)']");
      if ((await saturday.count()) === 0) {
        await p.getByRole("link", { name: "次へ>" }).and(p.locator(":visible")).first().click();
      }
      await saturday.first().click();
    });
    // Another for the next open day (tomorrow, but for Sundays and holidays), whose roster is printed below.
    let next;
    const tomorrowDone = await phoneBooking(v, IMPORTED[1], async (p) => {
      next = await pickNextOpenDay(p);
    });
    const { iso: tomorrow, month, day } = next;
    const tomorrowReceipt = tomorrowDone.match(/受付番号\s*([0-9]{4}-[0-9]{4}-[0-9]{2})/)[1];

    // Tomorrow's roster for the main office, printed on A4.
    await page.goto(`${BASE}/t/demo/staff/roster?date=${tomorrow}`);
    await page.getByLabel("窓口").selectOption({ label: "本庁舎 市民課" });
    await page.getByRole("button", { name: "表示する" }).click();
    await v.check("roster-tomorrow");
    assert.match(await page.locator("main").innerText(), /髙橋 花子/);
    const csvHref = await page.getByRole("link", { name: "CSV(UTF-8)" }).getAttribute("href");
    const cp932Href = await page.getByRole("link", { name: "CSV(Excel用 Shift_JIS)" }).getAttribute("href");
    await page.getByRole("link", { name: "印刷用表示(この窓口)" }).click();
    await v.check("roster-print");
    await page.emulateMedia({ media: "print" });
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    writeFileSync(join(ARTEFACTS, "roster-tomorrow.pdf"), pdf);
    const text = pdf.toString("latin1");
    const pages = (text.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.equal(pages, 1, "one counter's short day fits one A4 sheet");
    // A4 is 595.28 × 841.89 points; Chromium rounds to whole device pixels.
    const box = text.match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
    assert.ok(box, "the PDF has a page size");
    const [w, h] = [Number(box[1]), Number(box[2])];
    assert.ok(Math.abs(w - 595.28) < 2 && Math.abs(h - 841.89) < 2, `A4 portrait, not ${w}×${h}`);
    await page.emulateMedia({ media: "screen" });

    // The CSV opens in Excel with the Japanese intact: UTF-8 with a BOM, or CP932.
    const utf8 = Buffer.from(await (await page.request.get(`${BASE}${csvHref}`)).body());
    assert.deepEqual([...utf8.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 with BOM");
    const decoded = new TextDecoder("utf-8").decode(utf8);
    assert.match(decoded, /髙橋 花子/);
    assert.match(decoded, /タカハシ[ 　]ハナコ/, "kana as stored: full-width space");
    const sjis = Buffer.from(await (await page.request.get(`${BASE}${cp932Href}`)).body());
    const fromSjis = new TextDecoder("shift_jis").decode(sjis);
    assert.match(fromSjis, /髙橋 花子/, "髙 is in CP932 (NEC/IBM extensions)");
    assert.match(fromSjis, /受付番号/);

    // 来庁受付 on today's roster, by keyboard as a USB scanner types: the number, then Enter.
    // Tomorrow's booking is not today's: the message says which day, nothing is recorded,
    // and the field is empty and focused for the next scan.
    await page.goto(`${BASE}/t/demo/staff/roster`);
    await page.getByLabel("窓口").selectOption({ label: "本庁舎 市民課" });
    await page.getByRole("button", { name: "表示する" }).click();
    await page.getByRole("textbox", { name: "受付番号" }).focus();
    await page.keyboard.type(tomorrowReceipt.replaceAll("-", ""));
    await page.keyboard.press("Enter");
    await page.waitForURL(/scan=elsewhere/);
    await v.check("roster-scan-other-day");
    const status = page.locator("#scan-result[role=status]");
    assert.match(await status.innerText(), new RegExp(`受付番号 ${tomorrowReceipt} は\\d{4}年${month}月${day}日`));
    assert.match(await status.innerText(), /来庁は記録していません/);
    assert.match(await status.innerText(), /髙橋 花子/, "who it is");
    const field = await page.evaluate(() => ({ id: document.activeElement?.id, value: document.activeElement?.value }));
    assert.deepEqual(field, { id: "scan-receipt", value: "" }, "ready for the next scan");
    // A misread (three full-width digits typed by hand): said next to the field, still focused.
    await page.keyboard.type("１２３");
    await page.keyboard.press("Enter");
    await page.waitForURL(/scan=length/);
    await v.check("roster-scan-misread");
    assert.match(await page.locator("#scan-result").innerText(), /読み取った数字は3桁でした/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), "scan-receipt");
    v.assertClean();
  } finally {
    await v.close();
  }
});
