// Shared helpers of the browser tests: the release server, Debian chromium through
// playwright-core, the WeChat phone context, and the steps a resident takes.
//
// Every test file calls `useApp(import.meta.url)` once at top level: it starts one fresh
// server (temporary database, --demo data) and one browser for that file and stops both
// after it. Each test then runs its steps inside `withPage(t, app, fn)`, which opens a
// fresh phone context, and on failure saves a screenshot and the page's log into
// artifacts/ before re-throwing.

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, after } from 'node:test';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');
// OW_TEST_SERVER_BIN / OW_TEST_DIST point the tests at another build (e.g. a debug one).
export const SERVER_BIN = process.env.OW_TEST_SERVER_BIN || path.join(REPO_ROOT, 'target', 'release', 'onewindow');
export const DIST_DIR = process.env.OW_TEST_DIST || path.join(REPO_ROOT, 'dist');
export const ARTIFACTS = path.join(here, 'artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Default wait for one browser step; a WASM app's first render is included. */
export const STEP_TIMEOUT_MS = 15_000;
/** The node:test timeout of one test. */
export const TEST_TIMEOUT_MS = 90_000;

export const WECHAT_ANDROID_UA =
  'Mozilla/5.0 (Linux; Android 13; V2055A Build/TP1A.220624.014; wv) AppleWebKit/537.36 ' +
  '(KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.103 Mobile Safari/537.36 XWEB/1300259 ' +
  'MMWEBSDK/20241103 MMWEBID/1234 MicroMessenger/8.0.54.2760(0x28003633) WeChat/arm64 Weixin ' +
  'NetType/WIFI Language/zh_CN ABI/arm64';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** What is missing to run the tests, as messages; empty when all is there. */
export function missingPrerequisites() {
  const missing = [];
  if (!fs.existsSync(SERVER_BIN)) {
    missing.push(`the release server ${SERVER_BIN} is missing: run 'cargo build --release -p onewindow-backend' (or 'make backend')`);
  }
  if (!fs.existsSync(path.join(DIST_DIR, 'index.html'))) {
    missing.push(`the frontend build ${path.join(DIST_DIR, 'index.html')} is missing: run 'trunk build --release' (or 'make frontend')`);
  }
  if (!fs.existsSync(CHROMIUM)) {
    missing.push(`chromium is missing at ${CHROMIUM}: run 'scripts/setup.sh test'`);
  }
  return missing;
}

// ---------------------------------------------------------------------------------------
// The server

/**
 * Starts `onewindow serve --demo` on a free port with a database in a new temporary
 * directory. Resolves once it prints `listening on http://…`.
 * @returns {Promise<{url: string, log: () => string, stop: () => Promise<void>}>}
 */
export async function startServer({ timeoutMs = 30_000 } = {}) {
  const missing = missingPrerequisites();
  if (missing.length) throw new Error(`cannot run the browser tests:\n  - ${missing.join('\n  - ')}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ow-browser-'));
  const child = spawn(
    SERVER_BIN,
    [
      'serve', '--addr', '127.0.0.1:0', '--db', path.join(dir, 'ow.sqlite'), '--dist', DIST_DIR, '--demo',
      // No quiet hours (21:00–08:00 Beijing by default): a run in the evening must see
      // its texts go out, as the API tests' configuration does.
      '--sms-quiet-hours', '00:00-00:00',
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_BACKTRACE: '1' } },
  );
  let output = '';
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server printed no 'listening on http://…' within ${timeoutMs} ms; its output:\n${output}`));
    }, timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const m = output.match(/listening on (http:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk) => { output += chunk; });
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (code ${code}, signal ${signal}) before listening; its output:\n${output}`));
    });
  });
  return {
    url,
    log: () => output,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------
// The browser

/** Launches Debian chromium headless (playwright gives it a fresh user-data-dir). */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A resident's phone: WeChat's in-app browser on Android, 375×667 at 2×, touch, zh-CN.
 * `width`/`height` change the viewport (e.g. 320 for the smallest phones).
 */
export async function newPhoneContext(browser, baseURL, { width = 375, height = 667, ...extra } = {}) {
  const context = await browser.newContext({
    baseURL,
    viewport: { width, height },
    screen: { width, height },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    userAgent: WECHAT_ANDROID_UA,
    ...extra,
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS * 2);
  return context;
}

/**
 * Registers before/after hooks for one test file: one fresh server and one browser.
 * Returns an object whose `url`, `server` and `browser` are set once `before` has run.
 */
export function useApp(fileUrl) {
  const app = { name: path.basename(fileURLToPath(fileUrl)).replace(/\.test\.mjs$/, ''), url: '', server: null, browser: null };
  before(async () => {
    app.server = await startServer();
    app.url = app.server.url;
    app.browser = await launchBrowser();
  });
  after(async () => {
    await app.browser?.close().catch(() => {});
    await app.server?.stop();
  });
  return app;
}

const slug = (s) => s.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 80);

/**
 * Runs `fn(page, context)` in a fresh phone context. Uncaught page errors (e.g. a WASM
 * panic) fail the test. On failure: a full-page screenshot, the page's console and the
 * server's output go to artifacts/<file>--<test>.{png,log}. With OW_TEST_SHOTS=1 the
 * last state of each passing test is saved too, as <file>--<test>.ok.png.
 */
export async function withPage(t, app, fn, contextOptions = {}) {
  const context = await newPhoneContext(app.browser, app.url, contextOptions);
  const page = await context.newPage();
  const console_ = [];
  const pageErrors = [];
  page.on('console', (m) => console_.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => { pageErrors.push(String(e?.stack || e)); console_.push(`[pageerror] ${e}`); });
  page.on('requestfailed', (r) => console_.push(`[requestfailed] ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) console_.push(`[http ${r.status()}] ${r.request().method()} ${r.url()}`); });
  const base = path.join(ARTIFACTS, `${app.name}--${slug(t.fullName ?? t.name)}`);
  try {
    await fn(page, context);
    if (pageErrors.length) throw new Error(`uncaught errors in the page:\n${pageErrors.join('\n')}`);
    if (process.env.OW_TEST_SHOTS) { // the last state of every test, for a person to look at
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${base}.ok.png`, fullPage: true });
    }
  } catch (err) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => {});
    fs.writeFileSync(
      `${base}.log`,
      `url: ${page.url()}\n\n== page console ==\n${console_.join('\n')}\n\n== server output ==\n${app.server?.log() ?? ''}\n`,
    );
    t.diagnostic(`screenshot and log: ${path.relative(process.cwd(), base)}.{png,log}`);
    if (console_.length) t.diagnostic(`page console (last 15):\n${console_.slice(-15).join('\n')}`);
    throw err;
  } finally {
    await context.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------
// Test data

/** An 8×8 RGB PNG, a real image the server can decode. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAdklEQVR42g3NQQEAMAgCQKLwJIZRiGIUo/gkhlG2K3AARKQgIw0NstAhAEOqGFPNDLXMUUCJlSq50qWpbOkqgEOrHFvtjLXOWUCLnWq5063pbOv6HxOOauJRT2a0k5t/rLiplTe9ms2ubv9x4akuPvVlTnu50wMAe1YBJ8hGpwAAAABJRU5ErkJggg==';

export function pngBytes() {
  return Buffer.from(PNG_BASE64, 'base64');
}

/** Writes the PNG to a new temporary file, as a photo on the phone would be. */
export function pngFile(name = 'streetlight.png') {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ow-photo-')), name);
  fs.writeFileSync(file, pngBytes());
  return file;
}

/** `YYYY-MM-DD` of a day `daysAgo` days before today (safe in any time zone for ≥ 2). */
export function pastDate(daysAgo = 5) {
  const d = new Date(Date.now() - daysAgo * 86_400_000);
  return d.toISOString().slice(0, 10);
}

export const VALID = Object.freeze({
  case_type: 'complaint',
  title: '村口路灯不亮',
  description: '村口的路灯已经坏了两个星期，晚上出行很不方便，请尽快维修。',
  occurred_on: pastDate(5),
  address: '村委会门口',
  contact_name: '张三',
  mobile: '13812345678',
  id_number: '',
});

export const VALID_ID_NUMBER = '11010519491231002X';

/** Removes all whitespace (the receipt may group the tracking number). */
export const digits = (s) => (s ?? '').replace(/\s+/g, '');

// ---------------------------------------------------------------------------------------
// Steps of a resident

/** Opens a path and waits until the app has rendered `selector`. */
export async function open(page, urlPath, selector = '#main') {
  await page.goto(urlPath);
  await page.locator(selector).first().waitFor({ state: 'visible' });
}

/** Checks a radio or checkbox, through its label when the input itself is styled away. */
export async function checkInput(page, selector) {
  const input = page.locator(selector);
  await input.waitFor({ state: 'attached' });
  if (await input.isVisible()) {
    await input.check();
  } else {
    const id = await input.getAttribute('id');
    await page.locator(`label[for="${id}"]`).first().click();
  }
  if (!(await input.isChecked())) throw new Error(`${selector} did not become checked`);
}

/** The values of the non-empty options of a select, once it has some and is enabled. */
export async function optionValues(page, selector) {
  await page.waitForFunction(
    (sel) => {
      const el = document.querySelector(sel);
      return el && !el.disabled && [...el.options].some((o) => o.value !== '' && !o.disabled);
    },
    selector,
  );
  return page.locator(selector).evaluate((el) => [...el.options].filter((o) => o.value !== '' && !o.disabled).map((o) => o.value));
}

/** Picks the `index`-th township and that township's `index`-th village; returns their values. */
export async function chooseRegion(page, index = 0) {
  const townships = await optionValues(page, '#f-township_id');
  const township = townships[index];
  await page.selectOption('#f-township_id', township);
  const villages = await optionValues(page, '#f-village_id');
  const village = villages[index];
  await page.selectOption('#f-village_id', village);
  return { township, village };
}

/**
 * Fills the whole submit form with valid values (overridable; `null` skips a field).
 * Does not accept the privacy notice unless `privacy: true`; does not submit.
 * Returns the values used, with the chosen township and village.
 */
export async function fillValidForm(page, overrides = {}) {
  const v = { ...VALID, ...overrides };
  await page.locator('#f-title').waitFor({ state: 'visible' });
  if (v.case_type) await checkInput(page, `#f-case_type-${v.case_type}`);
  for (const field of ['title', 'description', 'occurred_on']) {
    if (v[field] != null) await page.fill(`#f-${field}`, v[field]);
  }
  const region = await chooseRegion(page, v.regionIndex ?? 0);
  for (const field of ['address', 'contact_name', 'mobile', 'id_number']) {
    if (v[field] != null) await page.fill(`#f-${field}`, v[field]);
  }
  if (v.case_type === 'dispute') {
    if (v.other_party_name != null) await page.fill('#f-other_party_name', v.other_party_name);
    await page.selectOption('#f-mediation', v.mediation ?? 'willing');
  }
  if (v.privacy) await checkInput(page, '#f-privacy_accepted');
  return { ...v, ...region };
}

/** Chooses the PNG as a photo and waits for its thumbnail and the finished upload; returns the upload's JSON answer or null. */
export async function attachPhoto(page) {
  // Chromium often cannot give back the answer's body when the request's body was a
  // file from an <input type=file> ("evicted from inspector cache"): only the status is
  // relied on; the body, when readable, is returned for information.
  const uploaded = page.waitForResponse(
    (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/uploads',
  ).then(async (r) => ({ status: r.status(), ok: r.ok(), text: await r.text().catch(() => null) }));
  await page.setInputFiles('#f-photos', pngFile());
  const thumb = page.locator('.photo-thumb').first();
  await thumb.waitFor({ state: 'visible' });
  const response = await uploaded;
  if (!response.ok) throw new Error(`POST /api/v1/uploads answered ${response.status}: ${response.text ?? '(body unavailable)'}`);
  let body = null;
  try { body = JSON.parse(response.text); } catch { /* unreadable, see above */ }
  // Finished: the thumbnail's picture shows and its progress bar is full or gone.
  await page.waitForFunction(() => {
    const t = document.querySelector('.photo-thumb');
    const img = t?.querySelector('img');
    const bar = t?.querySelector('progress');
    return img && img.complete && img.naturalWidth > 0 && (!bar || (bar.max > 0 && bar.value >= bar.max));
  });
  return body;
}

/**
 * Clicks submit and waits for /receipt. Returns what the receipt shows and the
 * POST /api/v1/cases requests the page made.
 */
export async function submitAndReadReceipt(page, { click = (p) => p.click('#submit-case') } = {}) {
  const requests = [];
  const onRequest = (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/cases') requests.push(r);
  };
  page.on('request', onRequest);
  try {
    await click(page);
    await page.waitForURL((u) => u.pathname === '/receipt');
    const receipt = await readReceipt(page);
    return { ...receipt, requests };
  } finally {
    page.off('request', onRequest);
  }
}

/** Reads the receipt page once it shows a tracking number. */
export async function readReceipt(page) {
  const no = page.locator('#receipt-tracking-no');
  await no.waitFor({ state: 'visible' });
  await page.waitForFunction(() => /\d{13}/.test((document.querySelector('#receipt-tracking-no')?.textContent ?? '').replace(/\s+/g, '')));
  return {
    trackingNo: digits(await no.textContent()),
    queryCode: (await page.locator('#receipt-query-code').textContent()).trim(),
    deadlines: (await page.locator('#receipt-deadlines').textContent()).trim(),
  };
}

/** Submits a valid case through the UI from a fresh /submit page; returns the receipt. */
export async function submitCaseViaUi(page, overrides = {}) {
  await open(page, '/submit', '#f-title');
  await fillValidForm(page, { privacy: true, ...overrides });
  return submitAndReadReceipt(page);
}

/** The text a resident sees in `selector`: '' when it is missing, hidden or empty. */
export async function shownText(page, selector) {
  const el = page.locator(selector).first();
  if (!(await el.count()) || !(await el.isVisible())) return '';
  return (await el.innerText()).trim();
}

/** Waits until `#err-{field}` shows a message (the element may always be present, empty); returns it. */
export async function fieldError(page, field) {
  const selector = `#err-${field}`;
  await page.waitForFunction((sel) => {
    const el = document.querySelector(sel);
    return el && el.getClientRects().length > 0 && el.textContent.trim() !== '';
  }, selector).catch(async () => {
    throw new Error(`${selector} showed no message; it holds "${await page.locator(selector).textContent().catch(() => '(missing)')}"`);
  });
  return (await page.locator(selector).innerText()).trim();
}

/** Looks a case up on /track through the UI; waits for a result or an error. */
export async function trackViaUi(page, trackingNo, queryCode) {
  await open(page, `/track?no=${encodeURIComponent(trackingNo)}`, '#f-query_code');
  await page.fill('#f-query_code', queryCode);
  await page.click('#track-submit');
  await page.waitForFunction(() => {
    const shown = (el) => el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const error = document.querySelector('#track-error');
    return shown(document.querySelector('#track-state')) || (shown(error) && error.textContent.trim() !== '');
  });
}

/** The parsed `ow.draft` of localStorage, or null. */
export async function readDraft(page) {
  const raw = await page.evaluate(() => localStorage.getItem('ow.draft'));
  if (raw == null || raw === '') return { raw, json: null };
  try {
    return { raw, json: JSON.parse(raw) };
  } catch {
    return { raw, json: null };
  }
}

/** Waits until the saved draft's text contains every one of `needles`. */
export async function waitForDraftContaining(page, needles) {
  await page.waitForFunction(
    (ns) => {
      const raw = localStorage.getItem('ow.draft') ?? '';
      return ns.every((n) => raw.includes(n));
    },
    needles,
  );
}

// ---------------------------------------------------------------------------------------
// The API, for setup and verification

export async function api(baseURL, method, urlPath, { body, headers = {} } = {}) {
  const res = await fetch(baseURL + urlPath, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, ok: res.ok, json, text };
}

export const trackApi = (baseURL, tracking_no, query_code) =>
  api(baseURL, 'POST', '/api/v1/track', { body: { tracking_no, query_code } });

/** Creates a valid case through the API (first township and village); returns the receipt JSON. */
export async function createCaseViaApi(baseURL, overrides = {}) {
  const regions = await api(baseURL, 'GET', '/api/v1/regions');
  if (!regions.ok) throw new Error(`GET /api/v1/regions answered ${regions.status}: ${regions.text}`);
  const township = regions.json.townships[0];
  const body = {
    ...VALID,
    township_id: township.id,
    village_id: township.villages[0].id,
    privacy_accepted: true,
    photo_ids: [],
    ...overrides,
  };
  const res = await api(baseURL, 'POST', '/api/v1/cases', { body, headers: { 'Idempotency-Key': randomUUID() } });
  if (!res.ok) throw new Error(`POST /api/v1/cases answered ${res.status}: ${res.text}`);
  return res.json;
}

/** Text with its CJK characters counted, to tell zh from en UI text. */
export const cjkCount = (s) => ((s ?? '').match(/[\u3400-\u9fff]/g) ?? []).length;

// ---------------------------------------------------------------------------------------
// Accessibility and narrow screens, shared by every app's tests.

/** Runs axe on the page and fails listing every serious or critical violation. */
export async function assertNoSeriousViolations(page, where) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad
    .map((v) => `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
      v.nodes.slice(0, 5).map((n) => `      ${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ')}`).join('\n'))
    .join('\n');
  assert.equal(bad.length, 0, `axe found ${bad.length} serious/critical violation(s) on ${where}:\n${report}`);
}

/** Fails if the page is wider than the viewport (a resident would have to scroll sideways). */
export async function assertNoSidewaysScroll(page, where, width) {
  const { scrollWidth, offenders } = await page.evaluate((w) => ({
    scrollWidth: document.documentElement.scrollWidth,
    offenders: [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > w + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} (right ${Math.round(el.getBoundingClientRect().right)})`),
  }), width);
  assert.ok(scrollWidth <= width, `${where} scrolls sideways at ${width} px: scrollWidth ${scrollWidth}; wide elements: ${offenders.join(', ')}`);
}

/** `assertNoSidewaysScroll` at the narrowest phone width the apps support. */
export const assertNoSidewaysScrollAt320 = (page, where) => assertNoSidewaysScroll(page, where, 320);

/**
 * Runs `check(page, name)` on each `[name, reach]` state, each in a fresh page of its own
 * subtest. `contextOptions` defaults to a 320 px phone for the 320 px check.
 */
export async function forEachState(t, app, states, check, contextOptions) {
  const options = contextOptions ?? (check === assertNoSidewaysScrollAt320 ? { width: 320, height: 640 } : {});
  for (const [name, reach] of states) {
    await t.test(name, async (st) => {
      await withPage(st, app, async (page) => {
        await reach(page);
        await check(page, name);
      }, options);
    });
  }
}
