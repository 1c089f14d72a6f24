/**
 * End to end: the main pages with the keyboard alone, in Debian's Chromium
 * against a real validator (issue 7: "accessible (labels, roles,
 * keyboard)"). Each page is walked with Tab from the top: the walk must
 * reach every interactive control on it, each with a visible focus ring
 * (the computed outline or box-shadow of the control, of the label text a
 * hidden radio stands for, or of the box around it differs from when it is
 * not focused) and an accessible name (Playwright's aria snapshot); no
 * control may trap the focus. Then each page's main actions are done with
 * keys only: the skip link, the theme switch (Enter and Space), opening a
 * book, the candle interval, a miner's page, connecting a wallet and
 * choosing an agent on /miner, a forecast request, and signing in to the
 * validator dashboard. The walks are repeated at a phone's width, where
 * the layout hides and stacks parts. Screenshots go to test-results/.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import type { Browser, BrowserContextOptions, Locator, Page } from "playwright-core";
import type { ForecastBoardView } from "@/engine/forecast/forecast_view.ts";
import { repoPath } from "@/server/paths.ts";
import { hasChromium, launchChromium, openPage, startServerProcess } from "@/tests/browser.ts";
import { injectTestWallet } from "@/tests/browser_wallet.ts";

const SCREENSHOTS = repoPath("test-results");
const OPERATOR_KEY = "keyboard-e2e-operator-key";
const DEMO_MINERS = 2;
/** More Tab presses than any page has stops: a walk that needs more is stuck. */
const MAX_TAB_STOPS = 120;

await cryptoWaitReady();
const wallet = new Keyring({ type: "sr25519" }).addFromUri("//KeyboardMiner", {
  name: "Keyboard miner",
});

/** One stop of a Tab walk: where the focus was, its role and name, and whether a ring showed. */
interface TabStop {
  /** The element, CSS-style, for messages. */
  element: string;
  role: string;
  name: string;
  ring: boolean;
}

/**
 * Describes the focused element in the page, and whether it shows focus:
 * its computed outline and box-shadow, a hidden radio's label text's, and
 * its ancestors' (a box that rings what it holds) are read focused, then
 * unfocused; a ring is a visible one of them that differs. Null when the
 * focus is back on the document.
 */
function inspectFocus(): { element: string; ring: boolean } | null {
  const focused = document.activeElement;
  if (!(focused instanceof HTMLElement || focused instanceof SVGElement)) return null;
  if (focused === document.body) return null;
  const reached = ((globalThis as unknown as { tabStops?: Set<Element> }).tabStops ??= new Set());
  reached.add(focused);
  const boxes: Element[] = [focused];
  if (focused instanceof HTMLInputElement && focused.nextElementSibling) {
    boxes.push(focused.nextElementSibling);
  }
  for (let box = focused.parentElement; box && box !== document.body; box = box.parentElement) {
    boxes.push(box);
  }
  const style = (box: Element) => {
    const s = getComputedStyle(box);
    const outline = s.outlineStyle === "none" || s.outlineWidth === "0px"
      ? "none"
      : `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`;
    return `${outline} | ${s.boxShadow}`;
  };
  const withFocus = boxes.map(style);
  focused.blur();
  const withoutFocus = boxes.map(style);
  focused.focus();
  const ring = boxes.some((box, i) =>
    withFocus[i] !== withoutFocus[i] && withFocus[i] !== "none | none" &&
    box.checkVisibility({ opacityProperty: true, visibilityProperty: true })
  );
  const element = focused.tagName.toLowerCase() + (focused.id ? `#${focused.id}` : "") +
    [...focused.classList].map((name) => `.${name}`).join("");
  return { element, ring };
}

/** The controls Tab should reach: focusable, enabled, rendered, one per radio group. */
function unreachedControls(): string[] {
  const reached = (globalThis as unknown as { tabStops?: Set<Element> }).tabStops ?? new Set();
  const controls = document.querySelectorAll<HTMLElement>(
    "a[href], button, input, select, textarea, summary, [tabindex], [contenteditable=true]",
  );
  return [...controls].filter((control) => {
    if (control.tabIndex < 0 || control.matches(":disabled, [type=hidden]")) return false;
    if (!control.checkVisibility({ visibilityProperty: true })) return false;
    if (control instanceof HTMLInputElement && control.type === "radio" && !control.checked) {
      return false;
    }
    return !reached.has(control);
  }).map((control) => `${control.outerHTML.slice(0, 120)}`);
}

