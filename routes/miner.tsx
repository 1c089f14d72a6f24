import type { PageProps } from "@/server/fresh_lite/mod.ts";
import type { AppContext } from "@/server/web_context.ts";
import CopyCommand from "@/islands/CopyCommand.tsx";
import MinerStatus, { type ConnectedMinerFigures } from "@/islands/MinerStatus.tsx";
import ThemeToggle from "@/islands/ThemeToggle.tsx";
import { ThemeScript } from "@/islands/_theme_script.tsx";
import { EXAMPLE_AGENT, EXAMPLE_AGENT_FILE } from "@/routes/_example_agent.ts";

export const title = "Mine — Marketforge";

interface MinerPageData {
  /** The gateway as this page's visitor reaches the validator. */
  gatewayUrl: string;
  chain: "local" | "subtensor";
  miners: ConnectedMinerFigures[];
}

export function load(c: AppContext): MinerPageData {
  const { protocol, host } = new URL(c.req.url);
  const { gateway, chain } = c.var.services;
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
  };
}

const AGENT = `./${EXAMPLE_AGENT_FILE}`;

/** How to mine on this validator: the agent interface, the sandbox, the headless miner. */
export default function MinerPage({ data }: PageProps<MinerPageData>) {
  const { gatewayUrl, chain } = data;
  /** The headless miner with these hotkey flags, one flag group per line. */
  const miner = (hotkey: string) =>
    `deno task miner -- --agent ${AGENT} --param volume=0.5 \\\n  ${hotkey} \\\n  --validator ${gatewayUrl}`;
  return (
    <section class="guide">
      <ThemeScript />
      <div class="page-head">
        <h1>Mine on this validator</h1>
        <ThemeToggle />
      </div>
      <p class="lede">
        A miner is a trading agent. Each simulated second this validator sends it the books and its
        own accounts; the agent answers with orders before the deadline, and its fills are scored on
        risk-adjusted PnL (see the{" "}
        <a href="/leaderboard">leaderboard</a>). Miners dial out over a WebSocket, so no open port
        is needed.
      </p>
      <aside class="notice" aria-label="Coming soon">
        <strong>Mining from this browser tab is coming.</strong>{" "}
        Connecting a wallet (polkadot-js, Talisman, SubWallet), writing an agent in the page and
        testing it offline in the tab are not built yet. Until then, mine headless with the commands
        below.
      </aside>

      <h2 class="section-title">This validator's gateway</h2>
      <CopyCommand label="Gateway URL" code={gatewayUrl} />

      <h2 class="section-title">1. Write an agent</h2>
      <p>
        An agent module default-exports a factory <code>(context) =&gt; Agent</code>{" "}
        (<code>engine/agent/agent.ts</code>). Its <code>respond(state, orders)</code>{" "}
        runs once per simulated second: <code>state.books</code>{" "}
        holds every book's 21 price levels and the step's events, <code>state.accounts</code>{" "}
        your balances and open orders by book. Build the answer with <code>orders.limit</code>,{" "}
        <code>orders.market</code>, <code>orders.cancel</code> and{" "}
        <code>orders.close</code>; hooks such as <code>onTrade</code> and <code>onRejected</code>
        {" "}
        hear about your orders. More examples are in <code>engine/agents/</code>.
      </p>
      <CopyCommand label={EXAMPLE_AGENT_FILE} code={EXAMPLE_AGENT} />

      <h2 class="section-title">2. Try it offline</h2>
      <p>
        The sandbox runs the background market on your machine with your agent in the validator loop
        (no chain, throwaway state) and prints its fills, realised PnL and balances per book. Run it
        in a Marketforge checkout with Deno on the PATH (README, “For developers”).
      </p>
      <CopyCommand
        label="Run the sandbox"
        code={`deno task sandbox -- --agent ${AGENT} --param volume=0.5 --steps 600`}
      />

      <h2 class="section-title">3. Mine</h2>
      {chain === "local"
        ? (
          <>
            <p>
              This validator runs a local network: a dev key registers itself with{" "}
              <code>--register</code>.
            </p>
            <CopyCommand
              label="Mine with a dev key"
              code={miner("--uri //MyMiner --register")}
            />
          </>
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

      <h2 class="section-title">Miners connected now</h2>
      <MinerStatus initial={data.miners} />
      <p class="muted">
        Fills, PnL, scores and latency of every miner are on the{" "}
        <a href="/validator">validator dashboard</a>.
      </p>
    </section>
  );
}
