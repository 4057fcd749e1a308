// 找网格: a resident on WeChat finds their grid by a place name, by township → village and
// by their position; the grid's page shows the worker and the 3+N team with phones to
// tap and the supervision phone, prints as a wall poster, and leads into 我要反映 with the
// township, village and grid in the address. A refused position says what to do instead. Every grid
// page passes axe-core (also in large text and English) and fits a 320 px phone.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, TEST_TIMEOUT_MS, api, open, optionValues, shownText, useApp, withPage, forEachState, assertNoSeriousViolations, assertNoSidewaysScrollAt320 } from './helpers.mjs';

const app = useApp(import.meta.url);

/** The demo boundaries the server seeds with --demo. */
const DEMO_GEOJSON = path.join(REPO_ROOT, 'backend', 'demo', 'grids.geojson');

// ---------------------------------------------------------------------------------------
// Setup and checks

/** The area centroid (shoelace) of a ring of [lon, lat]: inside any convex ring. */
function centroid(ring) {
  const pts = ring.length > 1 && ring[0][0] === ring.at(-1)[0] && ring[0][1] === ring.at(-1)[1] ? ring.slice(0, -1) : ring;
  let a = 0, x = 0, y = 0;
  for (let i = 0; i < pts.length; i++) {
    const [x0, y0] = pts[i];
    const [x1, y1] = pts[(i + 1) % pts.length];
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    x += (x0 + x1) * cross;
    y += (y0 + y1) * cross;
  }
  if (Math.abs(a) < 1e-18) { // degenerate: the mean of the vertices
    return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
  }
  return [x / (3 * a), y / (3 * a)];
}

/** A point inside the first demo grid (the centroid of its first ring) and that grid, checked through the API. */
async function pointInFirstDemoGrid() {
  const geo = JSON.parse(fs.readFileSync(DEMO_GEOJSON, 'utf8'));
  const feature = geo.features[0];
  const { type, coordinates } = feature.geometry;
  const ring = type === 'MultiPolygon' ? coordinates[0][0] : coordinates[0];
  const [longitude, latitude] = centroid(ring);
  const res = await api(app.url, 'GET', `/api/v1/grids/locate?lon=${longitude}&lat=${latitude}`);
  assert.equal(res.status, 200, `GET /api/v1/grids/locate answered ${res.status}: ${res.text}`);
  assert.ok(res.json.inside, `the centroid (${longitude}, ${latitude}) of the first demo feature should be inside a grid: ${res.text}`);
  if (feature.properties?.code) {
    assert.equal(res.json.grid.code, feature.properties.code, 'the centroid should fall in the first feature\'s own grid');
  }
  return { latitude, longitude, grid: res.json.grid };
}

/** A village of the demo county that has grids, and its grids, through the API. */
async function villageWithGrids() {
  const regions = await api(app.url, 'GET', '/api/v1/regions');
  assert.equal(regions.status, 200, `GET /api/v1/regions answered ${regions.status}`);
  for (const township of regions.json.townships) {
    for (const village of township.villages) {
      const grids = await api(app.url, 'GET', `/api/v1/grids?village_id=${village.id}`);
      if (grids.ok && grids.json.length) return { township, village, grids: grids.json };
    }
  }
  throw new Error('no demo village has grids');
}

/** Waits for a grid's page to show its name; returns the name. */
async function gridPageName(page) {
  await page.waitForURL((u) => /^\/grid\/\d+$/.test(u.pathname));
  await page.locator('#g-name').waitFor({ state: 'visible' });
  return (await page.locator('#g-name').innerText()).trim();
}

/** Checks what a grid's page must show: the team with tel: links (worker first) and the supervision phone. */
async function assertGridPage(page) {
  const people = page.locator('.g-person');
  await people.first().waitFor({ state: 'visible' });
  const n = await people.count();
  assert.ok(n >= 1, 'the grid page should list its team');
  assert.equal(await people.first().getAttribute('data-role'), 'worker', 'the grid worker comes first');
  assert.match(await people.first().innerText(), /网格员/, 'the worker is named as 网格员');
  for (let i = 0; i < n; i++) {
    const href = await people.nth(i).locator('a[href^="tel:"]').getAttribute('href');
    assert.match(href, /^tel:[\d-]{5,}$/, `person ${i + 1} should have a phone to tap, has ${href}`);
  }
  const supervision = await page.locator('#g-supervision').getAttribute('href');
  assert.match(supervision, /^tel:[\d-]{5,}$/, `the supervision phone should be a tel: link, is ${supervision}`);
  assert.ok((await page.locator('#g-services li').count()) >= 1, 'the service items should be listed');
  const qr = await page.locator('#g-qr').getAttribute('src');
  assert.match(qr, /^\/api\/v1\/qr\/grid\/\d+\.svg$/);
  const id = new URL(page.url()).pathname.split('/').pop();
  assert.equal(qr, `/api/v1/qr/grid/${id}.svg`, 'the QR code is of this grid');
}

