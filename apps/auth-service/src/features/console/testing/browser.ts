import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { requireBinary } from '@tools/test-harness';

/**
 * Debian's chromium package (tools/ci/install-system-deps.sh installs it) or `CHROMIUM_PATH`;
 * Playwright never downloads a browser here. Missing: fails at once naming that script.
 */
export const chromiumPath = (): string => requireBinary(process.env['CHROMIUM_PATH'] ?? 'chromium');
/** Screenshots of the console, gitignored (`tmp/`); two are copied to `docs/images/` for the README. */
export const SCREENSHOT_DIR = join(__dirname, '../../../../../../tmp/console');

export function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({ executablePath: chromiumPath(), headless: true });
}

/** Errors the page logged (console.error, CSP violations, failed loads) or threw. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Signs in through the console's own form. */
export async function signIn(context: BrowserContext, url: string, email: string, password: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/admin`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

/** Polls `check` until it returns true (deadline, no fixed sleeps in the assertions). */
export async function until(check: () => Promise<boolean>, what: string, deadlineMs = 30_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
