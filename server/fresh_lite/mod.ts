/**
 * A small Fresh-like layer over Hono and Preact: file routes (routes/),
 * server-rendered pages with hydrated islands (islands/), and static files
 * (static/). Fresh itself lives on JSR, which these machines cannot reach
 * (shared/reference/stack.md §1), so the same model is rebuilt here.
 *
 * @module
 */
import { type Env, Hono, type MiddlewareHandler } from "hono";
import { compress } from "hono/compress";
import { serveStatic } from "hono/deno";
import { type ComponentType, h } from "preact";
import { renderToString } from "preact-render-to-string";
import {
  BUNDLE_PREFIX,
  bundleIslands,
  CHUNK_PREFIX,
  RUNTIME_ENTRY,
} from "@/server/fresh_lite/bundle.ts";
import { EncodedFiles, preferredCoding } from "@/server/fresh_lite/encoded_files.ts";
import { HttpError } from "@/server/fresh_lite/http_error.ts";
import { collectIslands, registerIsland } from "@/server/fresh_lite/islands.ts";
import { scanRoutes } from "@/server/fresh_lite/routes.ts";
import {
  type AppProps,
  HTTP_METHODS,
  type PageProps,
  type RouteModule,
} from "@/server/fresh_lite/types.ts";

export { HttpError } from "@/server/fresh_lite/http_error.ts";
export type { AppProps, PageProps } from "@/server/fresh_lite/types.ts";

export interface WebAppOptions<E extends Env> {
  routesDir: string;
  islandsDir: string;
  /** Web worker entries, bundled to /_islands/workers/<name>.js. */
  workersDir: string;
  staticDir: string;
  /** tsconfig.json whose `paths` resolve `@/…` imports in islands. */
  tsconfigPath: string;
  /** Runs before every route, e.g. to put services into the context. */
  middleware?: MiddlewareHandler<E>[];
  /** Title of pages that do not name their own. */
  defaultTitle: string;
}

export interface WebApp<E extends Env> {
  app: Hono<E>;
  islands: string[];
  routes: string[];
  bundleMs: number;
}

/** Scans, bundles and wires everything into one Hono app. */
export async function createWebApp<E extends Env>(options: WebAppOptions<E>): Promise<WebApp<E>> {
  const islands = await loadIslands(options.islandsDir);
  const bundle = await bundleIslands(
    { ...islands, [RUNTIME_ENTRY]: `${options.islandsDir}/${RUNTIME_ENTRY}.ts` },
    options.tsconfigPath,
    await workerEntries(options.workersDir),
  );

  const app = new Hono<E>();
  // Pages, API answers and static files gzipped per request; the bundle below comes pre-encoded.
  app.use(compress());
  for (const middleware of options.middleware ?? []) app.use(middleware);
  const encoded = new EncodedFiles(bundle.files);
  app.get(`${BUNDLE_PREFIX}/*`, async (c) => {
    const coding = preferredCoding(c);
    const file = await encoded.get(c.req.path, coding);
    if (file === undefined) return c.notFound();
    const headers: Record<string, string> = {
      "content-type": "text/javascript; charset=utf-8",
      // Chunk names carry their content hash; entry names do not.
      "cache-control": c.req.path.startsWith(CHUNK_PREFIX)
        ? "public, max-age=31536000, immutable"
        : "no-cache",
      vary: "Accept-Encoding",
    };
    if (coding !== null) headers["content-encoding"] = coding;
    return c.body(file as Uint8Array<ArrayBuffer>, 200, headers);
  });

  const App = (await import(toUrl(`${options.routesDir}/_app.tsx`))).default as ComponentType<
    AppProps
  >;
  const routes = await scanRoutes(options.routesDir);
  for (const route of routes) {
    const module = (await import(toUrl(route.file))) as RouteModule<E>;
    for (const method of HTTP_METHODS) {
      const handler = module[method];
      if (handler) app.on(method, route.pattern, handler);
    }
    const Page = module.default;
    if (Page === undefined) continue;
    app.get(route.pattern, async (c) => {
      const data = module.load ? await module.load(c) : undefined;
      // A load may answer by itself (a redirect); one that calls c.status() sets the page's.
      if (data instanceof Response) return data;
      const props: PageProps = {
        params: c.req.param() as Record<string, string>,
        data,
        url: new URL(c.req.url),
      };
      const title = typeof module.title === "function"
        ? module.title(props)
        : module.title ?? options.defaultTitle;
      const { result: html, islands: used } = collectIslands(() =>
        renderToString(
          h(App, { title, head: module.Head && h(module.Head, props), children: h(Page, props) }),
        )
      );
      return c.html("<!DOCTYPE html>" + withHydration(html, used, bundle.staticImports));
    });
  }

  app.use("/*", serveStatic({ root: options.staticDir }));
  app.notFound((c) => c.text(`Not found: ${c.req.path}`, 404));
  app.onError((error, c) => {
    if (error instanceof HttpError) {
      return c.req.path.startsWith("/api/")
        ? c.json({ error: error.message }, error.status)
        : c.text(error.message, error.status);
    }
    console.error(error);
    return c.text("Internal server error", 500);
  });

  return {
    app,
    islands: Object.keys(islands),
    routes: routes.map((route) => route.pattern),
    bundleMs: bundle.buildMs,
  };
}

