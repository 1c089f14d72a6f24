/**
 * The gradient server's HTTP surface, as τaos's `/gentrx` (taos.md §6.5), a
 * Hono app that can be served alone (τaos binds 127.0.0.1:8100) or mounted
 * under another app with `app.route("/gentrx", gentrxApp(...))`.
 *
 * | endpoint | reply |
 * |---|---|
 * | POST /state | msgpack tick → {status: accepted, duplicate or restarted} |
 * | POST /round | JSON {round, uids} → {round, assignments} (an open round is returned as it is) |
 * | GET /round?round | the round record and its assignments (latest when omitted) |
 * | GET /data-status | {max_ts, version, round, books {id: {parquets [[name, s, e]], max_ts}}} |
 * | GET /scores?since_round | 204, or the newest scored round after since_round |
 * | GET /health, /version | status; model version |
 * | GET /metrics | gentrx_* gauges (Prometheus text) |
 *
 * An `X-API-Key` is required on every request when a key is configured;
 * `serveGentrx` refuses to bind off loopback without one.
 *
 * @module
 */
import { decode } from "@msgpack/msgpack";
import { Hono } from "hono";
import type { GradientServer } from "@/server/gentrx/gradient_server.ts";
import type { GenTrxTick, TrainingData } from "@/server/gentrx/training_data.ts";
import { isLoopbackHost } from "@/server/internal_host.ts";

/** The largest tick body accepted (a τaos tick of 40 books is a few MB). */
export const MAX_TICK_BYTES = 32 * 1024 * 1024;
const PROTOCOL_VERSION = 1;

export interface GentrxAppOptions {
  server: GradientServer;
  data: TrainingData;
  apiKey?: string;
}

function sameKey(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function intParam(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (!/^-?\d{1,12}$/.test(raw)) {
    throw new RangeError(`Invalid ${name} "${raw}": expected an integer`);
  }
  return Number(raw);
}

export function gentrxApp(options: GentrxAppOptions): Hono {
  const { server, data } = options;
  const app = new Hono();
  app.use(async (c, next) => {
    if (options.apiKey && !sameKey(c.req.header("x-api-key") ?? "", options.apiKey)) {
      return c.json({ error: "Missing or wrong X-API-Key" }, 401);
    }
    await next();
  });
  app.onError((error, c) => {
    if (error instanceof RangeError || error instanceof SyntaxError) {
      return c.json({ error: error.message }, 400);
    }
    console.error(error);
    return c.json({ error: "Internal error" }, 500);
  });

  app.post("/state", async (c) => {
    const length = Number(c.req.header("content-length") ?? "0");
    if (length > MAX_TICK_BYTES) {
      return c.json({ error: `Tick is ${length} bytes: the limit is ${MAX_TICK_BYTES}` }, 413);
    }
    const body = new Uint8Array(await c.req.arrayBuffer());
    if (body.byteLength > MAX_TICK_BYTES) {
      return c.json(
        { error: `Tick is ${body.byteLength} bytes: the limit is ${MAX_TICK_BYTES}` },
        413,
      );
    }
    let tick: GenTrxTick;
    try {
      tick = decode(body) as GenTrxTick;
    } catch (error) {
      throw new RangeError(`Invalid GenTRX tick: not msgpack (${(error as Error).message})`);
    }
    return c.json({ status: await data.ingest(tick) });
  });

  app.post("/round", async (c) => {
    const body = await c.req.json() as { round?: unknown; uids?: unknown };
    const round = body.round;
    if (!(Number.isSafeInteger(round) && (round as number) >= 1)) {
      throw new RangeError(`Invalid round ${JSON.stringify(round)}: expected an integer ≥ 1`);
    }
    if (!Array.isArray(body.uids) || !body.uids.every((u) => Number.isInteger(u) && u >= 0)) {
      throw new RangeError("Invalid uids: expected an array of non-negative integers");
    }
    const assignments = await server.openRound(round as number, body.uids as number[]);
    return c.json({ round, assignments });
  });

  app.get("/round", async (c) => {
    const wanted = intParam(c.req.query("round"), "round");
    const record = wanted === undefined
      ? await server.rounds.latestRound()
      : await server.rounds.round(wanted);
    if (record === null) return c.json({ error: `No GenTRX round ${wanted ?? "yet"}` }, 404);
    return c.json({ ...record, assignments: await server.rounds.assignments(record.round) });
  });

  app.get("/data-status", async (c) => {
    const latest = await server.rounds.latestRound();
    return c.json({
      ...await data.dataStatus(),
      version: server.modelVersion,
      round: latest?.round ?? 0,
    });
  });

  app.get("/scores", async (c) => {
    const reply = await server.scores(intParam(c.req.query("since_round"), "since_round") ?? -1);
    return reply === null ? c.body(null, 204) : c.json(reply);
  });

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get(
    "/version",
    (c) => c.json({ model_version: server.modelVersion, protocol: PROTOCOL_VERSION }),
  );

  app.get("/metrics", async (c) => {
    const latest = await server.rounds.latestRound();
    const scores = await server.scores();
    const gauges: [string, string, number][] = [
      ["gentrx_model_version", "Published model version", server.modelVersion],
      ["gentrx_round", "Latest round opened", latest?.round ?? 0],
      ["gentrx_data_max_ts_ns", "Newest simulated time ingested", data.maxTimeNs],
      ["gentrx_pages_flushed_total", "Parquet pages written since start", data.pagesFlushed],
      ["gentrx_rows_built_total", "Training rows built since start", data.rowsBuilt],
      ["gentrx_last_scored_round", "Newest scored round", scores?.round ?? 0],
      [
        "gentrx_last_accepted",
        "Accepted uploads in the newest scored round",
        scores?.n_accepted ?? 0,
      ],
      ["gentrx_last_rejected", "Rejected or missing uploads in it", scores?.n_rejected ?? 0],
      [
        "gentrx_held_loss",
        "Held-out loss after the newest scored round",
        scores?.held_loss_after ?? NaN,
      ],
    ];
    const text = gauges.map(([name, help, value]) =>
      `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}\n`
    ).join("");
    return c.text(text, 200, { "content-type": "text/plain; version=0.0.4" });
  });
  return app;
}

/** Serves the app alone (τaos :8100); an API key is required off loopback. */
export function serveGentrx(
  options: GentrxAppOptions & { hostname?: string; port?: number },
): Deno.HttpServer<Deno.NetAddr> {
  const hostname = options.hostname ?? "127.0.0.1";
  if (!isLoopbackHost(hostname) && !options.apiKey) {
    throw new RangeError(
      `Cannot serve the gradient server on ${hostname}: an API key (GENTRX_API_KEY) is required off loopback`,
    );
  }
  return Deno.serve(
    { hostname, port: options.port ?? 8100, onListen: () => {} },
    gentrxApp(options).fetch,
  );
}
