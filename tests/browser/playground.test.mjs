// End-to-end tests of the release playground in headless Chromium.
//
//   LAYERLENS_DIST=dist node --test tests/browser/playground.test.mjs
//
// Serves the Trunk build (dist/) on a free loopback port, drives the system Chromium with
// playwright-core (no browser download), and saves screenshots to target/screenshots/.
// The assertions follow the page's test contract: elements with data-testid `editor`,
// `outline`, `stage`, `instruction` (data-line, data-keyword), `diagnostic` (data-line,
// data-column) and `diagnostic-count`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = path.resolve(process.env.LAYERLENS_DIST ?? path.join(ROOT, 'dist'));
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'target', 'screenshots');
const ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// The example the editor starts with (crates/layerlens-web/src/example.rs).
const EXAMPLE = [
  ['FROM', 3],
  ['RUN', 4],
  ['RUN', 5],
  ['COPY', 6],
  ['RUN', 7],
  ['CMD', 8],
];

let server;
let browser;
let page;
const pageErrors = [];

async function openPlayground(options = {}) {
  const p = await browser.newPage({ viewport: { width: 1280, height: 800 }, ...options });
  p.on('pageerror', (err) => pageErrors.push(String(err)));
  p.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`${msg.text()} (${msg.location().url})`);
  });
  await p.goto(server.url);
  await p.waitForSelector('[data-testid="app"][data-state="ready"]', { timeout: 30_000 });
  return p;
}

async function listedInstructions(p) {
  return p.$$eval('[data-testid="instruction"]', (els) =>
    els.map((el) => [el.dataset.keyword, Number(el.dataset.line)]),
  );
}

before(async () => {
  assert.ok(existsSync(path.join(DIST, 'index.html')), `no build at ${DIST}: run trunk build first`);
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}`);
  await mkdir(SHOTS, { recursive: true });
  server = await startServer(DIST);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  page = await openPlayground();
  // First impression, before anything is typed.
  await page.screenshot({ path: path.join(SHOTS, 'playground.png') });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the app starts with the example Dockerfile and no errors', async () => {
  const text = await page.inputValue('[data-testid="editor"]');
  assert.match(text, /^FROM python:3\.13-slim$/m);
  assert.match(text, /^COPY \. \.$/m);
  assert.ok(await page.isVisible('[data-testid="outline"]'));
  assert.ok(await page.isVisible('[data-testid="diagnostic-count"]'));
  assert.equal(
    await page.getAttribute('[data-testid="diagnostic-count"]', 'aria-live'),
    'polite',
  );
  assert.deepEqual(pageErrors, []);
});

test('the outline lists the stage and every instruction with its line', async () => {
  await page.waitForSelector('[data-testid="instruction"]', { timeout: 5_000 });
  assert.deepEqual(await listedInstructions(page), EXAMPLE);
  const stages = await page.$$eval('[data-testid="stage"]', (els) =>
    els.map((el) => el.dataset.base),
  );
  assert.deepEqual(stages, ['python:3.13-slim']);
});

test('clicking an instruction selects it in the editor', async () => {
  await page.click('[data-testid="instruction"][data-keyword="COPY"] button');
  const selected = await page.$eval('[data-testid="editor"]', (ta) =>
    ta.value.slice(ta.selectionStart, ta.selectionEnd),
  );
  assert.match(selected, /^COPY \. \./);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'editor');
});

test('typing a broken instruction shows a diagnostic on its line', async () => {
  const before = await page.$$eval('[data-testid="diagnostic"]', (els) => els.length);
  await page.focus('[data-testid="editor"]');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('ENV PATH');
  // The example ends with a newline, so the new text is line 9.
  const diagnostic = page.locator('[data-testid="diagnostic"][data-line="9"]').first();
  await diagnostic.waitFor({ timeout: 5_000 });
  assert.match(await diagnostic.locator('[data-testid="diagnostic-position"]').innerText(), /^9:\d+$/);
  await page.waitForSelector('[data-testid="app"][data-state="ready"]');
  const count = Number(await page.getAttribute('[data-testid="diagnostic-count"]', 'data-count'));
  assert.ok(count > before, `diagnostic count went from ${before} to ${count}`);
  assert.equal(await listedInstructions(page).then((l) => l.at(-1)?.join(' ')), 'ENV 9');
  await page.screenshot({ path: path.join(SHOTS, 'playground-diagnostic.png') });

  // Clicking the diagnostic selects its range in the editor.
  await diagnostic.locator('button').click();
  const selection = await page.$eval('[data-testid="editor"]', (ta) => ({
    line: ta.value.slice(0, ta.selectionStart).split('\n').length,
    text: ta.value.slice(ta.selectionStart, ta.selectionEnd),
  }));
  assert.equal(selection.line, 9);
  assert.ok(selection.text.length > 0, 'the diagnostic range is selected');
  assert.deepEqual(pageErrors, []);
});

test('dark mode and narrow screens render (screenshots)', async () => {
  const dark = await openPlayground({ colorScheme: 'dark' });
  await dark.screenshot({ path: path.join(SHOTS, 'playground-dark.png') });
  const bg = await dark.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(bg, 'rgb(255, 255, 255)');
  await dark.close();

  const narrow = await openPlayground({ viewport: { width: 390, height: 844 } });
  await narrow.screenshot({ path: path.join(SHOTS, 'playground-narrow.png'), fullPage: true });
  const [editorBox, outlineBox] = await Promise.all([
    narrow.locator('[data-testid="editor"]').boundingBox(),
    narrow.locator('[data-testid="outline"]').boundingBox(),
  ]);
  assert.ok(outlineBox.y > editorBox.y, 'panels stack below the editor on narrow screens');
  await narrow.close();
  assert.deepEqual(pageErrors, []);
});
