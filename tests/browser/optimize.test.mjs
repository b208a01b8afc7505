// End-to-end tests of the before/after view (the Optimize tab) and the quick fixes in the
// problems list, in headless Chromium against the release build.
//
//   LAYERLENS_DIST=dist node --test tests/browser/optimize.test.mjs
//
// Test contract: `tab-optimize`, `optimize` (data-changes, data-changed, data-unsafe),
// `opt-size|layers|rebuilds|findings` (data-before, data-after), `unsafe-switch`
// (role=switch), `diff-unified`, `diff-split`, `diff` (data-mode), `diff-block`, `diff-row`
// (data-op), `split-row`, `change` (data-number, data-applicability, data-rules) with
// `change-effect` and `change-why`, `apply-optimized`, `copy-optimized`,
// `download-optimized`, `undo`, `quick-fix` (data-applicability) inside a `diagnostic`,
// `fix-all-safe` (data-count), `diagnostic-count` (data-count).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { launch, openTab, ready, SHOTS } from './harness.mjs';

let h;

before(async () => {
  h = await launch();
});

after(async () => {
  await h?.close();
});

const editorText = (p) => p.inputValue('[data-testid="editor"]');
const problems = async (p) =>
  Number(await p.getAttribute('[data-testid="diagnostic-count"]', 'data-count'));
const optimizeData = (p) =>
  p.$eval('[data-testid="optimize"]', (el) => ({
    changes: Number(el.dataset.changes),
    changed: el.dataset.changed === 'true',
    unsafe: el.dataset.unsafe === 'true',
  }));
const totals = (p) =>
  p.$$eval('[data-testid="opt-totals"] [data-before]', (els) =>
    Object.fromEntries(
      els.map((el) => [el.dataset.testid.replace('opt-', ''), [el.dataset.before, el.dataset.after, el.innerText]]),
    ),
  );

/** Switches unsafe changes on or off and waits for the new optimization. */
async function setUnsafe(p, on) {
  const sw = p.locator('[data-testid="unsafe-switch"]');
  if ((await sw.getAttribute('aria-checked')) !== String(on)) await sw.click();
  await p.waitForSelector(`[data-testid="optimize"][data-unsafe="${on}"]`);
  await ready(p);
}

test('Apply in the before/after view lowers the problem count, and Undo takes it back', async () => {
  const p = await h.open();
  // The guide's bad Python example is what the playground starts with.
  assert.equal(await p.inputValue('[data-testid="example-picker"]'), 'bad-python');
  const original = await editorText(p);
  assert.match(original, /^RUN pip install -r requirements\.txt$/m);
  const before = await problems(p);
  assert.ok(before > 0, 'the bad example has problems');

  await openTab(p, 'optimize');
  const { changes, changed } = await optimizeData(p);
  assert.ok(changed && changes > 0, `${changes} change(s) offered`);
  const apply = p.locator('[data-testid="apply-optimized"]');
  assert.match(await apply.innerText(), new RegExp(`Apply ${changes} change`));
  await apply.click();
  await ready(p);

  const applied = await editorText(p);
  assert.notEqual(applied, original);
  assert.match(applied, /pip install --no-cache-dir -r requirements\.txt/);
  const afterApply = await problems(p);
  assert.ok(afterApply < before, `problems went from ${before} to ${afterApply}`);
  // Keyboard focus lands on the text that changed, not on the page.
  assert.equal(await p.evaluate(() => document.activeElement?.id), 'editor-input');
  // Nothing left to do safely; the tab says so.
  await p.waitForSelector('[data-testid="optimize"][data-changed="false"]');
  assert.ok(await p.isVisible('[data-testid="opt-nothing"]'));
  await h.shot(p, 'optimize-applied');
  assert.equal(await p.getAttribute('[data-testid="optimize-badge"]', 'class').then((c) => c.includes('is-zero')), true);

  // Undo (the button over the editor) restores the text and the count.
  const undo = p.locator('[data-testid="undo"]');
  assert.match(await undo.getAttribute('aria-label'), /optimized Dockerfile/);
  await undo.click();
  await ready(p);
  assert.equal(await editorText(p), original);
  assert.equal(await problems(p), before);
  assert.equal(await undo.count(), 0, 'nothing left to undo');

  // The text was written as an edit of the textarea, so the browser's own undo works too.
  await p.click('[data-testid="apply-optimized"]');
  await ready(p);
  assert.equal(await editorText(p), applied);
  await p.focus('[data-testid="editor"]');
  await p.keyboard.press('Control+z');
  await p.waitForFunction(
    (text) => document.querySelector('[data-testid="editor"]').value === text,
    original,
  );
  await ready(p);
  assert.equal(await problems(p), before);
  assert.equal(await p.locator('[data-testid="undo"]').count(), 0, 'the undo entry is spent');
  await p.close();
  assert.deepEqual(h.errors, []);
});

