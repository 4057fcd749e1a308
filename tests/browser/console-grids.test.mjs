// 工作台·网格: an administrator imports a people CSV with one bad line and sees its line
// number and reason while nothing changes, then a good CSV (with the BOM Excel writes)
// and sees how many rows went in; a clerk changes a grid's supervision phone and adds a
// 护林员, and residents' grid API shows both. The list and the edit page pass axe-core,
// also in large-text mode, and fit a 320 px screen.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, TEST_TIMEOUT_MS, api, useApp, withPage, assertNoSeriousViolations, assertNoSidewaysScroll } from './helpers.mjs';
import { DESKTOP, signIn } from './console-helpers.mjs';

const app = useApp(import.meta.url);

/** The demo teams the server seeds with --demo, one CSV line each (BOM removed). */
const DEMO_PEOPLE = fs.readFileSync(path.join(REPO_ROOT, 'backend', 'demo', 'grid-people.csv'), 'utf8')
  .replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean);
const HEADER = DEMO_PEOPLE[0];
const linesOf = (code) => DEMO_PEOPLE.filter((l) => l.startsWith(`${code},`));

/** A grid's id by its code, and its public page, through the residents' API. */
async function gridByCode(code) {
  const list = await api(app.url, 'GET', '/api/v1/grids');
  assert.equal(list.status, 200, list.text);
  const grid = list.json.find((g) => g.code === code);
  assert.ok(grid, `grid ${code} should exist`);
  return grid;
}

async function gridPage(id) {
  const res = await api(app.url, 'GET', `/api/v1/grids/${id}`);
  assert.equal(res.status, 200, res.text);
  return res.json;
}



async function largeText(page) {
  await page.click('#c-large-text');
  await page.waitForFunction(() => document.documentElement.classList.contains('large-text'));
}

/** Opens 网格 from the navigation; waits for the list. */
async function openGrids(page, who) {
  await signIn(page, who);
  await page.click('#c-nav-grids');
  await page.locator('.c-g-row').first().waitFor({ state: 'visible' });
}

/** Chooses a CSV (as bytes) in the people file input and imports it. */
async function importPeople(page, csv) {
  await page.setInputFiles('#c-g-people-file', { name: 'grid-people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.click('#c-g-people-import');
  await page.waitForFunction(() =>
    (document.querySelector('#c-g-import-result')?.textContent ?? '').trim() !== '' ||
    document.querySelectorAll('#c-g-import-errors li').length > 0);
}

/** Opens a grid's edit page from the list, through the township filter. */
async function openGrid(page, grid) {
  await openGrids(page, 'clerk');
  await page.selectOption('#c-g-township', String(grid.township_id));
  await page.locator(`.c-g-row[data-code="${grid.code}"] a.c-g-link`).click();
  await page.waitForURL((u) => u.pathname === `/console/grids/${grid.id}`);
  await page.waitForFunction(() => (document.querySelector('#c-g-supervision')?.value ?? '') !== '');
}

test('an administrator imports people: a bad line is named and nothing changes; a good file goes in', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    const grid = await gridByCode('AL010101');
    const before = await gridPage(grid.id);
    const worker = before.people.find((p) => p.role === 'worker');
    assert.ok(worker, 'the demo grid has a worker');

    await openGrids(page, 'admin');
    assert.equal(await page.getAttribute('#c-g-export-boundaries', 'href'), '/api/v1/console/grids/boundaries.geojson');
    assert.equal(await page.getAttribute('#c-g-export-people', 'href'), '/api/v1/console/grids/people.csv');
    assert.notEqual(await page.getAttribute('#c-g-export-people', 'download'), null);

    // Line 3 has a phone of two digits: the whole file is refused.
    const [first, ...rest] = linesOf('AL010101');
    const bad = [HEADER, first.replace(worker.name, '新网格员'), rest[0].replace(/,[^,]*$/, ',12'), ...rest.slice(1)].join('\n');
    await importPeople(page, bad);
    const problems = page.locator('#c-g-import-errors li');
    assert.equal(await problems.count(), 1);
    const text = (await problems.first().textContent()).trim();
    assert.match(text, /^第 3 行/);
    assert.match(text, /电话“12”无效/);
    assert.equal(await problems.first().getAttribute('data-line'), '3');
    assert.match(await page.locator('#c-g-import-refused').textContent(), /未导入任何内容/);
    assert.equal((await page.locator('#c-g-import-result').textContent()).trim(), '');
    assert.deepEqual((await gridPage(grid.id)).people, before.people, 'nothing imported, not even the good line');
    await assertNoSeriousViolations(page, 'grid list with import problems');

    // The same team with a new worker, as Excel saves it: BOM and CRLF.
    const good = '\uFEFF' + [HEADER, first.replace(worker.name, '新网格员'), ...rest].join('\r\n') + '\r\n';
    await importPeople(page, good);
    assert.match(await page.locator('#c-g-import-result').textContent(), new RegExp(`导入成功：${rest.length + 1} 条`));
    assert.equal(await page.locator('#c-g-import-errors li').count(), 0);
    const after = await gridPage(grid.id);
    assert.equal(after.people.find((p) => p.role === 'worker').name, '新网格员');
    assert.equal(after.people.length, before.people.length);
  }, DESKTOP);
});

