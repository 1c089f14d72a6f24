import type { PageProps } from "@/server/fresh_lite/mod.ts";
import type { AppContext } from "@/server/web_context.ts";
import BrowserMiner, { type ExampleAgent } from "@/islands/BrowserMiner.tsx";
import CopyCommand from "@/islands/CopyCommand.tsx";
import MinerStatus, { type ConnectedMinerFigures } from "@/islands/MinerStatus.tsx";
import ThemeToggle from "@/islands/ThemeToggle.tsx";
import type { BookConfig } from "@/engine/book_records.ts";
import type { SimulationConfig } from "@/engine/protocol/state_update.ts";
import { EXAMPLE_AGENT, EXAMPLE_AGENT_FILE } from "@/routes/_example_agent.ts";
import { publicChainNode } from "@/server/chain/public_chain_node.ts";
import { repoPath } from "@/server/paths.ts";
import { simulationConfig } from "@/server/validator_loop.ts";

export const title = "Mine — Marketforge";

/** Agents of engine/agents/ by [file name, display name, parameter lines], with their sources. */
function agentsOf(entries: string[][]): Promise<ExampleAgent[]> {
  return Promise.all(entries.map(async ([id, name, params]) => ({
    id,
    name: `${name} (engine/agents/${id}.ts)`,
    source: await Deno.readTextFile(repoPath(`engine/agents/${id}.ts`)),
    params,
  })));
}

/** The example agents the console offers: the page's own, then engine/agents/. */
const EXAMPLES: ExampleAgent[] = [
  {
    id: "join_the_touch",
    name: `Join the touch (${EXAMPLE_AGENT_FILE})`,
    source: EXAMPLE_AGENT,
    params: "volume=0.5\nexpirySeconds=10",
  },
  ...await agentsOf([
    ["random_maker", "Random maker", "volume=0.5\nmaxTicks=3\nexpirySeconds=60"],
    ["random_taker", "Random taker", "volume=0.5\nprobability=0.5"],
    ["imbalance", "Order-book imbalance", "volume=0.5"],
    ["online_regression", "Online ridge regression", "volume=0.5"],
  ]),
];

/** The forecast agents a live tab may answer the forecast pool with (issue 10). */
const FORECASTERS = await agentsOf([
  ["forecast_smoothing", "Damped-trend smoothing", ""],
  ["forecast_ridge", "Ridge regression on indicators", "lags=5\nlambda=10"],
  ["forecast_mlp", "SwiGLU MLP trained with AdamW", "hidden=16\nepochs=300"],
  ["forecast_naive", "Naive: last close", ""],
]);

interface MinerPageData {
  /** The gateway as this page's visitor reaches the validator. */
  gatewayUrl: string;
  chain: "local" | "subtensor";
  miners: ConnectedMinerFigures[];
  books: BookConfig[];
  config: SimulationConfig;
  /** The validator's simulation settings, for the tab's offline market. */
  simConfig: unknown;
  /** The GenTRX training pool and where its pages are (islands/BrowserMiner.tsx). */
  gentrx: "off" | "folder" | "s3";
  /** The subnet on subtensor, so the tab need not ask for it. */
  netuid?: number;
  /** The validator's subtensor node, only when a remote browser can dial it (publicChainNode). */
  chainNode?: string;
}

export function load(c: AppContext): MinerPageData {
  const { protocol, host } = new URL(c.req.url);
  const { gateway, chain, market } = c.var.services;
  return {
    gatewayUrl: `${protocol === "https:" ? "wss:" : "ws:"}//${host}/api/miner/ws`,
    chain: chain.kind,
    // Not the remote addresses: the page embeds its props.
    miners: gateway.miners.map(({ uid, hotkey, acceptedFrames, refusedFrames }) => ({
      uid,
      hotkey,
      acceptedFrames,
      refusedFrames,
    })),
    books: [...market.bookConfigs],
    config: simulationConfig(market.bookConfigs),
    simConfig: c.var.services.simConfig ?? {},
    gentrx: c.var.services.gentrxBucket ?? "off",
    netuid: chain.netuid,
    chainNode: publicChainNode(chain.nodeUrl),
  };
}

const AGENT = `./${EXAMPLE_AGENT_FILE}`;

/** Mining on this validator: from this tab (the console), or headless. */
export default function MinerPage({ data }: PageProps<MinerPageData>) {
  const { gatewayUrl, chain } = data;
  /** The headless miner with these hotkey flags, one flag group per line. */
  const miner = (hotkey: string) =>
    `deno task miner -- --agent ${AGENT} --param volume=0.5 \\\n  ${hotkey} \\\n  --validator ${gatewayUrl}`;
  return (
    <section class="guide">
      <div class="page-head">
        <h1>Mine on this validator</h1>
        <ThemeToggle />
      </div>
      <p class="lede">
        A miner is a trading agent. Each simulated second this validator sends it the books and its
        own accounts; the agent answers with orders before the deadline, and its fills are scored on
        risk-adjusted PnL (see the{" "}
        <a href="/leaderboard">leaderboard</a>). Mine from this tab: connect a wallet, pick or write
        an agent, try it offline in the tab's WebAssembly market, then go live. The agent runs in a
        web worker and dials out over a WebSocket, so no open port is needed.
      </p>
      <noscript>
        <p class="notice">
          Mining from the tab needs JavaScript; the headless commands below do not.
        </p>
      </noscript>

      <BrowserMiner
        gatewayUrl={gatewayUrl}
        chain={chain}
        examples={EXAMPLES}
        forecasters={FORECASTERS}
        books={data.books}
        config={data.config}
        simConfig={data.simConfig}
        wasmUrl="/wasm/marketforge.wasm"
        gentrx={data.gentrx}
        netuid={data.netuid}
        chainNode={data.chainNode}
      />

      <h2 class="section-title">Miners connected now</h2>
      <MinerStatus initial={data.miners} />
      <p class="muted">
        Fills, PnL and scores of every miner are on the{" "}
        <a href="/leaderboard">leaderboard</a>, and each miner's on its own page (<code>
          /miners/UID
        </code>).
      </p>

      <h2 class="section-title">Mine headless</h2>
      <p>
        The same agents run headless in a Marketforge checkout with Deno on the PATH (README, “For
        developers”). An agent module default-exports a factory <code>(context) =&gt; Agent</code>
        {" "}
        (<code>engine/agent/agent.ts</code>). Its <code>respond(state, orders)</code>{" "}
        runs once per simulated second: <code>state.books</code>{" "}
        holds every book's 21 price levels and the step's events, <code>state.accounts</code>{" "}
        your balances and open orders by book. Build the answer with <code>orders.limit</code>,{" "}
        <code>orders.market</code>, <code>orders.cancel</code> and{" "}
        <code>orders.close</code>; hooks such as <code>onTrade</code> and <code>onRejected</code>
        {" "}
        hear about your orders.
      </p>
      <CopyCommand label="This validator's gateway" code={gatewayUrl} />
      <CopyCommand
        label="Run the sandbox (the native background market, offline)"
        code={`deno task sandbox -- --agent ${AGENT} --param volume=0.5 --steps 600`}
      />
      {chain === "local"
        ? (
          <CopyCommand
            label="Mine with a dev key (this validator runs a local network)"
            code={miner("--uri //MyMiner --register")}
          />
        )
        : (
          <p>
            Register your hotkey on the subnet first (<code>btcli subnet register</code>); the
            validator accepts hotkeys that hold a UID in the metagraph.
          </p>
        )}
      <CopyCommand
        label="Mine with a btcli wallet"
        code={miner("--wallet default --hotkey default")}
      />
    </section>
  );
}