/** The role and name on the first line of an aria snapshot (`- button "Sign in"`). */
function roleAndName(snapshot: string): { role: string; name: string } {
  let line = snapshot.split("\n")[0].replace(/^- /, "");
  if (line.startsWith("'")) line = line.slice(1).replace(/'(:.*)?$/, "").replaceAll("''", "'");
  const match = line.match(/^([a-z]+)(?: "((?:[^"\\]|\\.)*)")?/);
  return { role: match?.[1] ?? "", name: match?.[2] ? JSON.parse(`"${match[2]}"`) : "" };
}

/** Whether the focus is on the document itself: before the first Tab stop, or past the last. */
const onDocument = (page: Page) =>
  page.evaluate(() => document.activeElement === null || document.activeElement === document.body);

/**
 * Presses Tab from the top of the page until the focus leaves it; every
 * stop on the way. A focus inside the page is first tabbed out of the page,
 * so the walk starts at the top as after loading.
 */
async function tabThrough(page: Page): Promise<TabStop[]> {
  for (let press = 0; !(await onDocument(page)); press++) {
    if (press === MAX_TAB_STOPS) throw new Error("Tab did not leave the page");
    await page.keyboard.press("Tab");
  }
  await page.evaluate(() =>
    (globalThis as unknown as { tabStops?: Set<Element> }).tabStops = new Set()
  );
  const stops: TabStop[] = [];
  let previous: string | undefined;
  for (let press = 0; press < MAX_TAB_STOPS; press++) {
    await page.keyboard.press("Tab");
    const focus = await page.evaluate(inspectFocus);
    if (focus === null) return stops;
    const snapshot = await page.locator(":focus").ariaSnapshot();
    const here = `${focus.element} ${snapshot.split("\n")[0]}`;
    if (here === previous) throw new Error(`Tab is trapped at ${here}`);
    previous = here;
    stops.push({ ...focus, ...roleAndName(snapshot) });
  }
  throw new Error(`Tab did not leave the page in ${MAX_TAB_STOPS} presses`);
}

/**
 * Walks the page with Tab and asserts it is usable from the keyboard: the
 * skip link first, every control reached, each ringed and named.
 */
async function assertKeyboardReady(page: Page, what: string): Promise<TabStop[]> {
  const stops = await tabThrough(page);
  deepEqual(stops[0] && { role: stops[0].role, name: stops[0].name }, {
    role: "link",
    name: "Skip to content",
  }, `${what}: the first Tab stop`);
  const problems = [
    ...stops.filter((stop) => !stop.ring).map((stop) => `no focus ring: ${stop.element}`),
    ...stops.filter((stop) => stop.name.trim() === "" || stop.role === "generic")
      .map((stop) => `no accessible name: ${stop.element} (role "${stop.role}")`),
    ...(await page.evaluate(unreachedControls)).map((control) => `not reached by Tab: ${control}`),
  ];
  equal(problems.length, 0, `${what}:\n${problems.join("\n")}`);
  return stops;
}

/** Presses Tab until `target` has the focus (it must come within the page's stops). */
async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let press = 0; press < MAX_TAB_STOPS; press++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((element) => element === document.activeElement)) return;
  }
  throw new Error(`Tab never reached ${target}`);
}

/** A fresh context for one page; its console must stay clean (but for `allowed` errors). */
async function withPage(
  browser: Browser,
  options: BrowserContextOptions,
  use: (page: Page) => Promise<void>,
  allowed?: RegExp,
): Promise<void> {
  const { context, page, errors } = await openPage(browser, options);
  try {
    await use(page);
    const unexpected = errors.filter((error) => !allowed?.test(error));
    equal(unexpected.length, 0, `Console errors: ${unexpected.join("; ")}`);
  } finally {
    await context.close();
  }
}

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("Timed out waiting for the validator");
}

