/**
 * A browser wallet for Playwright tests: the `window.injectedWeb3` that
 * polkadot{.js} provides, injected by an init script, its keys held in the
 * test process (@polkadot/keyring) and signing for real (signRaw wraps the
 * bytes in <Bytes> as the extension does; shared/reference/chain.md §4).
 *
 * `signPayload` (extrinsics) signs the payload's call bytes (`method`) with
 * the account's key: the test process has no chain metadata to encode the
 * whole `ExtrinsicPayload` as a real extension does, so only a chain
 * stand-in that checks this signature over `method` accepts it.
 *
 * @module
 */
import type { KeyringPair } from "@polkadot/keyring/types";
import { hexToU8a, u8aToHex, u8aWrapBytes } from "@polkadot/util";
import type { Page } from "playwright-core";

/** What the page's `signPayload` sends to the test process (a SignerPayloadJSON's fields). */
export interface SignedPayload {
  address: string;
  /** The call's SCALE bytes, 0x-hex. */
  method: string;
}

/**
 * Installs a test wallet in every page of the context: `accounts` and a
 * signer whose signRaw and signPayload call back into this process, counted
 * in `signed` (session grants) and listed in `payloads` (extrinsics).
 */
export async function injectTestWallet(
  page: Page,
  accounts: readonly KeyringPair[],
): Promise<{ signed: () => number; payloads: () => readonly SignedPayload[] }> {
  let signed = 0;
  const payloads: SignedPayload[] = [];
  const account = (address: string) => {
    const pair = accounts.find((candidate) => candidate.address === address);
    if (pair === undefined) throw new Error(`The test wallet holds no account ${address}`);
    return pair;
  };
  await page.context().exposeFunction(
    "__marketforgeSignRaw",
    (address: string, data: string) => {
      const pair = account(address);
      signed++;
      return u8aToHex(pair.sign(u8aWrapBytes(hexToU8a(data))));
    },
  );
  await page.context().exposeFunction(
    "__marketforgeSignPayload",
    (address: string, method: string) => {
      const pair = account(address);
      payloads.push({ address, method });
      return u8aToHex(pair.sign(hexToU8a(method)));
    },
  );
  const list = accounts.map((pair) => ({ address: pair.address, name: pair.meta.name }));
  await page.context().addInitScript((injected) => {
    let id = 0;
    const wallet = globalThis as unknown as {
      __marketforgeSignRaw(address: string, data: string): Promise<string>;
      __marketforgeSignPayload(address: string, method: string): Promise<string>;
    };
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
          signature: await wallet.__marketforgeSignRaw(address, data),
        }),
        signPayload: async ({ address, method }: { address: string; method: string }) => ({
          id: ++id,
          signature: await wallet.__marketforgeSignPayload(address, method),
        }),
      },
    };
    (globalThis as unknown as { injectedWeb3: unknown }).injectedWeb3 = {
      "polkadot-js": { version: "0.0.0-test", enable: () => Promise.resolve(api) },
    };
  }, list);
  return { signed: () => signed, payloads: () => payloads };
}
