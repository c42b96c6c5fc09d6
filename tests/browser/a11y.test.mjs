// What the journeys do not prove on their own (issue 7): a booking made with the keyboard
// alone (Tab, Enter, Space; no mouse), the focus visible at every stop, the skip link,
// the error summary and its links, and text at 200% (a 1280-pixel screen zoomed to 200%
// is a 640-pixel-wide page drawn twice as large) losing nothing and never scrolling
// sideways; in Japanese and English. Every page also goes through Visitor.check (axe,
// headings, error ties, the Nu checker afterwards).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, launch, Visitor, samples } from "./lib.mjs";

let browser;
let people;
before(async () => {
  browser = await launch();
  // The journeys in flows.test.mjs take the first sample notices; take from the end.
  people = (await samples(browser)).reverse();
});
after(async () => {
  await browser?.close();
});

/// What has the focus now, and whether one can see it.
function focused() {
  const e = document.activeElement;
  const cs = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0;
  return {
    tag: e.tagName,
    id: e.id,
    name: e.getAttribute("name"),
    value: e.getAttribute("value"),
    text: (e.innerText || "").trim(),
    visibleFocus: outline || cs.boxShadow !== "none",
    onScreen: r.width > 0 && r.height > 0,
  };
}

/// Presses Tab until `wanted(info)`; every element passed on the way must show its focus.
async function tabTo(v, wanted, what) {
  for (let i = 0; i < 200; i++) {
    await v.page.keyboard.press("Tab");
    const info = await v.page.evaluate(focused);
    if (info.tag !== "BODY") {
      const who = `${info.tag.toLowerCase()}#${info.id} "${info.text.slice(0, 30)}"`;
      if (!info.visibleFocus) v.violations.push(`${v.name}: focus not visible on ${who}`);
      if (!info.onScreen) v.violations.push(`${v.name}: focus on something not shown: ${who}`);
    }
    if (wanted(info)) return info;
  }
  throw new Error(`${v.name}: Tab never reached ${what}`);
}

/// Presses `key` and waits for the page it leads to (which may have the same address).
async function pressAndWait(page, key) {
  await Promise.all([page.waitForEvent("framenavigated"), page.keyboard.press(key)]);
  await page.waitForLoadState("load");
}

const byId = (id) => (i) => i.id === id;
const byText = (text) => (i) => i.text === text;

async function keyboardJourney(locale) {
  const [who] = people.splice(0, 1);
  const email = `keyboard-${locale}@example.jp`;
  const en = locale === "en";
  const v = await new Visitor(browser, { name: `${locale}-keyboard`, width: 1280, locale }).open();
  const page = v.page;
  try {
    await page.goto(`${BASE}/t/demo/`);
    await v.check("home");
    // The first Tab reaches the skip link, shown while focused; Enter moves to the content.
    const skip = await tabTo(v, () => true, "the skip link");
    assert.equal(skip.text, "本文へ移動");
    const box = await page.locator("a.skip-link").boundingBox();
    assert.ok(box && box.x >= 0 && box.y >= 0, "the focused skip link is on screen");
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement.id), "main");
    if (en) {
      // From the top again: skip link, site name, then the switch.
      await page.goto(`${BASE}/t/demo/`);
      await tabTo(v, byText("English"), "the language switch");
      await page.keyboard.press("Enter");
      await v.check("home-en");
      assert.equal(await page.getAttribute("html", "lang"), "en");
    }
    await tabTo(v, byText(en ? "Book a card pickup" : "受取予約をする"), "the booking link");
    await page.keyboard.press("Enter");
    await v.check("entry");
    await tabTo(v, byId("number1_1"), "番号1");
    await page.keyboard.type(who.number1);
    await tabTo(v, byId("birth_text_1"), "誕生日");
    await page.keyboard.type(who.birth);
    await tabTo(v, byId("email"), "the address");
    await page.keyboard.type(email);
    await tabTo(v, byId("email_confirm"), "the address again");
    await page.keyboard.type(email);
    await tabTo(v, (i) => i.name === "action" && i.value === "send", "送信する");
    await page.keyboard.press("Space");
    await page.waitForURL(/entry\/sent/);
    await v.check("sent");

    // The link in the mail, as a mail program would open it.
    await page.goto(`${BASE}/dev/mailbox`);
    const mailLink = await page.locator("tr", { hasText: email }).first().getByRole("link").getAttribute("href");
    await page.goto(new URL(mailLink, BASE).href);
    const link = await page.locator("main a", { hasText: "/apply/" }).first().getAttribute("href");
    await page.goto(link);
    await v.check("link");
    await tabTo(v, byText(en ? "Go on to the booking form" : "予約の入力へ進む"), "the button");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/apply$/);
    await v.check("apply");
    await tabTo(v, byId("name_1"), "氏名");
    await page.keyboard.type("Keyboard Taro");
    await tabTo(v, byId("kana_1"), "フリガナ");
    await page.keyboard.type("きーぼーど");
    await tabTo(v, byId("phone_1"), "電話番号");
    await page.keyboard.type("09012345678");
    const counter = page.locator("select#counter");
    if (await counter.count()) {
      await tabTo(v, byId("counter"), "交付窓口");
      await page.keyboard.press("ArrowDown");
      assert.notEqual(await counter.inputValue(), "", "a counter chosen with the arrow key");
    }
    await tabTo(v, (i) => i.value === "choose", "予約日時選択");
    await page.keyboard.press("Space");
    await page.waitForURL(/\/apply\/slots/);
    await v.check("slots");
    await tabTo(v, (i) => i.name === "slot", "a free time");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/apply(#hold)?$/);
    await v.check("held");
    // The time limit can be extended from the keyboard; the page says what happened.
    await tabTo(v, (i) => i.value === "extend", "仮押さえを延長する");
    await pressAndWait(page, "Space");
    await v.check("extended");
    assert.match(await page.locator(".flash").innerText(), /\d\d:\d\d/);
    await tabTo(v, (i) => i.value === "confirm", "確認へ進む");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/apply\/confirm/);
    await v.check("confirm");
    await tabTo(v, byText(en ? "Book" : "予約する"), "予約する");
    await page.keyboard.press("Space");
    await page.waitForURL(/\/apply\/done/);
    await v.check("done");
    await page.getByRole("heading", { name: en ? "Booking complete" : "予約入力完了" }).waitFor();
    v.assertClean();
  } finally {
    await v.close();
  }
}

