/**
 * A browser wallet for Playwright tests: the `window.injectedWeb3` that
 * polkadot{.js} provides, injected by an init script, its keys held in the
 * test process (@polkadot/keyring) and signing for real (signRaw wraps the
 * bytes in <Bytes> as the extension does; shared/reference/chain.md §4).
 *
 * @module
 */
import type { KeyringPair } from "@polkadot/keyring/types";
import { hexToU8a, u8aToHex, u8aWrapBytes } from "@polkadot/util";
import type { Page } from "playwright-core";

/**
 * Installs a test wallet in every page of the context: `accounts` and a
 * signer whose signRaw calls back into this process, counted in `signed`.
 */
export async function injectTestWallet(
  page: Page,
  accounts: readonly KeyringPair[],
): Promise<{ signed: () => number }> {
  let signed = 0;
  await page.context().exposeFunction(
    "__marketforgeSignRaw",
    (address: string, data: string) => {
      const pair = accounts.find((account) => account.address === address);
      if (pair === undefined) throw new Error(`The test wallet holds no account ${address}`);
      signed++;
      return u8aToHex(pair.sign(u8aWrapBytes(hexToU8a(data))));
    },
  );
  const list = accounts.map((pair) => ({ address: pair.address, name: pair.meta.name }));
  await page.context().addInitScript((injected) => {
    let id = 0;
    const api = {
      accounts: {
        get: () => Promise.resolve(injected),
        subscribe: (callback: (list: typeof injected) => void) => {
          callback(injected);
          return () => {};
        },
      },
      signer: {
        signRaw: async ({ address, data }: { address: string; data: string }) => ({
          id: ++id,
          signature: await (globalThis as unknown as {
            __marketforgeSignRaw(address: string, data: string): Promise<string>;
          }).__marketforgeSignRaw(address, data),
        }),
      },
    };
    (globalThis as unknown as { injectedWeb3: unknown }).injectedWeb3 = {
      "polkadot-js": { version: "0.0.0-test", enable: () => Promise.resolve(api) },
    };
  }, list);
  return { signed: () => signed };
}
