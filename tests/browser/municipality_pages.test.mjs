// 画面の文言 (issue 11): the administrator's page with the header image and the texts, its
// messages for a file that is no picture and a missing alternative text, a PNG uploaded and
// a text changed; then the resident home page with the custom header on a 360-pixel phone,
// by keyboard, in English (the Japanese alternative text marked as Japanese) and at 200 %
// text. Every page passes axe and the Nu checker. The demo is put back as it was at the end.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { deflateSync } from "node:zlib";
import { BASE, launch, Visitor } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/// A real PNG (8-bit RGB, stripes of two colours), built here so the test needs no file.
function png(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const dark = Math.floor(x / 10) % 2 === 0;
      row.set(dark ? [0x1a, 0x4d, 0x8c] : [0xff, 0xff, 0xff], 1 + x * 3);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

async function login(v) {
  const page = v.page;
  await page.goto(`${BASE}/t/demo/staff/login`);
  await page.getByLabel("ログインID").fill("admin");
  await page.getByLabel("パスワード").fill("demo-admin-password");
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.getByRole("link", { name: "画面の文言" }).click();
  await v.check("pages");
}

/// The demo as the other browser tests expect it: no picture, every text as shipped.
async function restore(v) {
  const page = v.page;
  await page.goto(`${BASE}/t/demo/staff/pages`);
  const remove = page.getByRole("button", { name: "画像を削除" });
  if ((await remove.count()) > 0) {
    await remove.click();
    await page.waitForLoadState("load");
  }
  for (;;) {
    const reset = page.getByRole("button", { name: /^初期値に戻す/ }).first();
    if ((await reset.count()) === 0) break;
    await reset.click();
    await page.waitForLoadState("load");
  }
}

test("画面の文言: a header image and a text set on the console, seen by residents on a phone, by keyboard, in English and at 200 % text", async () => {
  const admin = await new Visitor(browser, { name: "pages-admin", width: 1280 }).open();
  try {
    await login(admin);
    const page = admin.page;
    const imageForm = page.locator("form[action$='/staff/pages/image']");

    // A text file named .png and no alternative text: both messages, next to their fields.
    await imageForm.getByLabel("画像ファイル").setInputFiles({
      name: "logo.png",
      mimeType: "image/png",
      buffer: Buffer.from("not a picture\n"),
    });
    await imageForm.getByRole("button", { name: "画像を保存" }).click();
    await admin.check("pages-errors");
    assert.match(await page.locator("#image-file-error").innerText(), /中身が画像ではありません/);
    assert.match(await page.locator("#image-alt_ja-error").innerText(), /読み上げる文を入力してください/);
    assert.equal(await page.locator(".error-summary a[href='#image-file']").count(), 1);

    // A real picture with its alternative text.
    await imageForm.getByLabel("画像ファイル").setInputFiles({ name: "demo-logo.png", mimeType: "image/png", buffer: png(160, 48) });
    await imageForm.getByLabel("代替テキスト(必須)").fill("デモ市のロゴ");
    await imageForm.getByRole("button", { name: "画像を保存" }).click();
    await admin.check("pages-image-saved");
    assert.match(await page.locator(".flash").innerText(), /ヘッダー画像を保存しました/);
    assert.match(await page.locator("main").innerText(), /demo-logo\.png\(PNG、160×48ピクセル\)/);

    // The explanation under 番号1, in Japanese only, on two lines.
    const number1 = page.locator("#text-number1_where form").first();
    await number1.getByLabel("番号1の説明(日本語)").fill("ハガキの宛名面、右上の枠の中です。\nハイフンは入れなくてもかまいません。");
    await number1.getByRole("button", { name: /^保存/ }).click();
    await admin.check("pages-text-saved");
    assert.match(await page.locator(".flash").innerText(), /文言を保存しました/);
    assert.match(await page.locator("#text-number1_where h3").innerText(), /変更あり/);

    // A resident on a phone: the picture beside the site name, reached by keyboard.
    const phone = await new Visitor(browser, { name: "pages-phone", width: 360 }).open();
    try {
      const p = phone.page;
      await p.goto(`${BASE}/t/demo/`);
      await phone.check("home");
      const img = p.locator("header img.header-image");
      assert.equal(await img.getAttribute("alt"), "デモ市のロゴ");
      assert.ok(await img.evaluate((e) => e.complete && e.naturalWidth === 160), "the picture loads");
      const box = await img.boundingBox();
      assert.ok(box.width <= 360 && box.height <= 64.5, `the picture fits the header: ${JSON.stringify(box)}`);
      await p.keyboard.press("Tab");
      await p.keyboard.press("Tab");
      const focused = await p.evaluate(() => document.activeElement.className);
      assert.equal(focused, "site-name", "the second Tab reaches the header's link with the picture");
      await p.goto(`${BASE}/t/demo/entry`);
      await phone.check("entry");
      assert.match(await p.locator("#number1_1-hint").innerText(), /右上の枠の中です。\nハイフンは入れなくても/);
      phone.assertClean();
    } finally {
      await phone.close();
    }

    // English at 200 % text: the Japanese alternative text and explanation, marked.
    const big = new Visitor(browser, { name: "pages-200pct-en", width: 640, locale: "en" });
    big.context = await browser.newContext({ viewport: { width: 640, height: 450 }, deviceScaleFactor: 2, locale: "en-GB" });
    big.page = await big.context.newPage();
    big.page.on("response", (r) => {
      if (r.request().resourceType() === "document" && r.request().frame() === big.page.mainFrame()) big.lastDocument = r;
    });
    try {
      const b = big.page;
      await b.goto(`${BASE}/lang?to=en&back=%2Ft%2Fdemo%2F`);
      await big.check("home");
      assert.equal(await b.locator("header img.header-image[lang=ja]").getAttribute("alt"), "デモ市のロゴ");
      await b.goto(`${BASE}/t/demo/entry`);
      await big.check("entry");
      assert.equal(await b.locator("#number1_1-hint span.page-text[lang=ja]").count(), 1);
      big.assertClean();
    } finally {
      await big.close();
    }
    admin.assertClean();
  } finally {
    await restore(admin).catch((e) => console.error("could not put the demo back:", e));
    await admin.close();
  }
});
