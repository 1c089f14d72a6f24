import { equal, rejects } from "node:assert/strict";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady, mnemonicGenerate } from "@polkadot/util-crypto";
import { loadHotkey } from "@/server/miner/hotkey.ts";

await cryptoWaitReady();

Deno.test("a btcli hotkey file in a wallet folder loads, and its address is checked", async () => {
  const root = await Deno.makeTempDir();
  try {
    const mnemonic = mnemonicGenerate();
    const address = new Keyring({ type: "sr25519" }).addFromUri(mnemonic).address;
    await Deno.mkdir(`${root}/miner/hotkeys`, { recursive: true });
    await Deno.writeTextFile(
      `${root}/miner/hotkeys/default`,
      JSON.stringify({ secretPhrase: mnemonic, ss58Address: address }),
    );
    const pair = await loadHotkey({ walletPath: root, wallet: "miner", hotkey: "default" });
    equal(pair.address, address);

    await Deno.writeTextFile(
      `${root}/miner/hotkeys/wrong`,
      JSON.stringify({ secretPhrase: mnemonic, ss58Address: "5Other" }),
    );
    await rejects(loadHotkey({ walletPath: root, wallet: "miner", hotkey: "wrong" }), /not 5Other/);
    await Deno.writeTextFile(
      `${root}/miner/hotkeys/locked`,
      JSON.stringify({ ss58Address: address }),
    );
    await rejects(
      loadHotkey({ walletPath: root, wallet: "miner", hotkey: "locked" }),
      /no secretPhrase or secretSeed/,
    );
    await rejects(
      loadHotkey({ walletPath: root, wallet: "miner", hotkey: "absent" }),
      /Cannot load hotkey/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a dev URI or mnemonic loads directly; nothing at all is a clear error", async () => {
  equal(
    (await loadHotkey({ uri: "//Bob" })).address,
    "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty",
  );
  await rejects(loadHotkey({}), /give --mnemonic \(or --uri\), or --wallet and --hotkey/);
});
