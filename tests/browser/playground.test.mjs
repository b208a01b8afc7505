// End-to-end tests of the release playground in headless Chromium: the editor, the
// problems list with each rule's documentation, the outline, and the page's layout.
//
//   LAYERLENS_DIST=dist node --test tests/browser/
//
// The assertions follow the page's test contract: elements with data-testid `editor`,
// `tab-problems|layers|stages|optimize`, `diagnostic` (data-line, data-column, data-code),
// `diagnostic-count`, `rule-docs` (data-code) with `rule-why`, `rule-bad`, `rule-good`,
// `outline`, `stage`, `instruction` (data-line, data-keyword) and `example-picker`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, loadExample, openTab, ready, selection } from './harness.mjs';

// The example the editor starts with (crates/layerlens-web/src/example.rs).
const EXAMPLE = [
  ['FROM', 3],
  ['RUN', 4],
  ['RUN', 5],
  ['COPY', 6],
  ['RUN', 7],
  ['CMD', 8],
];

let h;
let page;

async function listedInstructions(p) {
  return p.$$eval('[data-testid="instruction"]', (els) =>
    els.map((el) => [el.dataset.keyword, Number(el.dataset.line)]),
  );
}

before(async () => {
  h = await launch();
  page = await h.open();
  // First impression, before anything is typed.
  await h.shot(page, 'playground');
});

after(async () => {
  await h?.close();
});

test('the app starts with the example Dockerfile and no errors', async () => {
  const text = await page.inputValue('[data-testid="editor"]');
  assert.match(text, /^FROM python:3\.13-slim$/m);
  assert.match(text, /^COPY \. \.$/m);
  assert.equal(await page.inputValue('[data-testid="example-picker"]'), 'bad-python');
  // Problems is the open tab; the count sits on its tab and is announced politely.
  assert.equal(await page.getAttribute('[data-testid="tab-problems"]', 'aria-selected'), 'true');
  assert.ok(await page.isVisible('[data-testid="diagnostics"]'));
  assert.ok(await page.isVisible('[data-testid="diagnostic-count"]'));
  assert.equal(
    await page.getAttribute('[data-testid="diagnostic-count"]', 'aria-live'),
    'polite',
  );
  assert.deepEqual(h.errors, []);
});

test('diagnostics are listed in reading order', async () => {
  const positions = await page.$$eval('[data-testid="diagnostic"]', (els) =>
    els.map((el) => [Number(el.dataset.line), Number(el.dataset.column)]),
  );
  assert.ok(positions.length >= 3, `${positions.length} diagnostics`);
  const sorted = [...positions].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  assert.deepEqual(positions, sorted);
  const count = Number(await page.getAttribute('[data-testid="diagnostic-count"]', 'data-count'));
  assert.equal(count, positions.length);
});

