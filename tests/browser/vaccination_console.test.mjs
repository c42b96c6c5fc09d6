// The vaccination service's console set-up (issue 12): the administrator reaches 会場 from
// the menu's ワクチン接種 group, adds a venue by keyboard alone (a mistake first: the message
// next to the field, the summary linking to it, what was typed kept), gives it weekly hours,
// then opens ワクチン接種の設定 and makes a mistake in 接種間隔; the same pages on a
// 360-pixel phone; the console's vaccination pages (会場, 設定, 接種予約一覧, 電話予約 with a
// ticket found) at 200 % text; the municipality's home page listing both services in Japanese and
// English. Every page passes axe and the Nu checker. The venue is stopped and its hours
// removed at the end, so the resident journeys of the other files see the demo's venues.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, launch, sampleTickets, Visitor } from "./lib.mjs";

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

const NAME = "ブラウザ公民館";

test("venues and settings of the vaccination service, by keyboard and on a phone", async () => {
  const admin = await new Visitor(browser, { name: "vx-console", width: 1280 }).open();
  const page = admin.page;
  try {
    await login(admin);
    const group = page.getByRole("list", { name: "ワクチン接種" });
    await group.getByRole("link", { name: "会場", exact: true }).click();
    await admin.check("venues");
    assert.match(await page.locator("h1").innerText(), /接種会場/);
    assert.match(await page.locator("#venues").innerText(), /デモ市保健センター/);

    // By keyboard: the name, Tab past 種別 to ワクチンの種類 left empty, Enter.
    await page.locator("#newvenue-name").focus();
    await page.keyboard.type(NAME);
    await page.keyboard.press("Tab");
    await page.keyboard.press("ArrowDown"); // 医療機関
    await page.locator("#newvenue-address").focus();
    await page.keyboard.type("デモ市東町5-6");
    await page.keyboard.press("Enter");
    await page.locator("#newvenue-vaccine-error").waitFor();
    await admin.check("venue-error");
    assert.match(await page.locator("#newvenue-vaccine-error").innerText(), /ワクチンの種類/);
    assert.equal(await page.locator("#newvenue-name").inputValue(), NAME);
    assert.equal(await page.locator("#newvenue-venue_kind").inputValue(), "clinic");
    assert.equal(await page.locator(".error-summary a[href='#newvenue-vaccine']").count(), 1);
    await page.locator(".error-summary a[href='#newvenue-vaccine']").click();
    await page.locator("#newvenue-vaccine").focus();
    await page.keyboard.type("モデルナ");
    await page.keyboard.press("Enter");
    await page.waitForURL(/done=venue_added/);
    await admin.check("venue-added");
    assert.match(await page.locator(".flash").innerText(), /接種会場を追加しました。/);

    // Its hours: Wednesdays 9:00-11:00, 30-minute slots, 2 at a time.
    const item = page.locator(".schedule-item", { has: page.getByRole("heading", { name: new RegExp(NAME) }) });
    const add = item.getByRole("form", { name: `${NAME} の受付時間を追加` });
    await add.getByLabel("曜日").selectOption("3");
    await add.getByLabel("開始").fill("9:00");
    await add.getByLabel("終了").fill("11:00");
    await add.getByLabel("1枠の分数").fill("30");
    await add.getByLabel("同時に接種できる人数").fill("2");
    await add.getByLabel("同時に接種できる人数").press("Enter");
    await page.waitForURL(/done=template_added/);
    await admin.check("template-added");
    assert.match(await page.locator(".flash").innerText(), /予約枠を\d+件追加/);

    // The settings: a mistake in 接種間隔, said next to it; nothing saved.
    await page.getByRole("list", { name: "ワクチン接種" }).getByRole("link", { name: /^設定/ }).click();
    await admin.check("settings");
    await page.locator("#rules-intervals").fill("2回目は3週間後");
    await page.locator("#rules-intervals").press("Enter");
    await page.locator("#rules-intervals-error").waitFor();
    await admin.check("settings-error");
    assert.match(await page.locator("#rules-intervals-error").innerText(), /読み取れません/);
    assert.equal(await page.locator("#rules-intervals").inputValue(), "2回目は3週間後");
    admin.assertClean();
  } finally {
    // Put the demo back: the new venue's hours removed and the venue stopped.
    await page.goto(`${BASE}/t/demo/staff/vaccination/venues`);
    const item = page.locator(".schedule-item", { has: page.getByRole("heading", { name: new RegExp(NAME) }) });
    if ((await item.count()) > 0) {
      const remove = item.getByRole("button", { name: /^削除/ });
      while ((await remove.count()) > 0) {
        await remove.first().click();
        await page.waitForURL(/done=template_deleted/);
      }
      await item.getByRole("button", { name: `「${NAME}」の受付を停止` }).click();
      await page.waitForURL(/done=venue_deactivated/);
    }
    await admin.close();
  }

  const phone = await new Visitor(browser, { name: "vx-console-phone", width: 360 }).open();
  try {
    await login(phone);
    await phone.page.goto(`${BASE}/t/demo/staff/vaccination/venues`);
    await phone.check("venues");
    await phone.page.goto(`${BASE}/t/demo/staff/vaccination/settings`);
    await phone.check("settings");
    phone.assertClean();
  } finally {
    await phone.close();
  }
});

test("the console's vaccination pages at 200 % text", async () => {
  const [ticket] = await sampleTickets(browser);
  const v = await new Visitor(browser, { name: "vx-console-200pct", width: 640, height: 450, scale: 2 }).open();
  const page = v.page;
  try {
    await login(v);
    for (const [path, label] of [
      ["venues", "venues"],
      ["settings", "settings"],
      ["roster", "roster"],
      ["phone", "phone"],
    ]) {
      await page.goto(`${BASE}/t/demo/staff/vaccination/${path}`);
      await v.check(label);
    }
    // 電話予約: the caller's ticket found, its page with the venue choice.
    await page.getByLabel("接種券番号(10桁)").fill(ticket.number);
    await page.getByLabel("生年月日").fill(ticket.birth);
    await page.getByLabel("生年月日").press("Enter");
    await page.waitForURL(/\/phone\/tickets\/\d+$/);
    await v.check("phone-ticket");
    assert.match(await page.locator("main").innerText(), new RegExp(ticket.number));
    v.assertClean();
  } finally {
    await v.close();
  }
});

test("the home page lists the services the municipality offers, in Japanese and English", async () => {
  for (const locale of ["ja", "en"]) {
    const v = await new Visitor(browser, { name: `vx-home-${locale}`, width: 360, locale }).open();
    try {
      if (locale === "en") await v.page.goto(`${BASE}/lang?to=en&back=%2Ft%2Fdemo%2F`);
      await v.page.goto(`${BASE}/t/demo/`);
      await v.check("home");
      const services = v.page.locator(".service-list");
      assert.match(await services.innerText(), locale === "en" ? /Vaccination booking/ : /ワクチン接種の予約/);
      const link = v.page.getByRole("link", { name: locale === "en" ? "Book a vaccination" : "ワクチン接種の予約へ" });
      assert.equal(await link.getAttribute("href"), "/t/demo/vaccination/");
      v.assertClean();
    } finally {
      await v.close();
    }
  }
});
