// The browser side of the real-browser tests: Debian's Chromium driven by playwright-core,
// every page checked with axe-core and saved for the Nu HTML checker, screenshots kept.
import { chromium } from "playwright-core";
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";

export const BASE = process.env.MADOGUCHI_BASE_URL ?? "http://127.0.0.1:3000";
export const ARTEFACTS = process.env.MADOGUCHI_ARTEFACTS ?? "../../target/browser";
const AXE = readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

export const SHOTS = join(ARTEFACTS, "screenshots");
export const PAGES = join(ARTEFACTS, "pages");
mkdirSync(SHOTS, { recursive: true });
mkdirSync(PAGES, { recursive: true });

export async function launch() {
  // The flags this machine needs: no sandbox as root, and no background traffic to a
  // network that is closed.
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/// A visitor: one browser context at one viewport, that checks every page it reaches.
export class Visitor {
  /// `scale: 2` with a width of 640 is a 1280-pixel screen at 200 % text.
  constructor(browser, { name, width, locale = "ja", height = 900, scale = 1 }) {
    this.browser = browser;
    this.name = name;
    this.width = width;
    this.height = height;
    this.scale = scale;
    this.locale = locale;
    this.step = 0;
    this.violations = [];
  }

  async open() {
    this.context = await this.browser.newContext({
      viewport: { width: this.width, height: this.height },
      deviceScaleFactor: this.scale,
      locale: this.locale === "en" ? "en-GB" : "ja-JP",
    });
    this.page = await this.context.newPage();
    this.page.on("pageerror", (e) => this.violations.push(`script error: ${e.message}`));
    // The HTML as the server sent it (the DOM a browser rebuilds would hide markup errors).
    this.page.on("response", (r) => {
      if (r.request().resourceType() === "document" && r.request().frame() === this.page.mainFrame()) {
        this.lastDocument = r;
      }
    });
    return this;
  }

  async close() {
    await this.context.close();
  }

  /// After every navigation: the page must not scroll sideways, must pass axe, and is saved
  /// (HTML for the Nu checker, a full-page screenshot for people).
  async check(label) {
    const page = this.page;
    await page.waitForLoadState("load");
    this.step += 1;
    const id = `${this.name}-${String(this.step).padStart(2, "0")}-${label}`;
    await page.screenshot({ path: join(SHOTS, `${id}.png`), fullPage: true });
    const sent = this.lastDocument ? await this.lastDocument.text().catch(() => null) : null;
    writeFileSync(join(PAGES, `${id}.html`), sent ?? (await page.content()));
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    if (overflow > 0) {
      this.violations.push(`${id}: the page scrolls sideways by ${overflow}px at ${this.width}px`);
    }
    await page.evaluate(AXE);
    const result = await page.evaluate(async () =>
      // WCAG 2.0/2.1 A and AA: what JIS X 8341-3:2016 AA asks.
      axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }),
    );
    for (const v of result.violations) {
      const where = v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ");
      this.violations.push(`${id}: axe ${v.id} (${v.impact}): ${v.help} at ${where}`);
    }
    for (const problem of await page.evaluate(structureProblems)) {
      this.violations.push(`${id}: ${problem}`);
    }
    return page;
  }

  assertClean() {
    assert.deepEqual(this.violations, [], `${this.name}: problems found`);
  }
}

/// What axe does not check on its own, run in the page: one h1 and no skipped heading
/// level; the skip link leads to the main content; every field error is tied to a field
/// with aria-describedby, and every field marked invalid points at its error; the error
/// summary comes first in the main content and links only to things on the page.
function structureProblems() {
  const problems = [];
  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")];
  const h1s = headings.filter((h) => h.tagName === "H1").length;
  if (h1s !== 1) problems.push(`${h1s} h1 headings`);
  let level = 0;
  for (const h of headings) {
    const l = Number(h.tagName[1]);
    if (l > level + 1) problems.push(`heading "${h.textContent.trim()}" skips from h${level} to h${l}`);
    level = l;
  }
  const skip = document.querySelector("a.skip-link");
  if (document.querySelector("main") && document.body.querySelector("header")) {
    if (!skip) problems.push("no skip link");
    else if (!document.getElementById(skip.getAttribute("href").slice(1))) problems.push("the skip link leads nowhere");
  }
  const describedBy = new Set(
    [...document.querySelectorAll("[aria-describedby]")].flatMap((e) => e.getAttribute("aria-describedby").split(/\s+/)),
  );
  for (const e of document.querySelectorAll(".field-error[id]")) {
    if (!describedBy.has(e.id)) problems.push(`error #${e.id} is tied to no field`);
  }
  for (const e of document.querySelectorAll("[aria-invalid=true]")) {
    const ids = (e.getAttribute("aria-describedby") ?? "").split(/\s+/);
    if (!ids.some((id) => document.getElementById(id)?.classList.contains("field-error"))) {
      problems.push(`invalid #${e.id} has no error in its description`);
    }
  }
  const summary = document.querySelector(".error-summary");
  if (summary) {
    // The console's menu (with its logout form) comes before every page's content.
    const before = [...document.querySelectorAll("main form, main .field")]
      .filter((f) => !f.closest(".staff-nav"))
      .some((f) => f.compareDocumentPosition(summary) & Node.DOCUMENT_POSITION_FOLLOWING);
    if (before) problems.push("the error summary comes after a form field");
    for (const a of summary.querySelectorAll("a[href^='#']")) {
      if (!document.getElementById(a.getAttribute("href").slice(1))) problems.push(`summary link ${a.getAttribute("href")} leads nowhere`);
    }
  }
  return problems;
}

/// The sample notices the demo lists for newcomers, without the twins that need 番号2.
export async function samples(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${BASE}/dev/samples`);
  const rows = await page.$$eval("#sample-notices tbody tr", (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent.trim())),
  );
  await context.close();
  return rows
    .filter((r) => !(r[4] ?? "").includes("番号2"))
    .map((r) => ({ number1: r[0], birth: r[1].slice(0, 8), name: r[3] }));
}

/// The demo's sample vaccination tickets: number, birthdate (8 digits), dose, note.
export async function sampleTickets(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${BASE}/dev/samples`);
  const rows = await page.$$eval("#sample-tickets tbody tr", (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent.trim())),
  );
  await context.close();
  return rows.map((r) => ({ number: r[0], birth: r[1].slice(0, 8), dose: r[2], note: r[5] }));
}

/// The newest mail to `to` whose subject contains `subject`, opened in the dev mailbox.
export async function openMail(visitor, to, subject) {
  const page = visitor.page;
  await page.goto(`${BASE}/dev/mailbox`);
  const row = page.locator("tr", { hasText: to }).filter({ hasText: subject }).first();
  await row.getByRole("link").click();
  await visitor.check("mail");
  return page.locator("main").innerText();
}
