import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { api, launchBrowser, openPage, signIn, startSluice, token, unexpected, waitForHydration } from './harness.mjs';

const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;
mkdirSync(SCREENSHOTS, { recursive: true });

let sluice;
let browser;

before(async () => {
  sluice = await startSluice();
  browser = await launchBrowser({ permissions: ['clipboard-read', 'clipboard-write'] });
});

after(async () => {
  await browser?.close();
  await sluice?.stop();
});

/** A signed-in, hydrated Events streaming page that records page and console errors. */
async function streamingPage() {
  const { page, errors } = await openPage(browser.context);
  await signIn(page, sluice.url);
  await page.waitForURL('**/event-streaming');
  await waitForHydration(page);
  return { page, errors };
}

async function openAddForm(page) {
  await page.getByRole('button', { name: '+ Add stream' }).click();
  await page.locator('dialog[open]').waitFor();
}

async function addStream(page, { id, type = 'cis', batch = '100', destination, fields = {} }) {
  await openAddForm(page);
  await page.getByLabel('Stream identifier').fill(id);
  await page.locator(`input[name="event_type"][value="${type}"]`).check();
  if (destination) await page.getByLabel('Stream destination').selectOption(destination);
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByLabel('Events per batch').fill(batch);
  await page.getByRole('button', { name: 'Add stream', exact: true }).click();
}

const row = (page, id) => page.locator(`tr[data-stream-id="${id}"]`);

