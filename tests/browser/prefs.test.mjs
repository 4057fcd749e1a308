// The language and large-text preferences change what the resident sees and are
// remembered across reloads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_TIMEOUT_MS, cjkCount, fieldError, open, useApp, withPage } from './helpers.mjs';

const app = useApp(import.meta.url);

const htmlLang = (page) => page.evaluate(() => document.documentElement.lang);
const rootFontPx = (page) => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
const submitLinkText = (page) => page.locator('#main a[href$="/submit"]').first().innerText();

test('switching to English changes the UI and <html lang>, and survives a reload', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await open(page, '/', '#main a[href$="/submit"]');
    const toggle = page.locator('#lang-toggle');
    assert.match(await htmlLang(page), /^zh/, '<html lang> should start as zh-CN');
    assert.equal((await toggle.innerText()).trim(), 'English', 'in Chinese mode the toggle should offer "English"');
    assert.match(await submitLinkText(page), /我要反映/);
    const zhMain = await page.locator('#main').innerText();

    await toggle.click();
    await page.waitForFunction(() => document.documentElement.lang === 'en')
      .catch(async () => assert.fail(`<html lang> should become "en", it is "${await htmlLang(page)}"`));
    const enLink = await submitLinkText(page);
    assert.equal(cjkCount(enLink), 0, `in English the link to /submit should have no Chinese, reads "${enLink}"`);
    assert.match(enLink, /[A-Za-z]{3,}/, `in English the link to /submit should be English text, reads "${enLink}"`);
    const enMain = await page.locator('#main').innerText();
    assert.notEqual(enMain, zhMain, 'the main content should change language');
    const trackLink = await page.locator('#main a[href$="/track"]').first().innerText();
    assert.equal(cjkCount(trackLink), 0, `in English the link to /track should have no Chinese, reads "${trackLink}"`);
    assert.ok(cjkCount(enMain) < cjkCount(zhMain),
      `in English the main content should have less Chinese (${cjkCount(enMain)} vs ${cjkCount(zhMain)} CJK characters):\n${enMain}`);
    assert.notEqual((await toggle.innerText()).trim(), 'English', 'in English mode the toggle should offer the way back');
    assert.equal(await page.evaluate(() => localStorage.getItem('ow.lang')), 'en', 'the choice should be saved in localStorage ow.lang');

    await page.reload();
    await page.locator('#main a[href$="/submit"]').first().waitFor({ state: 'visible' });
    assert.equal(await htmlLang(page), 'en', 'after a reload <html lang> should still be "en"');
    assert.equal(await submitLinkText(page), enLink, 'after a reload the UI should still be in English');

    // Another page, and its messages, follow the language too.
    await open(page, '/submit', '#f-title');
    await page.click('#submit-case');
    const err = page.locator('#err-title');
    const errText = await fieldError(page, 'title');
    assert.ok(errText.trim() !== '' && cjkCount(errText) === 0, `in English a field message should be English, #err-title reads "${errText}"`);

    // And back.
    await page.click('#lang-toggle');
    await page.waitForFunction(() => document.documentElement.lang.startsWith('zh'));
    assert.equal((await page.locator('#lang-toggle').innerText()).trim(), 'English');
    await page.waitForFunction(() => /[\u4e00-\u9fff]/.test(document.querySelector('#err-title')?.textContent ?? ''))
      .catch(async () => assert.fail(`after switching back the field message should be Chinese, reads "${await err.innerText()}"`));
    await page.reload();
    await page.locator('#f-title').waitFor({ state: 'visible' });
    assert.match(await htmlLang(page), /^zh/, 'after switching back and reloading the UI should be Chinese');
  });
});

test('large-text mode enlarges the text and survives a reload', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await withPage(t, app, async (page) => {
    await open(page, '/submit', '#f-title');
    const toggle = page.locator('#large-text-toggle');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false', 'large text should start off (aria-pressed="false")');
    const normal = await rootFontPx(page);
    const inputBefore = await page.locator('#f-title').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

    await toggle.click();
    await page.waitForFunction(() => document.querySelector('#large-text-toggle')?.getAttribute('aria-pressed') === 'true');
    const large = await rootFontPx(page);
    assert.ok(large > normal, `the root font-size should grow in large-text mode: ${normal}px → ${large}px`);
    const inputAfter = await page.locator('#f-title').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok(inputAfter > inputBefore, `the form's text should grow too: ${inputBefore}px → ${inputAfter}px`);
    const stored = await page.evaluate(() => localStorage.getItem('ow.large_text'));
    assert.ok(stored && !/^(false|0|off)$/i.test(stored), `the choice should be saved in localStorage ow.large_text, it is ${stored}`);

    await page.reload();
    await page.locator('#f-title').waitFor({ state: 'visible' });
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true', 'after a reload large text should still be on');
    assert.equal(await rootFontPx(page), large, 'after a reload the root font-size should still be large');

    await toggle.click();
    await page.waitForFunction(() => document.querySelector('#large-text-toggle')?.getAttribute('aria-pressed') === 'false');
    assert.equal(await rootFontPx(page), normal, 'turning large text off should restore the normal size');
    await page.reload();
    await page.locator('#f-title').waitFor({ state: 'visible' });
    assert.equal(await rootFontPx(page), normal, 'after a reload the normal size should stay');
  });
});
