import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { testDriver } from '../helpers/database.js';

/**
 * GraphiQL as a frontend developer meets it, in Debian's Chromium (headless, driven by
 * playwright-core; no browser is ever downloaded) with every request to another origin
 * blocked, as behind a proxy, on an air-gapped site or during a CDN outage. It tests the page,
 * not the database, so it runs on the embedded driver only. `.ci/run` installs Chromium;
 * elsewhere the test is skipped, saying why.
 */
// Debian's and Ubuntu's Chromium, or the Chrome that GitHub's runners come with.
const chromiumPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(
  (path) => existsSync(path),
);
const runsHere = testDriver === 'pglite' && chromiumPath !== undefined;
if (testDriver === 'pglite' && !chromiumPath) {
  console.warn(
    'GraphiQL browser test skipped: no Chromium at /usr/bin/chromium; install it with `apt-get install -y chromium` (.ci/run does)',
  );
}

interface Violation {
  directive: string;
  blocked: string;
  source: string;
}

let t: TestApp;
let userDataDir: string;
let context: BrowserContext;
let page: Page;
let origin: string;
const foreignRequests: string[] = [];
const ownRequests: string[] = [];
const consoleErrors: string[] = [];

/** What the visible editor in `selector` shows (Monaco draws spaces as no-break spaces). */
async function editorText(selector: string): Promise<string> {
  const text = await page.locator(`${selector} .view-lines`).filter({ visible: true }).textContent();
  return (text ?? '').replace(/\u00a0/g, ' ');
}

/** Waits until the editor in `selector` shows `expected`. */
async function waitForEditorText(selector: string, expected: string): Promise<void> {
  await page.waitForFunction(
    ([selector, expected]) =>
      (document.querySelector(`${selector} .view-lines`)?.textContent ?? '')
        .replace(/\u00a0/g, ' ')
        .includes(expected),
    [selector, expected] as const,
  );
}

const queryEditor = '.graphiql-query-editor';
const resultPane = '.graphiql-response';

/** Replaces the query editor's document, as a paste would (typing would auto-close brackets). */
async function writeQuery(document: string): Promise<void> {
  await page.locator(`${queryEditor} .monaco-editor`).first().click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(document);
  await waitForEditorText(queryEditor, document.slice(0, 20));
}

/** Runs the document with the run button and waits for the result pane to show `expected`. */
async function runAndExpect(expected: string): Promise<string> {
  await page.locator('.graphiql-execute-button').click();
  await waitForEditorText(resultPane, expected);
  return editorText(resultPane);
}

describe.skipIf(!runsHere)('GraphiQL in a browser, with no network but the service', () => {
  beforeAll(async () => {
    t = await startTestApp({ SEED_DEMO: 'true' });
    origin = new URL(t.url).origin;
    userDataDir = mkdtempSync(join(tmpdir(), 'graphiql-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
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
      viewport: { width: 1400, height: 900 },
    });
    // The whole context, so the editor workers' requests are seen too.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) {
        ownRequests.push(url);
        return route.continue();
      }
      foreignRequests.push(url);
      return route.abort('blockedbyclient');
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(45_000);
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
    await page.addInitScript(() => {
      const violations: Violation[] = [];
      Object.assign(window, { cspViolations: violations });
      document.addEventListener('securitypolicyviolation', (event) =>
        violations.push({
          directive: event.effectiveDirective,
          blocked: event.blockedURI,
          source: `${event.sourceFile}:${event.lineNumber}`,
        }),
      );
    });
  });

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await t?.close();
  });

  it('opens on the README operations, its title, and the headers editor showing the bearer header', async () => {
    await page.goto(`${t.url}/graphql`);
    await waitForEditorText(queryEditor, 'query Deals($after: String) {').catch((error: unknown) => {
      const blocked = foreignRequests.join(', ') || 'none';
      throw new Error(`GraphiQL did not open; requests to other origins (blocked): ${blocked}`, {
        cause: error,
      });
    });
    expect(await page.title()).toBe('Acquisitions API');
    // The headers tab is the one open, with the bearer header ready to uncomment.
    await page.locator('.graphiql-editor-tools button.active[data-name="headers"]').waitFor();
    expect(await editorText('section.graphiql-editor-tool[aria-label="Headers"]')).toContain(
      '// "Authorization": "Bearer <token or API key>"',
    );
    expect(ownRequests.some((url) => /\/graphiql\/yoga-graphiql\.[\w-]+\.js$/.test(url))).toBe(true);
  });

  it('checks a typed query against the schema in its editor worker', async () => {
    await writeQuery('{ acquisitions(first: 2) { noSuchField } }');
    await page.locator(`${queryEditor} .squiggly-error`).first().waitFor();
    expect(ownRequests.some((url) => /\/graphiql\/graphql\.worker\.[\w-]+\.js$/.test(url))).toBe(true);
  });

  it('runs a typed query and shows the data in the result pane', async () => {
    const query = '{ acquisitions(first: 2) { edges { node { target { name } } } } }';
    const expected = await t.gql<{ acquisitions: { edges: { node: { target: { name: string } } }[] } }>(
      query,
    );
    const names = expected.body.data?.acquisitions.edges.map((edge) => edge.node.target.name) ?? [];
    expect(names).toHaveLength(2);

    await writeQuery(query);
    const result = await runAndExpect(`"name": "${names[1]}"`);
    expect(result).toContain(`"name": "${names[0]}"`);
  });

  it('signs up, after which the cookie signs `me` in; errors show their code', async () => {
    const email = 'grace@example.com';
    const signUp = `mutation { signUp(input: { name: "Grace", email: "${email}", password: "at least 8 chars" }) { user { email } } }`;
    await writeQuery(signUp);
    await runAndExpect(`"signUp": {`);
    const cookies = await context.cookies(t.url);
    expect(cookies.find((cookie) => cookie.name === 'token')).toMatchObject({ httpOnly: true });

    await writeQuery('{ me { email } }');
    const me = await runAndExpect(`"me": {`);
    expect(me).toContain(`"email": "${email}"`);

    await writeQuery(signUp);
    await runAndExpect(`"code": "CONFLICT"`);
  });

  it('runs a subscription and shows a deal as it is recorded elsewhere', async () => {
    const writer = await signUp(t);
    const companies = await t.gql<{ companies: { edges: { node: { id: string } }[] } }>(
      '{ companies(first: 2) { edges { node { id } } } }',
    );
    const [acquirer, target] = companies.body.data!.companies.edges.map((edge) => edge.node.id);

    await writeQuery('subscription { acquisitionEvents { kind acquisition { notes } } }');
    await page.locator('.graphiql-execute-button').click();
    // The browser's stream is open on the server before anything is written.
    await expect.poll(() => t.app.live.size).toBe(1);
    const created = await t.gql(
      'mutation($input: CreateAcquisitionInput!) { createAcquisition(input: $input) { id } }',
      {
        input: { acquirerId: acquirer, targetId: target, status: 'RUMORED', notes: 'Seen live in GraphiQL' },
      },
      writer.headers,
    );
    expect(created.body.errors).toBeUndefined();
    const result = await waitForEditorText(resultPane, '"notes": "Seen live in GraphiQL"').then(() =>
      editorText(resultPane),
    );
    expect(result).toContain('"kind": "CREATED"');
    // The same button stops the stream, which ends it on the server too.
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => t.app.live.size).toBe(0);
  });

  it('asked nothing of any other origin, and met no CSP violation, console error or uncaught error', async () => {
    const violations = await page.evaluate(
      () => (window as unknown as { cspViolations: Violation[] }).cspViolations,
    );
    expect(violations).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });
});