Deno.test({
  name: "the main pages work from the keyboard alone: every control reached, ringed and named",
  ignore: !hasChromium,
  async fn(t) {
    await Deno.mkdir(SCREENSHOTS, { recursive: true });
    const server = await startServerProcess([
      ...["--books", "2", "--demo-miners", String(DEMO_MINERS), "--step-ms", "60"],
      ...["--grace-seconds", "0", "--operator-key", OPERATOR_KEY],
      // A forecast request every second of wall time, so the forecasts page has several.
      ...["--forecast-interval-seconds", "5", "--forecast-cadence-seconds", "15"],
      ...["--forecast-horizon", "10"],
    ]);
    const browser = await launchChromium();
    const options = { viewport: { width: 1280, height: 900 }, colorScheme: "dark" as const };
    try {
      await poll(
        async () => (await (await fetch(`${server.url}/api/miners`)).json()).length,
        (connected) => connected >= DEMO_MINERS,
      );

      await t.step("the overview: skip link, theme switch and a book, by keys", async () => {
        await withPage(browser, options, async (page) => {
          await page.goto(server.url);
          await page.getByRole("table", { name: "Live books" }).waitFor();
          await assertKeyboardReady(page, "/");

          // Past the last stop, Tab starts again at the top, at the skip link, which passes the
          // header: the next Tab is in the page.
          await page.keyboard.press("Tab");
          await page.getByRole("link", { name: "Skip to content" }).waitFor();
          await page.screenshot({ path: `${SCREENSHOTS}/keyboard-skip-link.png` });
          await page.keyboard.press("Enter");
          await page.keyboard.press("Tab");
          const toggle = page.getByRole("button", { name: /^Switch to (light|dark) theme$/ });
          equal(await toggle.evaluate((button) => button === document.activeElement), true);

          const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
          await page.keyboard.press("Enter");
          equal(await theme(), "light");
          await page.getByRole("button", { name: "Switch to dark theme" }).waitFor();
          await page.keyboard.press("Space");
          equal(await theme(), "dark");
          await page.getByRole("button", { name: "Switch to light theme" }).waitFor();

          await tabTo(page, page.getByRole("link", { name: "Book 1" }));
          await page.keyboard.press("Enter");
          await page.waitForURL(`${server.url}/books/1`);
        });
      });

      await t.step("a book page: the candle interval by arrow keys", async () => {
        await withPage(browser, options, async (page) => {
          await page.goto(`${server.url}/books/1`);
          await page.getByRole("img", { name: /^1m candles of book 1/ }).waitFor();
          const stops = await assertKeyboardReady(page, "/books/1");
          // The interval radios are one stop; the scrolling tape is one too.
          equal(stops.filter((stop) => stop.role === "radio").length, 1);
          ok(stops.some((stop) => stop.role === "region" && stop.name === "Trades"));

          await tabTo(page, page.getByRole("radio", { name: "1m" }));
          await page.keyboard.press("ArrowLeft");
          await page.getByRole("img", { name: /^10s candles of book 1/ }).waitFor();
          equal(await page.getByRole("radio", { name: "10s" }).isChecked(), true);
          await page.screenshot({ path: `${SCREENSHOTS}/keyboard-book.png` });
        });
      });

      await t.step("the leaderboard: a miner's page by Enter", async () => {
        await withPage(browser, options, async (page) => {
          await page.goto(`${server.url}/leaderboard`);
          const table = page.getByRole("table", { name: "Leaderboard" });
          await table.locator("tbody tr").nth(DEMO_MINERS - 1).waitFor();
          await assertKeyboardReady(page, "/leaderboard");

          const link = table.getByRole("row").nth(1).getByRole("link");
          const href = await link.getAttribute("href");
          match(href ?? "", /^\/miners\/\d+$/);
          await tabTo(page, link);
          await page.keyboard.press("Enter");
          await page.waitForURL(`${server.url}${href}`);
        });
      });

      await t.step("/miner: connect a wallet and choose an agent by keys", async () => {
        await withPage(browser, options, async (page) => {
          await injectTestWallet(page, [wallet]);
          await page.goto(`${server.url}/miner`);
          await page.getByRole("textbox", { name: "Agent source" }).waitFor();
          await assertKeyboardReady(page, "/miner, no wallet yet");

          // Connecting replaces the button with the hotkey choice, which takes the focus.
          await tabTo(page, page.getByRole("button", { name: "Connect wallet" }));
          await page.keyboard.press("Enter");
          const hotkey = page.getByRole("combobox", { name: "Hotkey account" });
          await hotkey.waitFor();
          equal(await hotkey.evaluate((select) => select === document.activeElement), true);
          equal(await hotkey.inputValue(), wallet.address);

          const agent = page.getByRole("combobox", { name: "Example agent" });
          const params = page.getByRole("textbox", { name: "Parameters (one key=value a line)" });
          const source = page.getByRole("textbox", { name: "Agent source" });
          const before = { agent: await agent.inputValue(), source: await source.innerText() };
          await tabTo(page, agent);
          await page.keyboard.press("ArrowDown");
          equal(await agent.inputValue(), "random_maker");
          ok(before.agent !== "random_maker");
          equal(await params.inputValue(), "volume=0.5\nmaxTicks=3\nexpirySeconds=60");
          ok((await source.innerText()) !== before.source, "the editor shows the chosen agent");
          await page.screenshot({ path: `${SCREENSHOTS}/keyboard-miner.png` });
          await assertKeyboardReady(page, "/miner, wallet connected");
        });
      });

      await t.step("/forecasts: another request by arrow keys", async () => {
        await poll(
          async (): Promise<ForecastBoardView> =>
            await (await fetch(`${server.url}/api/forecasts`)).json(),
          (board) => (board.streams[0]?.requests.length ?? 0) >= 2,
        );
        await withPage(browser, options, async (page) => {
          await page.goto(`${server.url}/forecasts`);
          const request = page.getByRole("combobox", { name: "Request" }).first();
          await request.waitFor();
          await assertKeyboardReady(page, "/forecasts");

          await tabTo(page, request);
          const shown = await request.inputValue();
          await page.keyboard.press(
            await request.evaluate((select: HTMLSelectElement) =>
                select.selectedIndex === select.options.length - 1
              )
              ? "ArrowUp"
              : "ArrowDown",
          );
          const chosen = await request.inputValue();
          ok(chosen !== shown, "the arrow key chose another request");
          await page.getByRole("table", { name: `Forecasts of ${chosen}` }).waitFor();
        });
      });

      await t.step("at a phone's width, every page is reached, ringed and named", async () => {
        const phone = { ...options, viewport: { width: 390, height: 844 }, isMobile: true };
        const pages: [string, (page: Page) => Locator][] = [
          ["/", (page) => page.getByRole("table", { name: "Live books" })],
          ["/books/1", (page) => page.getByRole("img", { name: /^1m candles of book 1/ })],
          ["/leaderboard", (page) => page.getByRole("table", { name: "Leaderboard" })],
          ["/miner", (page) => page.getByRole("textbox", { name: "Agent source" })],
          ["/forecasts", (page) => page.getByRole("combobox", { name: "Request" }).first()],
        ];
        for (const [path, ready] of pages) {
          await withPage(browser, phone, async (page) => {
            await page.goto(`${server.url}${path}`);
            await ready(page).waitFor();
            await assertKeyboardReady(page, `${path} at 390 px`);
          });
        }
      });

      await t.step("/validator: sign in and read the dashboard by keys", async () => {
        // The sign-in page answers 401 until the key is in, which the console reports.
        await withPage(browser, options, async (page) => {
          await page.goto(`${server.url}/validator`);
          await assertKeyboardReady(page, "/validator sign-in");

          await tabTo(page, page.getByRole("textbox", { name: "Operator key" }));
          await page.keyboard.type(OPERATOR_KEY);
          await page.keyboard.press("Enter");
          await page.waitForURL(`${server.url}/validator`);
          await page.getByRole("table", { name: "Miners" }).waitFor();
          await assertKeyboardReady(page, "/validator dashboard");
          await page.screenshot({ path: `${SCREENSHOTS}/keyboard-validator.png` });
        }, /status of 401 \(Unauthorized\)/);
      });
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
