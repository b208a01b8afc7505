// Shared set-up of the browser tests: serves the Trunk build (dist/) on a free loopback
// port, drives the system Chromium with playwright-core (no browser download), and
// collects page errors. Screenshots go to target/screenshots/.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.resolve(process.env.LAYERLENS_DIST ?? path.join(ROOT, 'dist'));
export const SHOTS = path.join(ROOT, 'target', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
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

/** Starts the server and the browser; `open()` loads the playground in a new page. */
export async function launch() {
  assert.ok(existsSync(path.join(DIST, 'index.html')), `no build at ${DIST}: run trunk build first`);
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}`);
  await mkdir(SHOTS, { recursive: true });
  const server = await startServer(DIST);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const errors = [];
  return {
    errors,
    async open(options = {}) {
      const p = await browser.newPage({ viewport: { width: 1280, height: 800 }, ...options });
      p.on('pageerror', (err) => errors.push(String(err)));
      p.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`${msg.text()} (${msg.location().url})`);
      });
      await p.goto(server.url);
      await ready(p);
      return p;
    },
    shot: (p, name, options = {}) => p.screenshot({ path: path.join(SHOTS, `${name}.png`), ...options }),
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Waits until the text shown has been analysed. */
export async function ready(p) {
  await p.waitForSelector('[data-testid="app"][data-state="ready"]', { timeout: 30_000 });
}

/** Loads one of the guide's examples with the picker. */
export async function loadExample(p, key) {
  await p.selectOption('[data-testid="example-picker"]', key);
  await ready(p);
}

/** Opens a tab of the right-hand column: problems, layers, stages or optimize. */
export async function openTab(p, id) {
  await p.click(`[data-testid="tab-${id}"]`);
  await p.waitForSelector(`.tab-panel[data-tab="${id}"]`);
}

/** The editor's selection: 1-based line and column of its start, and the selected text. */
export function selection(p) {
  return p.$eval('[data-testid="editor"]', (ta) => {
    const before = ta.value.slice(0, ta.selectionStart).split('\n');
    return {
      line: before.length,
      column: before.at(-1).length + 1,
      text: ta.value.slice(ta.selectionStart, ta.selectionEnd),
    };
  });
}
