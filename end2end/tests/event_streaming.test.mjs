import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, startSluice, waitForHydration } from './harness.mjs';

let sluice;
let browser;

before(async () => {
  sluice = await startSluice();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await sluice?.stop();
});

test('/ redirects to the Events streaming page, server-rendered before any script runs', async () => {
  const response = await fetch(`${sluice.url}/`, { redirect: 'manual' });
  assert.equal(response.status, 303);
  assert.equal(response.headers.get('location'), '/event-streaming');

  const html = await (await fetch(`${sluice.url}/event-streaming`)).text();
  assert.match(html, /<h1>Events streaming<\/h1>/);
  assert.match(html, /\+ Add stream/);
  assert.match(html, /No event streams yet/);
});

test('the page hydrates and + Add stream opens its form', async () => {
  const { page, errors } = await openPage(browser.context);
  await page.goto(`${sluice.url}/event-streaming`);
  await waitForHydration(page);

  const dialog = page.locator('dialog');
  assert.equal(await dialog.isVisible(), false);
  await page.getByRole('button', { name: '+ Add stream' }).click();
  await dialog.waitFor({ state: 'visible' });
  for (const label of ['Stream identifier', 'Stream destination', 'Events per batch']) {
    assert.equal(await page.getByLabel(label, { exact: true }).isVisible(), true, label);
  }
  assert.equal(await page.getByLabel('Events per batch').inputValue(), '100');

  // Choosing a push destination reveals its own settings: a reactive update only the wasm makes.
  await page.getByLabel('Stream destination').selectOption('splunk');
  await page.getByLabel('HEC URL').waitFor({ state: 'visible' });

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(errors, []);
});

test('unknown paths get the console 404 page', async () => {
  const response = await fetch(`${sluice.url}/no-such-page`);
  assert.equal(response.status, 404);
  assert.match(await response.text(), /Page not found/);
});