test('a diagnostic shows its rule docs (why, bad → good) and clicking it selects its range', async () => {
  // LL1001: the whole context copied before the dependency install (line 7 of the example).
  const item = page.locator('[data-testid="diagnostic"][data-code="LL1001"]').first();
  await item.waitFor();
  const line = Number(await item.getAttribute('data-line'));
  const column = Number(await item.getAttribute('data-column'));
  await item.locator('button[aria-expanded]').click();

  // The cursor moved to the diagnostic's range.
  const sel = await selection(page);
  assert.deepEqual([sel.line, sel.column], [line, column]);
  assert.ok(sel.text.length > 0, 'the diagnostic range is selected');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'editor');

  // Its documentation opened underneath: name, category, guide section, why, bad and good.
  const docs = item.locator('[data-testid="rule-docs"]');
  await docs.waitFor();
  assert.equal(await item.locator('button[aria-expanded]').getAttribute('aria-expanded'), 'true');
  assert.equal(await docs.getAttribute('data-code'), 'LL1001');
  assert.equal(await docs.locator('[data-testid="rule-name"]').innerText(), 'copy-manifests-before-install');
  assert.deepEqual(await docs.locator('[data-testid="rule-category"]').allInnerTexts(), ['cache']);
  assert.equal(await docs.locator('[data-testid="rule-guide"]').innerText(), 'Layer Caching Strategy');
  assert.match(await docs.locator('[data-testid="rule-why"]').innerText(), /cache/i);
  const bad = await docs.locator('[data-testid="rule-bad"] pre').innerText();
  const good = await docs.locator('[data-testid="rule-good"] pre').innerText();
  assert.match(bad, /^FROM /m);
  assert.match(good, /^FROM /m);
  assert.notEqual(bad, good);
  // The bad example copies everything before installing; the good one the manifest first.
  assert.ok(bad.indexOf('COPY . .') < bad.indexOf('pip install'));
  assert.ok(good.indexOf('COPY requirements.txt') < good.indexOf('pip install'));
  assert.ok((await docs.locator('.ex-line.changed').count()) > 0, 'the lines that differ are marked');
  await h.shot(page, 'playground-rule-docs');

  // Every diagnostic has docs to show: open another, the first one closes.
  const other = page.locator('[data-testid="diagnostic"]:not([data-code="LL1001"])').first();
  await other.locator('button[aria-expanded]').click();
  await other.locator('[data-testid="rule-docs"] [data-testid="rule-why"]').waitFor();
  assert.equal(await item.locator('[data-testid="rule-docs"]').count(), 0);
  // Clicking an open one again closes it (and still selects its range).
  await other.locator('button[aria-expanded]').click();
  assert.equal(await other.locator('[data-testid="rule-docs"]').count(), 0);
  assert.deepEqual(h.errors, []);
});

test('the outline lists the stage and every instruction with its line', async () => {
  await openTab(page, 'stages');
  await page.waitForSelector('[data-testid="instruction"]', { timeout: 5_000 });
  assert.deepEqual(await listedInstructions(page), EXAMPLE);
  const stages = await page.$$eval('[data-testid="stage"]', (els) =>
    els.map((el) => el.dataset.base),
  );
  assert.deepEqual(stages, ['python:3.13-slim']);
});

test('clicking an instruction selects it in the editor', async () => {
  await openTab(page, 'stages');
  await page.click('[data-testid="instruction"][data-keyword="COPY"] button');
  const sel = await selection(page);
  assert.match(sel.text, /^COPY \. \./);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'editor');
});

test('typing a broken instruction shows a diagnostic on its line, explained as a parse error', async () => {
  await openTab(page, 'problems');
  const before = await page.$$eval('[data-testid="diagnostic"]', (els) => els.length);
  await page.focus('[data-testid="editor"]');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('ENV PATH');
  // The example ends with a newline, so the new text is line 9.
  const diagnostic = page.locator('[data-testid="diagnostic"][data-line="9"]').first();
  await diagnostic.waitFor({ timeout: 5_000 });
  assert.match(await diagnostic.locator('[data-testid="diagnostic-position"]').innerText(), /^9:\d+$/);
  await ready(page);
  const count = Number(await page.getAttribute('[data-testid="diagnostic-count"]', 'data-count'));
  assert.ok(count > before, `diagnostic count went from ${before} to ${count}`);
  await h.shot(page, 'playground-diagnostic');

  // Clicking the diagnostic selects its range in the editor. `ENV PATH` lacks a value:
  // BuildKit cannot parse it (DL1000), so the parse error is explained instead of a rule.
  await diagnostic.locator('button[aria-expanded]').click();
  const sel = await selection(page);
  assert.equal(sel.line, 9);
  assert.ok(sel.text.length > 0, 'the diagnostic range is selected');
  assert.equal(await diagnostic.getAttribute('data-code'), 'DL1000');
  let docs = diagnostic.locator('[data-testid="rule-docs"]');
  await docs.waitFor();
  assert.equal(await docs.getAttribute('data-code'), 'DL1000');
  assert.match(await docs.innerText(), /docker build/);
  assert.match(await docs.locator('[data-testid="rule-why"]').innerText(), /arguments/);
  assert.equal(await docs.locator('[data-testid="rule-bad"]').count(), 0);

  // The guide's own trap: a comment after a line continuation ends the RUN.
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n    libpq-dev \\ # 30MB\n');
  const parse = page.locator('[data-testid="diagnostic"][data-code="DL1000"][data-line="10"]');
  await parse.waitFor({ timeout: 5_000 });
  await parse.locator('button[aria-expanded]').click();
  docs = parse.locator('[data-testid="rule-docs"]');
  await docs.waitFor();
  assert.match(await parse.innerText(), /unknown instruction/);
  assert.match(await docs.locator('[data-testid="rule-why"]').innerText(), /backslash/);

  await openTab(page, 'stages');
  assert.equal(await listedInstructions(page).then((l) => l.find(([k]) => k === 'ENV')?.join(' ')), 'ENV 9');
  assert.deepEqual(h.errors, []);
});