/** Imports islands/*.tsx, registers each default export, returns name → path. */
async function loadIslands(dir: string): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !/^[A-Z]\w*\.tsx$/.test(entry.name)) continue;
    const name = entry.name.replace(/\.tsx$/, "");
    const path = `${dir}/${entry.name}`;
    const module = await import(toUrl(path));
    if (typeof module.default !== "function") {
      throw new Error(`Cannot use island "${path}": it has no default export component`);
    }
    registerIsland(name, module.default);
    entries[name] = path;
  }
  return entries;
}

/**
 * Worker entry files: every workers/*.ts except the protocol, private files
 * and tests, keyed "workers/<name>".
 */
async function workerEntries(dir: string): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for await (const entry of Deno.readDir(dir)) {
    const name = entry.name.replace(/\.ts$/, "");
    if (!entry.isFile || name === entry.name || name === "protocol") continue;
    if (name.startsWith("_") || name.endsWith("_test")) continue;
    entries[`workers/${name}`] = `${dir}/${entry.name}`;
  }
  return entries;
}

/**
 * Appends the module script that hydrates the islands `used` on this page,
 * and announces its whole static module graph in the head, so the browser
 * fetches every module at once rather than import by import.
 */
function withHydration(
  html: string,
  used: string[],
  staticImports: ReadonlyMap<string, string[]>,
): string {
  if (used.length === 0) return html;
  const imports = used.map((name, index) => `import i${index} from "${BUNDLE_PREFIX}/${name}.js";`);
  const table = used.map((name, index) => `${name}:i${index}`).join(",");
  const script = `<script type="module">import{revive}from"${BUNDLE_PREFIX}/${RUNTIME_ENTRY}.js";` +
    `${imports.join("")}revive({${table}});</script>`;
  const graph = new Set([RUNTIME_ENTRY, ...used].flatMap((name) => staticImports.get(name) ?? []));
  const preloads = [...graph].map((url) => `<link rel="modulepreload" href="${url}">`).join("");
  return insertBefore(insertBefore(html, "</head>", preloads), "</body>", script);
}

/** Puts `text` before the first `marker` in `html`, or at its end when there is none. */
function insertBefore(html: string, marker: string, text: string): string {
  const at = html.indexOf(marker);
  return at < 0 ? html + text : html.slice(0, at) + text + html.slice(at);
}

function toUrl(path: string): string {
  return new URL(`file://${path}`).href;
}