// ---------------------------------------------------------------------------------------
// Journeys

test('a resident finds their grid by name, then by position, and reports from it', { timeout: TEST_TIMEOUT_MS * 2 }, async (t) => {
  const here = await pointInFirstDemoGrid();
  await withPage(t, app, async (page, context) => {
    // 1. Search: typing is enough (no button), results are ranked links.
    await open(page, '/grid', '#g-search');
    assert.equal(await page.title(), '找网格 - 一窗通办');
    await page.fill('#g-search', '桃源');
    const match = page.locator('.g-match').first();
    await match.waitFor({ state: 'visible' });
    assert.match(await shownText(page, '#g-search-status'), /找到 \d+ 个网格/);
    const matchName = (await match.locator('.g-card-title').innerText()).trim();
    await match.click();
    assert.equal(await gridPageName(page), matchName, 'the grid page is the one picked');
    await assertGridPage(page);
    assert.match(await page.title(), new RegExp(`^${matchName} - 找网格`));

    // 2. Back: the search is still there.
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/grid');
    await page.locator('.g-match').first().waitFor({ state: 'visible' });
    assert.equal(await page.inputValue('#g-search'), '桃源', 'back from a grid page keeps the search');

    // 3. Position: inside a demo grid → straight to its page.
    await context.grantPermissions(['geolocation'], { origin: app.url });
    await context.setGeolocation({ latitude: here.latitude, longitude: here.longitude, accuracy: 20 });
    await page.click('#g-locate');
    assert.equal(await gridPageName(page), here.grid.name);
    assert.equal(new URL(page.url()).pathname, `/grid/${here.grid.id}`);
    await assertGridPage(page);

    // 4. 我要反映 from the grid: the resident app's form, told the grid's place.
    assert.equal(await page.getAttribute('#g-report', 'rel'), 'external');
    await page.click('#g-report');
    await page.waitForURL((u) => u.pathname === '/submit');
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('township'), String(here.grid.township_id));
    assert.equal(url.searchParams.get('village'), String(here.grid.village_id));
    assert.equal(url.searchParams.get('grid'), String(here.grid.id), 'the grid goes with the request');
    await page.locator('#f-title').waitFor({ state: 'visible' });
  });
});

test('the request form opens with the grid\'s township and village chosen', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { township, village, grids } = await villageWithGrids();
  await withPage(t, app, async (page) => {
    await open(page, `/grid/${grids[0].id}`, '#g-report');
    await page.click('#g-report');
    await page.waitForURL((u) => u.pathname === '/submit');
    await page.locator('#f-title').waitFor({ state: 'visible' });
    await page.waitForFunction(
      ({ t, v }) => document.querySelector('#f-township_id')?.value === t && document.querySelector('#f-village_id')?.value === v,
      { t: String(township.id), v: String(village.id) },
      { timeout: 5_000 },
    ).catch(async () => {
      throw new Error(`the form should open with township ${township.id} and village ${village.id} chosen; ` +
        `it shows "${await page.inputValue('#f-township_id')}" / "${await page.inputValue('#f-village_id')}"`);
    });
  });
});

test('township → village → the village\'s grids', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { township, village, grids } = await villageWithGrids();
  await withPage(t, app, async (page) => {
    await open(page, '/grid', '#g-township');
    assert.ok(await page.locator('#g-village').isDisabled(), 'no village to choose before a township');
    await optionValues(page, '#g-township');
    await page.selectOption('#g-township', String(township.id));
    await optionValues(page, '#g-village');
    await page.selectOption('#g-village', String(village.id));
    const links = page.locator('.g-grid-link');
    await links.first().waitFor({ state: 'visible' });
    assert.equal(await links.count(), grids.length, 'every grid of the village is listed');
    await links.first().click();
    assert.equal(await gridPageName(page), grids[0].name);
    // Back: the choice is kept.
    await page.goBack();
    await page.locator('.g-grid-link').first().waitFor({ state: 'visible' });
    assert.equal(await page.inputValue('#g-township'), String(township.id));
    assert.equal(await page.inputValue('#g-village'), String(village.id));
  });
});