describe('the Events streaming page', () => {
  test('/ leads to the page, which asks for a sign-in first, server-side', async () => {
    const root = await fetch(`${sluice.url}/`, { redirect: 'manual' });
    assert.equal(root.status, 303);
    assert.equal(root.headers.get('location'), '/event-streaming');
    const page = await fetch(`${sluice.url}/event-streaming`, { redirect: 'manual', headers: { accept: 'text/html' } });
    assert.equal(page.status, 302);
    assert.equal(page.headers.get('location'), '/login');
  });

  test('a wrong password is refused; the right one shows the empty state', async () => {
    const { page, errors } = await openPage(browser.context);
    await signIn(page, sluice.url, 'wrong password');
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();
    await signIn(page, sluice.url);
    await page.waitForURL('**/event-streaming');
    await waitForHydration(page);
    await page.getByText('No event streams yet.').waitFor();
    const cookies = await browser.context.cookies();
    const session = cookies.find((c) => c.name === 'sluice_session');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    await page.screenshot({ path: `${SCREENSHOTS}empty.png` });
    assert.deepEqual(unexpected(errors, 401), []);
    await page.close();
  });

  test('+ Add stream opens the form; Esc closes it', async () => {
    const { page, errors } = await streamingPage();
    await openAddForm(page);
    for (const label of ['Stream identifier', 'Stream destination', 'Events per batch', 'Include data enrichment']) {
      assert.equal(await page.getByLabel(label).isVisible(), true, label);
    }
    for (const source of ['Customer identity', 'Fraud Prevention', 'Identity Verification', 'Admin activities']) {
      assert.equal(await page.locator('dialog').getByText(source, { exact: true }).isVisible(), true, source);
    }
    assert.equal(await page.getByLabel('Events per batch').inputValue(), '100');
    await page.screenshot({ path: `${SCREENSHOTS}add-stream.png` });
    // The browser keeps focus inside the modal dialog.
    assert.equal(await page.evaluate(() => document.querySelector('dialog').matches(':modal')), true);
    await page.keyboard.press('Escape');
    await page.locator('dialog[open]').waitFor({ state: 'detached' }).catch(() => {});
    await page.waitForFunction(() => !document.querySelector('dialog[open]'));
    // The dialog closes natively on Esc; the router drops `?add` from the URL just after.
    await page.waitForURL((url) => url.search === '', { timeout: 5000 }).catch(() => {});
    assert.equal(new URL(page.url()).search, '');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('Back and Forward reopen and close a dialog in place', async () => {
    const { page, errors } = await streamingPage();
    await page.evaluate(() => { window.__sameDocument = true; });
    await openAddForm(page);
    assert.equal(new URL(page.url()).search, '?add');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('dialog[open]'));
    await page.evaluate(() => history.back());
    await page.locator('dialog[open] #add-stream-title').waitFor();
    assert.equal(new URL(page.url()).search, '?add');
    assert.equal(await page.evaluate(() => document.querySelector('dialog[open]').matches(':modal')), true);
    await page.evaluate(() => history.forward());
    await page.waitForFunction(() => !document.querySelector('dialog[open]'));
    assert.equal(new URL(page.url()).search, '');
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page reloaded');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('adding a custom risk stream shows its row without a reload, and Copy URL copies its collect URL', async () => {
    const { page, errors } = await streamingPage();
    await page.evaluate(() => { window.__sameDocument = true; });
    await addStream(page, { id: 'risk-feed', type: 'risk', batch: '50' });
    await row(page, 'risk-feed').waitFor();
    await page.waitForFunction(() => !document.querySelector('dialog[open]'));
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page reloaded');
    const cells = await row(page, 'risk-feed').locator('td').allInnerTexts();
    assert.deepEqual(cells.slice(0, 4), ['Fraud Prevention', 'Custom (API polling)', '50', 'Off']);

    const stream = await api(sluice.url, 'GET', '/activities/v1/streams/risk-feed');
    await row(page, 'risk-feed').getByRole('button', { name: 'Copy URL' }).click();
    await row(page, 'risk-feed').getByText('Copied').waitFor();
    const clipboard = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(clipboard, stream.collect_url);
    assert.match(clipboard, /\/activities\/v1\/activities\/collect\?type=risk&stream_id=risk-feed&batch_size=50$/);
    assert.match(await page.locator('#collect-title + p + pre').innerText(), /Bearer <ACCESS_TOKEN>/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('bad batch sizes and a duplicate identifier are refused next to their field', async () => {
    const { page, errors } = await streamingPage();
    await openAddForm(page);
    const batch = page.getByLabel('Events per batch');
    for (const value of ['0', '1001']) {
      await batch.fill(value);
      assert.equal(await batch.evaluate((input) => input.validity.valid), false, value);
      await page.locator('#batch-size-error').getByText('from 1 to 1000').waitFor();
    }
    // Past the browser's checks, the server refuses too, and says so beside the field.
    await page.getByLabel('Stream identifier').fill('too-big');
    await batch.fill('100');
    assert.equal(await page.locator('#batch-size-error').isHidden(), true);
    await batch.evaluate((input) => { input.removeAttribute('max'); input.value = '1001'; });
    await page.getByRole('button', { name: 'Add stream', exact: true }).click();
    await page.locator('#batch-size-error').getByText('whole number from 1 to 1000').waitFor();
    await page.keyboard.press('Escape');

    await addStream(page, { id: 'risk-feed', type: 'cis' });
    await page.locator('#stream-id-error').getByText('exists already').waitFor();
    assert.equal(await page.locator('dialog[open]').isVisible(), true);
    assert.deepEqual(unexpected(errors, 400, 409), []);
    await page.close();
  });

  test('a Splunk stream asks for its own settings, keeps its token secret, and lists as Splunk', async () => {
    const { page, errors } = await streamingPage();
    await addStream(page, {
      id: 'to-splunk',
      destination: 'splunk',
      fields: { 'HEC URL': 'https://splunk.example.com:8088', 'HEC token': 'hec-secret-token', Index: 'main' },
    });
    await row(page, 'to-splunk').waitFor();
    assert.equal(await row(page, 'to-splunk').locator('td').nth(1).innerText(), 'Splunk');
    assert.equal(await row(page, 'to-splunk').getByRole('button', { name: 'Copy URL' }).count(), 0);
    assert.equal((await page.content()).includes('hec-secret-token'), false);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('status, lag and delivered refresh live', async () => {
    const { page, errors } = await streamingPage();
    assert.equal(await row(page, 'risk-feed').locator('td.lag').innerText(), '0');
    const events = Array.from({ length: 7 }, (_, n) => ({ type: 'risk', activity: 'risk_recommendation', n }));
    await api(sluice.url, 'POST', '/activities/v1/events', events);
    await row(page, 'risk-feed').locator('td.lag', { hasText: '7' }).waitFor({ timeout: 10_000 });
    const collect = await fetch(`${sluice.url}/activities/v1/activities/collect?type=risk&stream_id=risk-feed&batch_size=3`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token(sluice.url)}` },
    });
    assert.equal((await collect.json()).length, 3);
    await row(page, 'risk-feed').locator('td.delivered', { hasText: '3' }).waitFor({ timeout: 10_000 });
    assert.equal(await row(page, 'risk-feed').locator('td.lag').innerText(), '4');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a stream is deleted through a confirmation that names it', async () => {
    const { page, errors } = await streamingPage();
    await addStream(page, { id: 'short-lived', type: 'admin' });
    await row(page, 'short-lived').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}streams.png` });
    await row(page, 'short-lived').getByLabel('Actions for short-lived').click();
    await row(page, 'short-lived').getByRole('link', { name: 'Delete stream' }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByText('Delete stream “short-lived”?').waitFor();
    await dialog.getByRole('button', { name: 'Delete stream' }).click();
    await row(page, 'short-lived').waitFor({ state: 'detached' });
    const listed = await api(sluice.url, 'GET', '/activities/v1/streams');
    assert.equal(listed.streams.some((s) => s.stream_id === 'short-lived'), false);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('Sign out ends the session', async () => {
    const { page, errors } = await streamingPage();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    await page.goto(`${sluice.url}/event-streaming`);
    await page.waitForURL('**/login');
    assert.deepEqual(unexpected(errors, 401), []);
    await page.close();
  });
});

describe('without JavaScript', () => {
  let noScript;

  before(async () => {
    noScript = await launchBrowser({ javaScriptEnabled: false });
  });

  after(async () => {
    await noScript?.close();
  });

  test('sign-in, adding and deleting a stream work as plain forms', async () => {
    const page = await noScript.context.newPage();
    await signIn(page, sluice.url);
    await page.waitForURL('**/event-streaming');
    await page.getByRole('button', { name: '+ Add stream' }).click();
    await page.waitForURL('**/event-streaming?add');
    await page.getByLabel('Stream identifier').fill('no-js-feed');
    await page.locator('input[name="event_type"][value="verify"]').check();
    await page.getByLabel('Events per batch').fill('25');
    await page.getByRole('button', { name: 'Add stream', exact: true }).click();
    await page.waitForURL('**/event-streaming');
    await row(page, 'no-js-feed').waitFor();
    assert.equal(await row(page, 'no-js-feed').locator('td').nth(2).innerText(), '25');

    // A refusal comes back on the re-rendered form, next to its field.
    await page.goto(`${sluice.url}/event-streaming?add`);
    await page.getByLabel('Stream identifier').fill('no-js-feed');
    await page.getByRole('button', { name: 'Add stream', exact: true }).click();
    await page.locator('#stream-id-error').getByText('exists already').waitFor();

    await page.goto(`${sluice.url}/event-streaming?delete=no-js-feed`);
    await page.locator('dialog[open]').getByRole('button', { name: 'Delete stream' }).click();
    await page.waitForURL('**/event-streaming');
    assert.equal(await row(page, 'no-js-feed').count(), 0);
    await page.close();
  });
});

describe('with the platform unreachable', () => {
  test('the page says so plainly instead of an empty list', async () => {
    const orphan = await startSluice({ SLUICE_PLATFORM_URL: 'http://127.0.0.1:9' });
    try {
      const { page, errors } = await openPage(browser.context);
      await signIn(page, orphan.url);
      await page.waitForURL('**/event-streaming');
      await page.getByRole('alert').filter({ hasText: 'cannot be reached' }).waitFor();
      assert.equal(await page.getByText('No event streams yet.').count(), 0);
      await page.close();
      assert.deepEqual(unexpected(errors, 502), []);
    } finally {
      await orphan.stop();
    }
  });
});

test('unknown paths get the console 404 page', async () => {
  const response = await fetch(`${sluice.url}/no-such-page`);
  assert.equal(response.status, 404);
  assert.match(await response.text(), /Page not found/);
});