test('the tabs work from the keyboard', async () => {
  const p = await h.open();
  await p.focus('[data-testid="tab-problems"]');
  const selected = () =>
    p.$$eval('[role="tab"]', (els) => els.filter((el) => el.getAttribute('aria-selected') === 'true').map((el) => el.id));
  await p.keyboard.press('ArrowRight');
  assert.deepEqual(await selected(), ['tab-layers']);
  assert.equal(await p.evaluate(() => document.activeElement?.id), 'tab-layers');
  assert.ok(await p.isVisible('[data-testid="layers"]'));
  await p.keyboard.press('End');
  assert.deepEqual(await selected(), ['tab-optimize']);
  await p.keyboard.press('ArrowRight');
  assert.deepEqual(await selected(), ['tab-problems']);
  // Only the selected tab is a tab stop.
  assert.deepEqual(
    await p.$$eval('[role="tab"]', (els) => els.map((el) => el.tabIndex)),
    [0, -1, -1, -1],
  );
  await p.close();
  assert.deepEqual(h.errors, []);
});

test('the example picker loads the guide examples at once', async () => {
  const p = await h.open();
  for (const [key, first] of [
    ['fastapi-cache', /^FROM python:3\.13-slim$/m],
    ['nextjs', /^FROM node:18-alpine AS deps$/m],
    ['go', /^FROM scratch$/m],
  ]) {
    await loadExample(p, key);
    assert.match(await p.inputValue('[data-testid="editor"]'), first);
    assert.equal(await p.inputValue('[data-testid="example-picker"]'), key);
  }
  // Editing the text leaves the picker on "Your Dockerfile".
  await p.focus('[data-testid="editor"]');
  await p.keyboard.press('Control+End');
  await p.keyboard.type('# edited\n');
  await ready(p);
  assert.equal(await p.inputValue('[data-testid="example-picker"]'), '');
  await p.close();
  assert.deepEqual(h.errors, []);
});

test('dark mode and narrow screens render (screenshots)', async () => {
  const dark = await h.open({ colorScheme: 'dark' });
  await dark.locator('[data-testid="diagnostic"] button').first().click();
  await h.shot(dark, 'playground-dark');
  const bg = await dark.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(bg, 'rgb(255, 255, 255)');
  await dark.close();

  const narrow = await h.open({ viewport: { width: 390, height: 844 } });
  await h.shot(narrow, 'playground-narrow', { fullPage: true });
  const [editorBox, panelBox] = await Promise.all([
    narrow.locator('[data-testid="editor"]').boundingBox(),
    narrow.locator('[data-testid="diagnostics"]').boundingBox(),
  ]);
  assert.ok(panelBox.y > editorBox.y, 'panels stack below the editor on narrow screens');
  // Nothing sticks out sideways.
  const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await narrow.close();
  assert.deepEqual(h.errors, []);
});
