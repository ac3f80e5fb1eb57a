// Playwright's `test` with one change: page.goto and page.reload resolve once
// React has moved every streamed Suspense segment into place. Until then a
// finished segment waits in a hidden <div id="S:n"> at the end of <body>
// (React batches reveals for a few hundred ms after the load event), so a
// label lookup could match the same control twice and fail strict mode.
import { test as base, type Page } from "@playwright/test";

export { expect, type Browser, type Page } from "@playwright/test";

/** Resolves when no streamed segment is still parked outside its place. */
export async function streamedSegmentsPlaced(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('div[hidden][id^="S:"]'));
}

/** Makes goto and reload on `page` wait for streamed segments; for pages a test opens itself. */
export function settleStreamedPages(page: Page): Page {
  const goto = page.goto.bind(page);
  const reload = page.reload.bind(page);
  page.goto = async (url, options) => {
    const response = await goto(url, options);
    await streamedSegmentsPlaced(page);
    return response;
  };
  page.reload = async (options) => {
    const response = await reload(options);
    await streamedSegmentsPlaced(page);
    return response;
  };
  return page;
}

export const test = base.extend({
  page: async ({ page }, provide) => {
    await provide(settleStreamedPages(page));
  },
});