test('a refused position says so and points to the other ways', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page, context) => {
    await context.clearPermissions(); // never granted: Chromium refuses without asking
    await open(page, '/grid', '#g-locate');
    await page.click('#g-locate');
    await page.waitForFunction(() => (document.querySelector('#g-locate-error')?.textContent ?? '').trim() !== '');
    const message = await shownText(page, '#g-locate-error');
    assert.match(message, /位置/, `the message should be about the position: "${message}"`);
    assert.match(message, /搜索/, 'it points to the search');
    assert.match(message, /乡镇和村/, 'and to choosing the township and village');
    assert.equal(new URL(page.url()).pathname, '/grid', 'the resident stays on the page');
  });
});

test('outside every grid: the nearest grid and how far', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const here = await pointInFirstDemoGrid();
  await withPage(t, app, async (page, context) => {
    await context.grantPermissions(['geolocation'], { origin: app.url });
    // About 0.2° (≈ 20 km) north of the demo grid: in China, in no grid.
    await context.setGeolocation({ latitude: here.latitude + 0.2, longitude: here.longitude });
    await open(page, '/grid', '#g-locate');
    await page.click('#g-locate');
    const nearest = page.locator('#g-locate-result .g-nearest');
    await nearest.waitFor({ state: 'visible' });
    const text = await shownText(page, '#g-locate-result');
    assert.match(text, /^您不在任何网格范围内，最近的网格是 .+，约 [\d.]+ (米|公里)。$/, text);
    await nearest.click();
    await gridPageName(page);
  });
});

test('the grid page prints as a wall poster', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { grids } = await villageWithGrids();
  await withPage(t, app, async (page) => {
    await open(page, `/grid/${grids[0].id}`, '.g-person');
    await page.emulateMedia({ media: 'print' });
    const shown = (sel) => page.locator(sel).first().isVisible();
    for (const sel of ['.site-header', '.site-footer', '#g-report', '#g-print', '.g-back']) {
      assert.equal(await shown(sel), false, `${sel} is not printed`);
    }
    for (const sel of ['#g-name', '.g-person', '#g-supervision', '#g-qr']) {
      assert.equal(await shown(sel), true, `${sel} is printed`);
    }
    const nameSize = await page.locator('#g-name').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok(nameSize >= 40, `the poster's name should be big, is ${nameSize}px`);
  });
});

test('an unknown grid says so', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await open(page, '/grid/999999', '.g-back');
    await page.waitForFunction(() => /找不到/.test(document.querySelector('.load-status')?.textContent ?? ''));
    assert.equal(await page.locator('#g-name').count(), 0);
  });
});

// ---------------------------------------------------------------------------------------
// Accessibility and narrow phones



async function largeText(page) {
  await page.click('#large-text-toggle');
  await page.waitForFunction(() => document.documentElement.classList.contains('large-text'));
}

/** Each state of the app a resident sees: [name, async (page) => {}]. */
function states() {
  const gridPage = async (page) => {
    const { grids } = await villageWithGrids();
    await open(page, `/grid/${grids[0].id}`, '.g-person');
  };
  const searched = async (page) => {
    await open(page, '/grid', '#g-search');
    await page.fill('#g-search', '桃源');
    await page.locator('.g-match').first().waitFor({ state: 'visible' });
  };
  return [
    ['/grid', async (page) => { await open(page, '/grid', '#g-township'); await optionValues(page, '#g-township'); }],
    ['/grid with search results', searched],
    ['/grid with search results in large text', async (page) => { await searched(page); await largeText(page); }],
    ['/grid with a refused position', async (page) => {
      await open(page, '/grid', '#g-locate');
      await page.click('#g-locate');
      await page.waitForFunction(() => (document.querySelector('#g-locate-error')?.textContent ?? '').trim() !== '');
    }],
    ['a grid page', gridPage],
    ['a grid page in large text', async (page) => { await gridPage(page); await largeText(page); }],
    ['a grid page in English', async (page) => {
      await gridPage(page);
      await page.click('#lang-toggle');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
    }],
  ];
}

test('axe-core finds no serious or critical violations', { timeout: TEST_TIMEOUT_MS * 2 }, async (t) => {
  await forEachState(t, app, states(), assertNoSeriousViolations);
});

test('no grid page scrolls sideways on a 320 px phone', { timeout: TEST_TIMEOUT_MS * 2 }, async (t) => {
  await forEachState(t, app, states(), assertNoSidewaysScrollAt320);
});
