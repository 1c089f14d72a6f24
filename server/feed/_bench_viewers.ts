/**
 * The viewers of feed_bench.ts, run as a separate process so they do not
 * share the server's event loop: opens `--viewers` WebSockets to `--url`,
 * each following one book's ladder, trades, ticker and 1-minute candles
 * (what a book page follows), and measures each frame's delivery latency:
 * arrival time minus the publish time `t` the server stamps on it. Prints
 * one JSON line with every latency measured, so the parent can merge
 * several viewer processes into one distribution.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { FEED_PROTOCOL_VERSION } from "@/engine/market_data/feed_messages.ts";

/** Connections opened at once while ramping up. */
const CONNECT_BATCH = 50;
/** Where a frame's first message carries its publish time. */
const TIME_FIELD = '"t":';

export interface ViewerReport {
  viewers: number;
  /** Delivery latency of every frame received while measuring, ms. */
  latenciesMs: number[];
  /** Viewers whose connection closed while measuring. */
  closedEarly: number;
}

/** Unix ms with sub-millisecond precision, comparable across processes. */
function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

async function run(
  url: string,
  viewers: number,
  books: number,
  warmupMs: number,
  measureMs: number,
) {
  const latencies: number[] = [];
  let measuring = false;
  let closedEarly = 0;
  const sockets: WebSocket[] = [];
  for (let start = 0; start < viewers; start += CONNECT_BATCH) {
    const batch = [];
    for (let index = start; index < Math.min(viewers, start + CONNECT_BATCH); index++) {
      const socket = new WebSocket(url);
      const book = index % books;
      sockets.push(socket);
      socket.onmessage = ({ data }) => {
        if (!measuring) return;
        const text = data as string;
        const at = text.indexOf(TIME_FIELD);
        if (at >= 0) {
          latencies.push(nowMs() - parseFloat(text.slice(at + TIME_FIELD.length, at + 40)));
        }
      };
      socket.onclose = () => measuring && closedEarly++;
      batch.push(
        new Promise<void>((resolve, reject) => {
          socket.onopen = () => {
            socket.send(JSON.stringify({
              v: FEED_PROTOCOL_VERSION,
              type: "subscribe",
              channels: [
                `book:${book}:ladder`,
                `book:${book}:trades`,
                `book:${book}:ticker`,
                `book:${book}:candles:1m`,
              ],
            }));
            resolve();
          };
          socket.onerror = () => reject(new Error(`Cannot connect viewer ${index} to ${url}`));
        }),
      );
    }
    await Promise.all(batch);
  }
  await new Promise((resolve) => setTimeout(resolve, warmupMs));
  measuring = true;
  await new Promise((resolve) => setTimeout(resolve, measureMs));
  measuring = false;
  for (const socket of sockets) socket.close();
  const report: ViewerReport = {
    viewers,
    latenciesMs: latencies.map((latency) => Math.round(latency * 100) / 100),
    closedEarly,
  };
  console.log(JSON.stringify(report));
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      url: { type: "string" },
      viewers: { type: "string", default: "1000" },
      books: { type: "string", default: "4" },
      "warmup-ms": { type: "string", default: "3000" },
      "measure-ms": { type: "string", default: "5000" },
    },
  });
  if (values.url === undefined) throw new Error("Missing --url: the feed's ws:// address");
  await run(
    values.url,
    Number(values.viewers),
    Number(values.books),
    Number(values["warmup-ms"]),
    Number(values["measure-ms"]),
  );
  Deno.exit(0);
}
