// Starts a real `sluice` (the release binary `make build` produced) on a free loopback port
// with a fresh data dir, and a real Chromium (Debian's) to drive it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const SLUICE_BIN = process.env.SLUICE_BIN;

/** The console login and management app every test server starts with. */
export const ADMIN = { email: 'admin@example.com', password: 'correct-horse-battery' };
export const APP = { id: 'e2e-app', secret: 'e2e-app-secret' };
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Runs sluice until `stop()`; resolves once it printed the address it listens on. */
export async function startSluice(env = {}) {
  if (!SLUICE_BIN) throw new Error('SLUICE_BIN must name the sluice binary (make test sets it)');
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-e2e-'));
  const child = spawn(SLUICE_BIN, [], {
    env: {
      ...process.env,
      SLUICE_LISTEN: '127.0.0.1:0',
      SLUICE_DATA_DIR: dataDir,
      SLUICE_ADMIN_EMAIL: ADMIN.email,
      SLUICE_ADMIN_PASSWORD: ADMIN.password,
      SLUICE_BOOTSTRAP_CLIENT_ID: APP.id,
      SLUICE_BOOTSTRAP_CLIENT_SECRET: APP.secret,
      RUST_LOG: 'warn',
      ...env,
    },
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

/** A bearer token of the bootstrap app, to check the console against the platform's API. */
export async function token(url) {
  const response = await fetch(`${url}/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: APP.id, client_secret: APP.secret }),
  });
  return (await response.json()).access_token;
}

/** Calls the platform's API as the bootstrap app. */
export async function api(url, method, path, body) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${await token(url)}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.status === 204 ? null : response.json();
}

/** Launches headless Chromium with a fresh profile and no background traffic. */
export async function launchBrowser(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'sluice-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    ...options,
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

/** Waits until the wasm has hydrated the page's island (which marks <html data-hydrated>). */
export async function waitForHydration(page) {
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 15_000 });
}

/** Signs in through the login form. */
export async function signIn(page, url, password = ADMIN.password) {
  await page.goto(`${url}/login`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * The recorded errors, less the browser's own report of a refused request with one of the
 * `statuses` a test provoked on purpose (a wrong password is a 401, a bad form a 400, …).
 */
export function unexpected(errors, ...statuses) {
  const provoked = new RegExp(`Failed to load resource: the server responded with a status of (${statuses.join('|')})`);
  return errors.filter((error) => statuses.length === 0 || !provoked.test(error));
}