test('the safe/unsafe switch changes the optimized file', async () => {
  const p = await h.open();
  await openTab(p, 'optimize');
  assert.equal(await p.getAttribute('[data-testid="unsafe-switch"]', 'role'), 'switch');
  const safe = await optimizeData(p);
  assert.equal(safe.unsafe, false);
  // Safe mode says how many more changes unsafe mode would make.
  assert.match(await p.innerText('[data-testid="unsafe-more"]'), /\d+ more changes? need unsafe mode/);
  const safeRules = await p.$$eval('[data-testid="change"]', (els) => els.map((el) => el.dataset.applicability));
  assert.ok(safeRules.every((a) => a === 'safe'), `safe mode makes only safe changes: ${safeRules}`);
  const safeAdded = await p.$$eval('[data-testid="diff-row"][data-op="added"]', (els) => els.map((el) => el.innerText));

  await setUnsafe(p, true);
  assert.equal(await p.getAttribute('[data-testid="unsafe-switch"]', 'aria-checked'), 'true');
  const risky = await optimizeData(p);
  assert.ok(risky.changes > safe.changes, `unsafe mode: ${risky.changes} changes, safe: ${safe.changes}`);
  const kinds = await p.$$eval('[data-testid="change"]', (els) => els.map((el) => el.dataset.applicability));
  assert.ok(kinds.includes('unsafe'), 'unsafe changes are marked');
  const riskyAdded = await p.$$eval('[data-testid="diff-row"][data-op="added"]', (els) => els.map((el) => el.innerText));
  assert.notDeepEqual(riskyAdded, safeAdded);
  // Dependencies before the code (an unsafe move): an app edit reruns fewer steps.
  const t = await totals(p);
  assert.ok(Number(t.rebuilds[1]) < Number(t.rebuilds[0]), `rebuilds ${t.rebuilds}`);
  assert.match(await p.innerText('[data-testid="apply-optimized"]'), new RegExp(`Apply ${risky.changes} changes`));
  await h.shot(p, 'optimize-unsafe');

  await setUnsafe(p, false);
  assert.equal((await optimizeData(p)).changes, safe.changes);
  await p.close();
  assert.deepEqual(h.errors, []);
});

test('a quick fix removes its diagnostic; "Fix all safe" lowers the count', async () => {
  const p = await h.open();
  const original = await editorText(p);
  const before = await problems(p);
  // DL3015 (apt-get install without --no-install-recommends) has an unsafe fix.
  const item = p.locator('[data-testid="diagnostic"][data-code="DL3015"]');
  assert.equal(await item.count(), 1);
  const fix = item.locator('[data-testid="quick-fix"]');
  assert.equal(await fix.getAttribute('data-applicability'), 'unsafe');
  assert.match(await fix.innerText(), /--no-install-recommends/);
  await h.shot(p, 'problems-quick-fix');
  await fix.click();
  await ready(p);
  assert.equal(await item.count(), 0, 'DL3015 is gone');
  const fixed = await editorText(p);
  assert.match(fixed, /^RUN apt-get install (-y --no-install-recommends|--no-install-recommends -y) curl$/m);
  // Only that line changed.
  const diff = original.split('\n').filter((line, i) => line !== fixed.split('\n')[i]);
  assert.deepEqual(diff, ['RUN apt-get install -y curl']);
  const afterOne = await problems(p);
  assert.equal(afterOne, before - 1);

  // Fix all safe: every safe fix at once.
  const all = p.locator('[data-testid="fix-all-safe"]');
  const safe = Number(await all.getAttribute('data-count'));
  assert.ok(safe > 0, 'some fixes are safe');
  const safeCodes = await p.$$eval('[data-testid="diagnostic"][data-fix="safe"]', (els) => els.map((el) => el.dataset.code));
  await all.click();
  await ready(p);
  const afterAll = await problems(p);
  assert.ok(afterAll < afterOne, `problems went from ${afterOne} to ${afterAll}`);
  for (const code of safeCodes) {
    assert.equal(await p.locator(`[data-testid="diagnostic"][data-code="${code}"]`).count(), 0, `${code} fixed`);
  }
  assert.match(await editorText(p), /--no-cache-dir/);
  assert.equal(await p.locator('[data-testid="diagnostic"][data-fix="safe"]').count(), 0);
  assert.ok(await p.isDisabled('[data-testid="fix-all-safe"]').catch(() => true));

  // Two undos: back to the example.
  await p.click('[data-testid="undo"]');
  await ready(p);
  assert.equal(await editorText(p), fixed);
  await p.click('[data-testid="undo"]');
  await ready(p);
  assert.equal(await editorText(p), original);
  await p.close();
  assert.deepEqual(h.errors, []);
});

