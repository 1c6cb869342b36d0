// Opens a report in a real headless browser (Debian's chromium, driven by playwright-core) that may
// load nothing but the page itself: every other request is blocked and recorded, so a test can
// prove the page is self-contained. `npm test` installs chromium when it is missing (see
// scripts/workspace.mjs); where it cannot, the browser tests are skipped with a message saying so.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const chromiumPath = process.env.IDFLOW_CHROMIUM ?? '/usr/bin/chromium';
export const browserMissing = existsSync(chromiumPath)
  ? undefined
  : `no browser at ${chromiumPath} (install Debian's chromium package, or set IDFLOW_CHROMIUM): the HTML report's browser test is skipped`;

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface OpenedPage {
  page: Page;
  /** Requests other than the page itself (all blocked). */
  blocked: string[];
  close(): Promise<void>;
}

/** `file` opened in a fresh browser profile; only that file may load. */
export async function openOffline(file: string): Promise<OpenedPage> {
  const profile = mkdtempSync(join(tmpdir(), 'idflow-chromium-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: FLAGS, offline: true });
    const url = pathToFileURL(file).href;
    const blocked: string[] = [];
    // Every request is seen here (file URLs are not routed: the page's own policy forbids loads).
    context.on('request', (request) => {
      if (request.url() !== url && !blocked.includes(request.url())) blocked.push(request.url());
    });
    await context.route('**/*', (route) => {
      const requested = route.request().url();
      if (requested === url) return route.continue();
      if (!blocked.includes(requested)) blocked.push(requested);
      return route.abort();
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url, { waitUntil: 'load' });
    const opened = context;
    return {
      page,
      blocked,
      close: async () => {
        await opened.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

/** The numbers the page shows, each with where it says it comes from. */
export async function shownCounts(page: Page): Promise<{ from: string; path: string[]; value: number }[]> {
  const cells = await page.$$eval('[data-path]', (elements) =>
    elements.map((element) => ({ from: element.getAttribute('data-from') ?? '', path: element.getAttribute('data-path') ?? '[]', text: element.textContent ?? '' })),
  );
  return cells.map((cell) => ({ from: cell.from, path: JSON.parse(cell.path) as string[], value: Number(cell.text.replaceAll(',', '')) }));
}
