/**
 * A subtensor chain in this process for tests and manual runs: chopsticks
 * (@acala-network/chopsticks) in genesis mode, running the runtime embedded
 * in a raw chain spec on 127.0.0.1 with one block per transaction
 * (shared/reference/chain.md §3.2, §3.3). No node binary, no network.
 *
 * Chopsticks is imported only when a chain is started, from a computed
 * specifier, so type checks and ordinary test runs never download it.
 *
 * @module
 */

/** The chopsticks release chain.md §3 verified with subtensor and Deno. */
export const CHOPSTICKS_PACKAGE = "npm:@acala-network/chopsticks@1.5.1";
/** Storage key of the runtime wasm (`:code`) in a raw spec. */
const CODE_KEY = "0x3a636f6465";

/** What this module uses of chopsticks' `setupWithServer` result. */
interface ChopsticksServer {
  /** "127.0.0.1:PORT" */
  addr: string;
  chain: { head: { number: number }; newBlock(): Promise<unknown> };
  close(): Promise<void>;
}

interface ChopsticksModule {
  setupWithServer(config: Record<string, unknown>): Promise<ChopsticksServer>;
}

export interface LocalSubtensor {
  /** ws://127.0.0.1:PORT */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Reads and checks a raw chain spec; throws naming the file and what is
 * wrong (missing, not JSON, or no runtime in `genesis.raw.top`).
 */
export async function readChainSpec(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new Error(`Cannot read chain spec "${path}": ${(error as Error).message}`);
  }
  let spec: { genesis?: { raw?: { top?: Record<string, unknown> } } };
  try {
    spec = JSON.parse(text);
  } catch (error) {
    throw new Error(`Cannot read chain spec "${path}": not JSON (${(error as Error).message})`);
  }
  if (typeof spec?.genesis?.raw?.top?.[CODE_KEY] !== "string") {
    throw new Error(
      `Cannot use chain spec "${path}": it has no runtime (genesis.raw.top lacks :code); ` +
        "export it with `build-spec --raw`",
    );
  }
  return spec as Record<string, unknown>;
}

/** A free TCP port on 127.0.0.1. */
export function freeLoopbackPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/**
 * Starts chopsticks on 127.0.0.1 with the runtime of the raw spec at
 * `specPath` (`port` 0 or absent: a free one). Blocks are built per
 * transaction (`Instant`); `dev_newBlock` builds empty ones.
 */
export async function startChopsticks(
  specPath: string,
  { port = 0 }: { port?: number } = {},
): Promise<LocalSubtensor> {
  const genesis = await readChainSpec(specPath);
  const listenPort = port === 0 ? freeLoopbackPort() : port;
  const specifier = CHOPSTICKS_PACKAGE;
  const chopsticks = await import(specifier) as ChopsticksModule;
  const server = await chopsticks.setupWithServer({
    genesis,
    host: "127.0.0.1",
    port: listenPort,
    "build-block-mode": "Instant",
  });
  // About one start in five fails to build block #1 ("Timestamp slot must
  // match CurrentSlot") and stays at #0, where extrinsics fail with
  // badProof; building another block fixes it (chain.md §3.2).
  if (server.chain.head.number === 0) await server.chain.newBlock();
  return {
    url: `ws://${server.addr}`,
    port: Number(server.addr.split(":").pop()),
    close: () => server.close(),
  };
}
