/**
 * Integration: a real validator (native simulator, Deno KV file, web app)
 * in this process on a free port, spoken to over HTTP.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { parseConfig } from "@/server/config.ts";
import { startValidator } from "@/server/validator.ts";

async function withValidator(test: (url: string) => Promise<void>): Promise<void> {
  const dataDir = await Deno.makeTempDir({ prefix: "marketforge-http-" });
  const validator = await startValidator(
    parseConfig(
      ["--port", "0", "--data", dataDir, "--books", "3", "--demo-miners", "0"],
      () => undefined,
    ),
    () => {},
  );
  try {
    await test(validator.url);
  } finally {
    await validator.shutdown();
    await Deno.remove(dataDir, { recursive: true });
  }
}

Deno.test("pages, API and static files are served on loopback", async () => {
  await withValidator(async (url) => {
    match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const home = await fetch(url);
    const html = await home.text();
    match(html, /<h1>Live books<\/h1>/);
    match(html, /href="\/books\/2"/);

    const book = await (await fetch(`${url}/books/1`)).text();
    match(book, /<marketforge-island data-island="BookLadder"/);
    match(book, /import\{revive\}from"\/_islands\/_revive\.js"/);

    const books = await (await fetch(`${url}/api/books`)).json();
    deepEqual(books.map((entry: { bookId: number }) => entry.bookId), [0, 1, 2]);

    const css = await fetch(`${url}/style.css`);
    equal(css.headers.get("content-type"), "text/css; charset=utf-8");
    await css.body?.cancel();

    for (const bundle of ["BookLadder.js", "_revive.js", "workers/train_worker.js"]) {
      const response = await fetch(`${url}/_islands/${bundle}`);
      equal(response.status, 200, bundle);
      equal(response.headers.get("content-type"), "text/javascript; charset=utf-8");
      await response.body?.cancel();
    }
  });
});

Deno.test("a live page opens its feed socket from the head and preloads its whole module graph", async () => {
  await withValidator(async (url) => {
    const book = await (await fetch(`${url}/books/1`)).text();
    const head = book.slice(0, book.indexOf("</head>"));
    // The socket opens before the stylesheet, which would otherwise hold the script back.
    ok(head.indexOf("new WebSocket") >= 0, "the head opens the feed socket");
    ok(head.indexOf("new WebSocket") < head.indexOf('rel="stylesheet"'));
    // …and subscribes at once to what the book page's islands follow first.
    for (const channel of ["ticker", "ladder", "trades", "candles:1m"]) {
      ok(head.includes(`\\"book:1:${channel}\\"`), `the head subscribes to book:1:${channel}`);
    }
    const preloads = [...head.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)]
      .map((found) => found[1]);
    for (const entry of ["_revive", "BookLadder", "TradesTape", "CandleChart"]) {
      ok(preloads.includes(`/_islands/${entry}.js`), `${entry} is preloaded`);
    }
    const chunks = preloads.filter((path) => path.startsWith("/_islands/chunks/"));
    ok(chunks.length > 0, "shared chunks are preloaded");
    for (const path of preloads) {
      const response = await fetch(`${url}${path}`);
      const body = await response.text();
      equal(response.status, 200, path);
      // Every static import of a preloaded module is itself preloaded.
      for (const [, imported] of body.matchAll(/from"\.\/(?:chunks\/)?([\w-]+\.js)"/g)) {
        ok(
          preloads.some((preload) => preload.endsWith(`/${imported}`)),
          `${path} imports ${imported}`,
        );
      }
      equal(
        response.headers.get("cache-control"),
        chunks.includes(path) ? "public, max-age=31536000, immutable" : "no-cache",
        path,
      );
    }
    const leaderboard = await (await fetch(`${url}/leaderboard`)).text();
    equal(
      leaderboard.includes("new WebSocket"),
      false,
      "a page without live islands opens no socket",
    );
  });
});

Deno.test("unknown books get a 404 that says which books exist", async () => {
  await withValidator(async (url) => {
    const page = await fetch(`${url}/books/7`);
    equal(page.status, 404);
    equal(await page.text(), 'Unknown book "7": books are 0 to 2');
    const feed = await fetch(`${url}/api/books/abc/feed`);
    equal(feed.status, 404);
    deepEqual(await feed.json(), { error: 'Unknown book "abc": books are 0 to 2' });
  });
});

Deno.test("the feed streams book views as Server-Sent Events", async () => {
  await withValidator(async (url) => {
    const response = await fetch(`${url}/api/books/0/feed`);
    equal(response.headers.get("content-type"), "text/event-stream");
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while ((text.match(/^event: book$/gm) ?? []).length < 3) text += (await reader.read()).value;
    await reader.cancel();
    const steps = [...text.matchAll(/^data: (.*)$/gm)].map((line) => JSON.parse(line[1]).step);
    equal(steps.length >= 3, true);
    equal(steps[2] > steps[0], true);
  });
});
