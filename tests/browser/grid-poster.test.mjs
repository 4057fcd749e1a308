// 找网格's wall poster (公示牌) and outline: every demo grid's poster prints on ONE A4
// portrait sheet — including the grids with the most team members and service items —
// as Chromium's own PDF printer lays it out (page.pdf, A4), and 桃源村第1网格's outline
// leaves its reservoir hole empty, as the lookup does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_TIMEOUT_MS, api, open, useApp, withPage } from './helpers.mjs';

const app = useApp(import.meta.url);

/** Every grid of the demo county, through the API. */
async function allGrids() {
  const regions = await api(app.url, 'GET', '/api/v1/regions');
  assert.equal(regions.status, 200);
  const grids = [];
  for (const township of regions.json.townships) {
    for (const village of township.villages) {
      const res = await api(app.url, 'GET', `/api/v1/grids?village_id=${village.id}`);
      assert.equal(res.status, 200, res.text);
      grids.push(...res.json);
    }
  }
  return grids;
}

/** Pages of a PDF: its `/Type /Page` objects (not the `/Pages` tree nodes). */
const pdfPages = (pdf) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;

test('every demo grid\'s poster prints on one A4 portrait sheet', { timeout: TEST_TIMEOUT_MS * 4 }, async (t) => {
  const grids = await allGrids();
  assert.ok(grids.length >= 10, `the demo county has grids: ${grids.length}`);
  await withPage(t, app, async (page) => {
    const over = [];
    let most = { people: 0, items: 0 };
    for (const grid of grids) {
      const detail = (await api(app.url, 'GET', `/api/v1/grids/${grid.id}`)).json;
      most = { people: Math.max(most.people, detail.people.length), items: Math.max(most.items, detail.service_items.length) };
      await open(page, `/grid/${grid.id}`, '.g-person');
      await page.waitForFunction(() => document.querySelector('#g-qr')?.complete);
      const pages = pdfPages(await page.pdf({ format: 'A4' }));
      if (pages !== 1) over.push(`${detail.summary.code} ${detail.summary.name} (${detail.people.length} people, ${detail.service_items.length} items): ${pages} pages`);
    }
    assert.ok(most.people >= 7 && most.items >= 8, `the demo has full grids to try: ${JSON.stringify(most)}`);
    assert.deepEqual(over, [], `posters over one A4 sheet:\n${over.join('\n')}`);
  });
});

test('the outline of 桃源村第1网格 leaves the reservoir empty', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const grid = (await api(app.url, 'GET', `/api/v1/grids/search?q=${encodeURIComponent('桃源村第1网格')}`)).json[0].grid;
  await withPage(t, app, async (page) => {
    await open(page, `/grid/${grid.id}`, '#g-outline');
    const { subpaths, fillRule } = await page.locator('#g-outline path').evaluate((p) => ({
      subpaths: (p.getAttribute('d').match(/M/g) ?? []).length,
      fillRule: getComputedStyle(p).fillRule,
    }));
    assert.equal(subpaths, 2, 'the outer ring and the reservoir\'s ring are drawn');
    assert.equal(fillRule, 'evenodd', 'so the reservoir is not filled');
    // A point inside the reservoir is not part of the shape's fill.
    const inHole = await page.locator('#g-outline path').evaluate((p) => {
      const box = p.getBBox();
      const svg = p.ownerSVGElement;
      const pt = svg.createSVGPoint();
      // The reservoir lies inside the grid: scan the middle row for a point the fill skips.
      for (let x = box.x; x < box.x + box.width; x += box.width / 100) {
        pt.x = x; pt.y = box.y + box.height * 0.55;
        if (!p.isPointInFill(pt) && x > box.x + box.width * 0.2 && x < box.x + box.width * 0.8) return true;
      }
      return false;
    });
    assert.ok(inHole, 'a point in the middle of the grid (the reservoir) is outside the fill');
  });
});
