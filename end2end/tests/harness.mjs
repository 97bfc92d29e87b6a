// Starts a real `sluice` (the release binary `make build` produced) on a free loopback port
// with a fresh data dir, and a real Chromium (Debian's) to drive it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const SLUICE_BIN = process.env.SLUICE_BIN;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Runs sluice until `stop()`; resolves once it printed the address it listens on. */
export async function startSluice(env = {}) {
  if (!SLUICE_BIN) throw new Error('SLUICE_BIN must name the sluice binary (make test sets it)');
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-e2e-'));
  const child = spawn(SLUICE_BIN, [], {
    env: { ...process.env, SLUICE_LISTEN: '127.0.0.1:0', SLUICE_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/listening on (http:\/\/\S+)/);
      if (match) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`sluice exited with ${code} before listening:\n${output}`)));
    setTimeout(() => reject(new Error(`sluice did not listen within 30 s:\n${output}`)), 30_000).unref();
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Launches headless Chromium with a fresh profile and no background traffic. */
export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'sluice-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context: browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens a page that records every page error and console error: a broken wasm can fail
 * hydration while the server-rendered page still looks right.
 */
export async function openPage(context) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return { page, errors };
}

/** Waits until the wasm has hydrated the page (the frontend marks <html data-hydrated>). */
export async function waitForHydration(page) {
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 15_000 });
}