for (const locale of ["ja", "en"]) {
  test(`${locale}-keyboard: book with Tab, Enter and Space only`, () => keyboardJourney(locale));
}

/// Text that is cut off: an element narrower than its content that hides the rest.
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

async function errorsAtDoubleSize(locale) {
  const en = locale === "en";
  // 200%: the page lays out in 640 CSS pixels on a 1280-pixel screen, drawn at scale 2.
  const v = new Visitor(browser, { name: `${locale}-200pct`, width: 640, locale });
  v.context = await browser.newContext({ viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 });
  v.page = await v.context.newPage();
  v.page.on("response", (r) => {
    if (r.request().resourceType() === "document" && r.request().frame() === v.page.mainFrame()) v.lastDocument = r;
  });
  const page = v.page;
  const noLoss = async (label) => {
    await v.check(label);
    for (const c of await page.evaluate(clipped)) v.violations.push(`${v.name}-${label}: text cut off in ${c}`);
  };
  try {
    await page.goto(`${BASE}/lang?to=${locale}&back=%2Ft%2Fdemo%2F`);
    await noLoss("home");
    await page.goto(`${BASE}/t/demo/faq`);
    await noLoss("faq");
    await page.goto(`${BASE}/t/demo/entry?party=2`);
    await noLoss("entry");
    // A failed form: the summary is at the top, says what is wrong, and links to each field.
    await page.locator("#number1_1").fill("abc");
    await pressAndWait(page, "Enter");
    await noLoss("entry-errors");
    const summary = page.locator(".error-summary");
    assert.equal(await summary.getAttribute("role"), "alert");
    assert.equal(
      await summary.locator("h2").innerText(),
      en ? "There is a problem with what was entered" : "入力内容に誤りがあります",
    );
    const links = summary.locator("a");
    assert.ok((await links.count()) >= 4, "one link per wrong field");
    const first = await links.first().getAttribute("href");
    assert.equal(first, "#number1_1");
    assert.match(
      await page.locator("#number1_1-error").innerText(),
      en ? /Number 1 is 9 letters or digits/ : /番号1は英数字9桁で/,
    );
    assert.match(await page.locator("#number1_1").getAttribute("aria-describedby"), /number1_1-error/);
    // The value typed is still there, and the link leads to its field.
    assert.equal(await page.locator("#number1_1").inputValue(), "abc");
    await links.first().focus();
    await page.keyboard.press("Enter");
    assert.equal(new URL(page.url()).hash, "#number1_1");
    await page.goto(`${BASE}/t/demo/lookup`);
    await page.getByRole("button", { name: en ? "Look up" : "照会する", exact: true }).focus();
    await pressAndWait(page, "Enter");
    await noLoss("lookup-errors");
    assert.ok(await page.locator("#receipt_number-error").count());
    v.assertClean();
  } finally {
    await v.close();
  }
}

for (const locale of ["ja", "en"]) {
  test(`${locale}-200pct: text at 200% loses nothing; errors summed up and tied to fields`, () =>
    errorsAtDoubleSize(locale));
}