test('each changed block is labelled with its change, explanation and effect; totals show before → after', async () => {
  const p = await h.open();
  await openTab(p, 'optimize');
  await setUnsafe(p, true);
  const blocks = p.locator('[data-testid="diff-block"]');
  assert.ok((await blocks.count()) > 0);
  const changes = await p.$$eval('[data-testid="change"]', (els) =>
    els.map((el) => ({
      number: Number(el.dataset.number),
      rules: el.dataset.rules,
      title: el.querySelector('.note-title')?.textContent ?? '',
      effect: el.querySelector('[data-testid="change-effect"]')?.textContent ?? '',
      why: el.querySelector('[data-testid="change-why"]')?.textContent ?? '',
    })),
  );
  const count = (await optimizeData(p)).changes;
  assert.equal(changes.length, count, 'every change is explained once');
  for (const c of changes) {
    assert.ok(c.title.length > 3, `change ${c.number} has a title`);
    assert.match(c.effect, /^Effect: \S/, `change ${c.number} states its effect`);
    assert.ok(c.why.length > 20, `change ${c.number} says why`);
  }
  // Numbered in reading order.
  assert.deepEqual(
    changes.map((c) => c.number),
    [...changes.map((c) => c.number)].sort((a, b) => a - b),
  );
  // The --no-cache-dir change sits on the block with the pip line, which is marked.
  const pip = blocks.filter({ hasText: '--no-cache-dir' }).first();
  assert.equal(await pip.locator('.change-note', { hasText: 'no-cache-dir' }).count(), 1);
  const added = pip.locator('[data-testid="diff-row"][data-op="added"]', { hasText: '--no-cache-dir' });
  assert.equal(await added.count(), 1);
  assert.ok((await added.locator('.d-mark').count()) > 0, 'the changed line carries its change number');
  // Changed lines are highlighted: added and removed rows are painted, unchanged ones not.
  const bg = (sel) => p.$eval(sel, (el) => getComputedStyle(el).backgroundColor);
  const [addedBg, removedBg, sameBg] = await Promise.all([
    bg('[data-testid="diff-row"][data-op="added"]'),
    bg('[data-testid="diff-row"][data-op="removed"]'),
    bg('[data-testid="diff-row"][data-op="same"]'),
  ]);
  assert.notEqual(addedBg, sameBg);
  assert.notEqual(removedBg, sameBg);
  assert.notEqual(addedBg, removedBg);
  assert.ok((await p.locator('.w-add').count()) > 0, 'changed words are marked inside edited lines');

  // Totals: size, layers, rebuilds (and findings), each before → after.
  const t = await totals(p);
  for (const key of ['size', 'layers', 'rebuilds', 'findings']) {
    const [b, a, text] = t[key];
    assert.ok(b && a, `${key}: ${b} → ${a}`);
    assert.ok(text.includes(b) && text.includes(a) && text.includes('→'), `${key} shows "${text}"`);
  }
  assert.ok(Number(t.findings[1]) < Number(t.findings[0]), `findings ${t.findings}`);

  // Clicking a change's label highlights the lines it touched.
  const first = p.locator('[data-testid="change"] .note-head').first();
  await first.click();
  assert.equal(await first.getAttribute('aria-pressed'), 'true');
  assert.ok((await p.locator('[data-testid="diff-row"].is-active').count()) > 0);

  // Side by side: removed on the left, added on the right, halves of a row aligned.
  await p.click('[data-testid="diff-split"]');
  await p.waitForSelector('[data-testid="diff"][data-mode="split"]');
  assert.equal(await p.getAttribute('[data-testid="diff-split"]', 'aria-pressed'), 'true');
  const rows = p.locator('[data-testid="split-row"][data-op="changed"]');
  assert.ok((await rows.count()) > 0, 'edited lines are paired');
  const halves = rows.first().locator('.s-side');
  const [left, right] = [await halves.nth(0).boundingBox(), await halves.nth(1).boundingBox()];
  assert.equal(left.y, right.y);
  assert.equal(left.height, right.height);
  assert.ok(right.x >= left.x + left.width - 1, 'the optimized side is to the right');
  assert.ok(await p.$eval('.workspace', (el) => el.classList.contains('is-wide')), 'the panel widens');
  await p.close();
  assert.deepEqual(h.errors, []);
});

