/**
 * A funded dev subnet on a chopsticks chain (shared/reference/chain.md
 * §3.2): dev accounts funded and //Alice made sudo through chopsticks'
 * `dev_setStorage`, a subnet registered by //Alice, its hyperparameters set
 * for quick tests (no rate limits, a short tempo, commit-reveal off unless
 * asked), each dev key burned-registered as its own coldkey and hotkey, and
 * stake on the owner so it gets a validator permit at the first epoch.
 *
 * The calls adapt to the runtime's metadata: `register_network` and
 * `add_stake` gained arguments with dynamic TAO, and admin setters missing
 * from a runtime are skipped.
 *
 * @module
 */
import type { ApiPromise } from "@polkadot/api";
import { WsProvider } from "@polkadot/api";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { BN, hexToU8a } from "@polkadot/util";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { ChainError } from "@/engine/chain/chain_error.ts";
import { chainErrorFromDispatch } from "@/server/chain/subtensor_errors.ts";
import { type Inclusion, TransactionSender } from "@/server/chain/transaction_sender.ts";

/** Free balance given to each dev account, rao (10⁹ TAO). */
const DEV_BALANCE = 10n ** 18n;
/** Total issuance set with it: without one, staking underflows (chain.md §3.2). */
const DEV_TOTAL_ISSUANCE = 10n ** 19n;
/** Stake the owner puts on its hotkey, rao (1000 TAO). */
const OWNER_STAKE = 10n ** 12n;

export interface DevSubnetOptions {
  /** Dev URIs registered as neurons, the first one the owner and sudo. */
  neurons?: readonly string[];
  /** Blocks per epoch; short so permits and reveals come quickly. */
  tempo?: number;
  commitReveal?: boolean;
  log?: (line: string) => void;
}

export interface DevSubnet {
  netuid: number;
  /** The key pairs of `neurons`, in order; UIDs follow registration order. */
  neurons: KeyringPair[];
}

/** The dev accounts `deno task chain:local` and the chopsticks test use. */
export const DEV_NEURONS = ["//Alice", "//Bob", "//Charlie", "//Dave"] as const;

/** Sets up the dev subnet on the chopsticks chain at `url`, reached through `api`. */
export async function createDevSubnet(
  api: ApiPromise,
  url: string,
  { neurons = DEV_NEURONS, tempo = 3, commitReveal = false, log = () => {} }: DevSubnetOptions = {},
): Promise<DevSubnet> {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  const pairs = neurons.map((uri) => keyring.addFromUri(uri));
  const [owner] = pairs;
  const dev = await devRpc(url);
  const sender = TransactionSender.for(api);
  try {
    await dev.send("dev_setStorage", [{
      System: {
        Account: pairs.map((pair) => [[pair.address], {
          providers: 1,
          data: { free: DEV_BALANCE.toString() },
        }]),
      },
      Sudo: { Key: owner.address },
      Balances: { TotalIssuance: DEV_TOTAL_ISSUANCE.toString() },
    }]);
    const sudo = (method: string, ...args: unknown[]) =>
      sudoAdmin(api, sender, owner, method, args, log);
    await sudo("sudoSetNetworkRateLimit", 0);
    await sudo("sudoSetTxRateLimit", 0);

    const registerNetwork = api.tx.subtensorModule.registerNetwork;
    const registered = await sender.send(
      owner,
      registerNetwork.meta.args.length === 0 ? registerNetwork() : registerNetwork(owner.address),
      "register a subnet",
    );
    const added = registered.events.find((event) => event.method === "NetworkAdded");
    if (!added) throw new Error("Cannot register a subnet: no NetworkAdded event");
    const netuid = Number((added.data as unknown[])[0]);
    log(`Registered subnet ${netuid}`);

    await sudo("sudoSetWeightsSetRateLimit", netuid, 0);
    await sudo("sudoSetMinAllowedWeights", netuid, 1);
    await sudo("sudoSetTempo", netuid, tempo);
    await sudo("sudoSetNetworkRegistrationAllowed", netuid, true);
    await sudo("sudoSetMaxRegistrationsPerBlock", netuid, 64);
    await sudo("sudoSetTargetRegistrationsPerInterval", netuid, 64);
    await sudo("sudoSetServingRateLimit", netuid, 0);
    await sudo("sudoSetCommitRevealWeightsEnabled", netuid, commitReveal);

    for (const pair of pairs) {
      try {
        await sender.send(
          pair,
          api.tx.subtensorModule.burnedRegister(netuid, pair.address),
          `register ${pair.address}`,
        );
      } catch (error) {
        // Dynamic-TAO runtimes register the owner's hotkey with the subnet.
        if ((error as ChainError).rule !== "HotKeyAlreadyRegisteredInSubNet") throw error;
      }
    }
    const addStake = api.tx.subtensorModule.addStake;
    await sender.send(
      owner,
      addStake.meta.args.length === 2
        ? addStake(owner.address, OWNER_STAKE)
        : addStake(owner.address, netuid, OWNER_STAKE),
      "stake",
    );
    await dev.send("dev_newBlock", [{ count: tempo + 2 }]);
    log(`Registered ${pairs.length} neurons on subnet ${netuid}; owner ${owner.address} staked`);
    return { netuid, neurons: pairs };
  } finally {
    await dev.disconnect();
  }
}

/** Turns commit-reveal on or off for `netuid` (sudo; `sudoKey` is the dev subnet's owner). */
export async function setCommitReveal(
  api: ApiPromise,
  sudoKey: KeyringPair,
  netuid: number,
  enabled: boolean,
): Promise<void> {
  await sudoAdmin(
    api,
    TransactionSender.for(api),
    sudoKey,
    "sudoSetCommitRevealWeightsEnabled",
    [netuid, enabled],
    () => {},
  );
}

/** Builds `count` empty blocks on the chopsticks chain at `url`. */
export async function newBlocks(url: string, count: number): Promise<void> {
  const dev = await devRpc(url);
  try {
    await dev.send("dev_newBlock", [{ count }]);
  } finally {
    await dev.disconnect();
  }
}

/** A raw JSON-RPC connection for chopsticks' `dev_*` methods. */
async function devRpc(url: string): Promise<WsProvider> {
  const provider = new WsProvider(url, false);
  await provider.connect();
  await provider.isReady;
  return provider;
}

/**
 * `sudo(AdminUtils.<method>(…args))`, or the method in SubtensorModule on
 * runtimes that kept admin calls there; skipped when neither has it. A
 * failed inner call is reported in `Sudid`, not as a dispatch error.
 */
async function sudoAdmin(
  api: ApiPromise,
  sender: TransactionSender,
  sudoKey: KeyringPair,
  method: string,
  args: unknown[],
  log: (line: string) => void,
): Promise<void> {
  const call = api.tx.adminUtils?.[method] ?? api.tx.subtensorModule[method];
  if (!call) {
    log(`Skipped ${method}: not in this runtime`);
    return;
  }
  const included: Inclusion = await sender.send(sudoKey, api.tx.sudo.sudo(call(...args)), method);
  const sudid = included.events.find((event) => event.method === "Sudid");
  const result = (sudid?.data as [Record<string, unknown>] | undefined)?.[0];
  if (result && "err" in result) {
    const module = (result.err as { module?: { index: number; error: string } }).module;
    if (module) {
      const { section, name, docs } = api.registry.findMetaError({
        index: new BN(module.index),
        error: hexToU8a(module.error),
      });
      throw chainErrorFromDispatch(method, { section, name, docs });
    }
    throw new ChainError("SudoFailed", `Cannot ${method}: ${JSON.stringify(result.err)}`);
  }
}
