import { migrate } from '@libs/database';
import { startDedicatedPostgres, type LocalPostgres } from '@tools/test-harness';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { runBootstrapAdmin } from '../../bootstrap';
import { startTestApp, type TestApp } from '../../testing/testApp';
import { CONSOLE_CSP } from './consolePlugin';
import { collectErrors, launchChromium, screenshot, signIn, until } from './testing/browser';

const json = { 'content-type': 'application/json' };
const ADMIN = { email: 'first-admin@example.com', password: 'first admin password', name: 'First Admin' };
const TARGET = { email: 'target-user@example.com', password: 'target user password', name: 'Target' };
const HOUR_MS = 3_600_000;

describe('admin console in headless Chromium', () => {
  let pg: LocalPostgres;
  let t: TestApp;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;
  let errors: string[];
  let supportRoleId: string;

  // findFirst reads the row (findByEmail may answer from its cache entry).
  const row = () => t.context.repositories.users.findFirst({ where: { email: TARGET.email } });
  const sessionOf = async (context: BrowserContext) => (await (await context.request.get(`${t.url}/api/auth/get-session`)).json()) as { user?: { email: string } } | null;

  beforeAll(async () => {
    pg = await startDedicatedPostgres();
    await migrate(pg.url);
    t = await startTestApp({ databaseUrl: pg.url });
    await runBootstrapAdmin(t.context, ADMIN);
    await fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body: JSON.stringify(TARGET) });
    const staff = await t.context.repositories.roles.create({ name: 'staff', level: 1, permissions: ['users:read'] });
    supportRoleId = (await t.context.repositories.roles.create({ name: 'support', level: 2, parentRoleId: staff.id, permissions: ['metrics:read'] })).id;
    browser = await launchChromium();
    admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await admin.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
  });
  afterAll(async () => {
    const timed = async (what: string, step: () => Promise<unknown> | undefined) => {
      const started = Date.now();
      await step();
      if (Date.now() - started > 5_000) console.warn(`console e2e teardown: ${what} took ${Date.now() - started} ms`);
    };
    await timed('closing Chromium', () => browser?.close());
    await timed('closing the app', () => t?.close());
    await timed('destroying Postgres', () => pg?.destroy());
    // Closing Chromium and the app after a Postgres restart took over 60 s once on a loaded CI run.
  }, 180_000);

  it('serves the page with a CSP and no inline script', async () => {
    const response = await fetch(`${t.url}/admin`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect((await fetch(`${t.url}/admin/assets/app.js`)).headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${t.url}/admin/assets/nope.js`)).status).toBe(404);
  });

  it('shows a non-admin "Not permitted", never data', async () => {
    const context = await browser.newContext();
    const target = await signIn(context, t.url, TARGET.email, TARGET.password);
    await target.getByRole('heading', { name: 'Not permitted' }).waitFor();
    await expect(target.getByRole('table').count()).resolves.toBe(0);
    await screenshot(target, 'not-permitted');
    await context.close();
  });

  it('the first admin finds a user, bans them for an hour (their session stops), unbans, revokes a session', async () => {
    const targetContext = await browser.newContext();
    const targetPage = await signIn(targetContext, t.url, TARGET.email, TARGET.password);
    await targetPage.getByRole('heading', { name: 'Not permitted' }).waitFor();
    expect((await sessionOf(targetContext))?.user?.email).toBe(TARGET.email);

    page = await signIn(admin, t.url, ADMIN.email, ADMIN.password);
    errors = collectErrors(page);
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await page.getByRole('img', { name: 'Users by status' }).waitFor();
    const search = page.getByRole('search', { name: 'Search users' });
    await search.getByLabel('Email').fill('target-user');
    await search.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('result-count').filter({ hasText: '1 user —' }).waitFor();
    await screenshot(page, 'users');
    await page.getByRole('link', { name: TARGET.email }).click();
    await page.getByRole('heading', { name: TARGET.email }).waitFor();
    await page.getByTestId('live-sessions').getByRole('button', { name: 'Revoke' }).first().waitFor();

    const ban = page.getByRole('form', { name: 'Ban user' });
    await ban.getByLabel('Ban reason').fill('spam from the console test');
    await ban.getByLabel('Ban expires after').selectOption({ label: '1 hour' });
    await ban.getByRole('button', { name: 'Ban user' }).click();
    await page.getByRole('status').filter({ hasText: 'User banned' }).waitFor();
    await page.getByTestId('profile').getByText('BANNED').waitFor();
    const banned = await row();
    expect(banned?.status).toBe('BANNED');
    expect(banned?.banReason).toBe('spam from the console test');
    const inMs = banned!.banExpiresAt!.getTime() - Date.now();
    expect(inMs).toBeGreaterThan(HOUR_MS - 10 * 60_000);
    expect(inMs).toBeLessThanOrEqual(HOUR_MS);
    await page.getByTestId('ended-sessions').getByText('banned').first().waitFor();
    await page.getByTestId('audit-log').getByText('STATUS_CHANGED').first().waitFor();
    await screenshot(page, 'user-banned');

    // The banned user's session stops working in their own browser.
    expect(await sessionOf(targetContext)).toBeNull();
    await targetPage.reload();
    await targetPage.getByRole('heading', { name: 'Sign in' }).waitFor();

    await page.getByRole('button', { name: 'Unban user' }).click();
    await page.getByRole('status').filter({ hasText: 'User unbanned' }).waitFor();
    await page.getByTestId('profile').getByText('ACTIVE').waitFor();
    expect((await row())?.status).toBe('ACTIVE');

    // Signed in again, then that one session revoked from the console.
    const again = await signIn(targetContext, t.url, TARGET.email, TARGET.password);
    await again.getByRole('heading', { name: 'Not permitted' }).waitFor();
    await page.reload();
    const revoke = page.getByTestId('live-sessions').getByRole('button', { name: 'Revoke' });
    await revoke.click();
    await page.getByRole('status').filter({ hasText: 'Session revoked' }).waitFor();
    await page.getByTestId('ended-sessions').getByRole('cell', { name: 'revoked_by_admin' }).waitFor();
    expect(await sessionOf(targetContext)).toBeNull();
    await screenshot(page, 'user-sessions');
    await targetContext.close();
    expect(errors).toEqual([]);
    // A long journey (three sign-ins, a dozen page loads, screenshots): 24 s alone, over 60 s on a loaded 2-core CI run.
  }, 180_000);

  it('creates a key shown once (then only its preview), copies it, revokes it', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    const form = page.getByRole('form', { name: 'Create an API key' });
    await form.getByLabel('Key name').fill('console-key');
    await form.getByLabel('Scopes (comma-separated)').fill('users:read');
    await form.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('new-key-value');
    await shown.waitFor();
    const key = (await shown.textContent()) ?? '';
    expect(key).toMatch(/^sk_/);
    await page.getByRole('button', { name: 'Copy key' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(key);
    await screenshot(page, 'keys-created');

    await page.reload();
    const row = page.getByTestId('keys-table').getByRole('row').filter({ hasText: 'console-key' });
    await row.getByText('ACTIVE').waitFor();
    expect(await page.content()).not.toContain(key);
    await expect(page.getByTestId('new-key').count()).resolves.toBe(0);
    const preview = (await row.locator('code').textContent()) ?? '';
    const [head, tail] = preview.split('…');
    expect(key.startsWith(head!) && key.endsWith(tail!) && preview.length < key.length).toBe(true);

    await row.getByRole('button', { name: 'Revoke console-key' }).click();
    await row.getByText('REVOKED').waitFor();
    const verify = await fetch(`${t.url}/api/auth/api-key/verify`, { method: 'POST', headers: json, body: JSON.stringify({ key }) });
    expect(verify.status).toBe(401);
    await screenshot(page, 'keys');
    expect(errors).toEqual([]);
  });

  it('shows the role tree with effective permissions and assigns a role with expiry', async () => {
    await page.getByRole('link', { name: 'Roles' }).click();
    const tree = page.getByRole('list', { name: 'Role hierarchy' });
    await tree.getByRole('button', { name: 'staff' }).waitFor();
    // support is nested under staff.
    await tree.locator('li', { has: page.getByRole('button', { name: 'staff' }) }).locator('ul').getByRole('button', { name: 'support' }).click();
    const effective = page.getByTestId('effective-permissions');
    await effective.getByText('users:read').waitFor();
    await effective.getByText('metrics:read').waitFor();

    const assign = page.getByRole('form', { name: 'Assign a role' });
    await assign.getByLabel('User email').fill(TARGET.email);
    await assign.getByLabel('Role').selectOption({ label: 'support' });
    await assign.getByLabel('Assignment expires after').selectOption({ label: '1 day' });
    await assign.getByRole('button', { name: 'Assign role' }).click();
    await page.getByRole('status').filter({ hasText: `Assigned support to ${TARGET.email} until` }).waitFor();
    const user = await row();
    expect(user?.roleId).toBe(supportRoleId);
    expect(user!.roleExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 23 * HOUR_MS);
    await screenshot(page, 'roles');
    expect(errors).toEqual([]);
  });

  it('fits a 375 px wide screen on every page', async () => {
    const phone = await browser.newContext({ viewport: { width: 375, height: 800 } });
    await phone.addCookies(await admin.cookies());
    const small = await phone.newPage();
    for (const hash of ['#/users', '#/keys', '#/roles']) {
      await small.goto(`${t.url}/admin${hash}`);
      await small.getByRole('navigation', { name: 'Console' }).waitFor();
      await small.locator('table, ul.tree').first().waitFor();
      expect(await small.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    }
    await screenshot(small, 'roles-375');
    await phone.close();
  });

  it('shows health live, and an open breaker while Postgres is stopped', async () => {
    await page.getByRole('link', { name: 'Health' }).click();
    await page.getByTestId('dependencies').getByText('database').waitFor();
    await page.getByTestId('routes').getByText('GET /api/admin/users', { exact: true }).waitFor();
    await page.getByRole('heading', { name: /Readiness ready/ }).waitFor();
    await screenshot(page, 'health');
    expect(errors).toEqual([]);

    await pg.stop();
    // Traffic while the database is down trips the repositories' breakers; a breaker is open
    // until its reset time, then half-open until a trial fails again: keep the traffic going
    // until the page has shown one open.
    const shownOpen = page.getByTestId('breakers').getByRole('row').filter({ has: page.getByText('open', { exact: true }) });
    await until(async () => {
      await fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: JSON.stringify({ email: `nobody-${Date.now()}@example.com`, password: 'whatever password' }) });
      return (await shownOpen.count()) > 0;
    }, 'the health page to show an open breaker', 45_000);
    expect(await shownOpen.first().innerText()).toMatch(/^db\.\w+\s+open$/);
    await page.getByRole('heading', { name: /Readiness unavailable/ }).waitFor();
    await screenshot(page, 'health-outage');

    // Postgres back: the page recovers by itself (the poll), without a reload.
    await pg.start();
    await page.getByRole('heading', { name: /Readiness ready/ }).waitFor({ timeout: 45_000 });
  });

});
