import fs from 'node:fs';

/**
 * Print an HTML report to PDF with a Chromium, through playwright-core (loaded only here, from
 * node_modules). Which browser: BURNRATE_CHROMIUM, else the usual system paths. Resolves to null
 * with the reason when there is none, so the command can say so instead of failing obscurely.
 */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const given = env.BURNRATE_CHROMIUM;
  if (given) return fs.existsSync(given) ? given : null;
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

export async function htmlToPdf(html: string, env: NodeJS.ProcessEnv = process.env): Promise<{ pdf: Buffer } | { unavailable: string }> {
  const executablePath = findChromium(env);
  if (!executablePath) {
    return { unavailable: 'No Chromium was found to print the PDF (looked at BURNRATE_CHROMIUM and /usr/bin/chromium); write HTML instead and print it from a browser, or use the desktop app.' };
  }
  let playwright: typeof import('playwright-core');
  try {
    playwright = await import('playwright-core');
  } catch {
    return { unavailable: 'PDF needs the playwright-core package, which this install does not have; write HTML instead and print it from a browser, or use the desktop app.' };
  }
  const browser = await playwright.chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    // The report links to nothing: block every request so printing never reaches the network.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    return { pdf: await page.pdf({ format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } }) };
  } finally {
    await browser.close();
  }
}