test('copy and download give the optimized text', async () => {
  const p = await h.open();
  await p.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await openTab(p, 'optimize');
  await setUnsafe(p, true);
  const original = await editorText(p);

  await p.click('[data-testid="copy-optimized"]');
  await p.waitForFunction(() => document.querySelector('[data-testid="copy-optimized"]').innerText.includes('Copied'));
  const copied = await p.evaluate(() => navigator.clipboard.readText());
  assert.notEqual(copied, original);
  assert.match(copied, /^FROM /m);

  const [download] = await Promise.all([
    p.waitForEvent('download'),
    p.click('[data-testid="download-optimized"]'),
  ]);
  assert.equal(download.suggestedFilename(), 'Dockerfile');
  const downloaded = await readFile(await download.path(), 'utf8');
  assert.equal(downloaded, copied);

  // Both are exactly what Apply puts into the editor.
  await p.click('[data-testid="apply-optimized"]');
  await ready(p);
  assert.equal(await editorText(p), copied);

  // The proposed .dockerignore downloads too.
  await p.waitForSelector('[data-testid="dockerignore-proposal"]');
  const [ignore] = await Promise.all([
    p.waitForEvent('download'),
    p.click('[data-testid="download-dockerignore"]'),
  ]);
  // Chromium drops a leading dot from downloaded file names (the button's title says so).
  assert.match(ignore.suggestedFilename(), /^\.?dockerignore$/);
  assert.match(await readFile(await ignore.path(), 'utf8'), /^\.git$/m);
  await p.close();
  assert.deepEqual(h.errors, []);
});

test('the Optimize tab in light, dark and narrow screens (screenshots)', async () => {
  for (const scheme of ['light', 'dark']) {
    const p = await h.open({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
    await openTab(p, 'optimize');
    await setUnsafe(p, true);
    await h.shot(p, `optimize-${scheme}`);
    await p.click('[data-testid="diff-split"]');
    await p.waitForSelector('[data-testid="diff"][data-mode="split"]');
    await h.shot(p, `optimize-split-${scheme}`);
    // The whole comparison (below the fold in the page shot) on a tall page.
    await p.setViewportSize({ width: 1280, height: 2000 });
    await p.locator('[data-testid="diff"]').screenshot({ path: path.join(SHOTS, `optimize-diff-${scheme}.png`) });
    const bg = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg === 'rgb(255, 255, 255)' || bg === 'rgb(244, 245, 247)', scheme === 'light');
    await p.close();
  }

  const narrow = await h.open({ viewport: { width: 390, height: 844 } });
  await openTab(narrow, 'optimize');
  await setUnsafe(narrow, true);
  await h.shot(narrow, 'optimize-narrow', { fullPage: true });
  // Nothing sticks out sideways, and the four tabs stay on screen.
  const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  const tab = await narrow.locator('[data-testid="tab-optimize"]').boundingBox();
  const tabs = await narrow.locator('.tabs').boundingBox();
  assert.ok(tab.x + tab.width <= tabs.x + tabs.width + 0.5, 'the Optimize tab fits');
  await narrow.close();
  assert.deepEqual(h.errors, []);
});