test('a clerk changes the supervision phone and adds a 护林员; residents see both', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    const grid = await gridByCode('AL010102');
    const before = await gridPage(grid.id);
    await openGrid(page, grid);
    assert.equal(await page.inputValue('#c-g-supervision'), before.supervision_phone);
    assert.equal(await page.getAttribute('#c-g-public', 'href'), `/grid/${grid.id}`);
    assert.equal(await page.getAttribute('#c-g-public', 'rel'), 'external');

    await page.fill('#c-g-supervision', '0851-28220000');
    await page.click('#c-g-person-add');
    const i = before.people.length;
    await page.locator(`#c-g-person-role-${i}`).waitFor({ state: 'visible' });
    await page.selectOption(`#c-g-person-role-${i}`, 'forest_ranger');
    await page.fill(`#c-g-person-name-${i}`, '林守山');
    await page.fill(`#c-g-person-phone-${i}`, '139');

    // A bad phone is named beside its field and nothing is sent.
    await page.click('#c-g-save');
    await page.waitForFunction((n) => (document.querySelector(`#c-g-err-people-${n}-phone`)?.textContent ?? '').trim() !== '', i);
    assert.equal(await page.getAttribute(`#c-g-person-phone-${i}`, 'aria-invalid'), 'true');
    assert.equal((await gridPage(grid.id)).supervision_phone, before.supervision_phone);
    await assertNoSeriousViolations(page, 'grid edit page with an error');

    await page.fill(`#c-g-person-phone-${i}`, '139 0000 0077');
    await page.click('#c-g-save');
    await page.waitForFunction(() => (document.querySelector('#c-g-status')?.textContent ?? '').includes('已保存'));
    const after = await gridPage(grid.id);
    assert.equal(after.supervision_phone, '0851-28220000');
    assert.deepEqual(after.people.filter((p) => p.role === 'forest_ranger'), [{ role: 'forest_ranger', name: '林守山', phone: '13900000077' }]);
    assert.equal(after.people.length, before.people.length + 1);
    // The form shows what was saved: the team in role order, the phone normalised.
    const n = after.people.findIndex((p) => p.role === 'forest_ranger');
    assert.equal(await page.inputValue(`#c-g-person-phone-${n}`), '13900000077');
  }, DESKTOP);
});

test('the grid pages pass axe-core, also in large text, and fit 320 px', { timeout: TEST_TIMEOUT_MS * 2 }, async (t) => {
  const list = (page) => openGrids(page, 'admin');
  const edit = async (page) => openGrid(page, await gridByCode('AL020101'));
  const states = [
    ['grid list (administrator)', list],
    ['grid list in large-text mode', async (page) => { await list(page); await largeText(page); }],
    ['grid edit page', edit],
    ['grid edit page in large-text mode', async (page) => { await edit(page); await largeText(page); }],
  ];
  for (const [name, reach] of states) {
    await t.test(name, async (st) => {
      await withPage(st, app, async (page) => {
        await reach(page);
        await assertNoSeriousViolations(page, name);
      }, DESKTOP);
    });
    await t.test(`${name} at 320 px`, async (st) => {
      await withPage(st, app, async (page) => {
        await reach(page);
        await assertNoSidewaysScroll(page, name, 320);
      }, { ...DESKTOP, width: 320, height: 640 });
    });
  }
});
