/**
 * Opens the validator's Deno KV store: a SQLite file under the data folder,
 * or a KV Connect URL when MARKETFORGE_KV_URL is set.
 *
 * @module
 */

/** Opens (creating the folder if needed) the store under `dataDir`. */
export async function openStore(dataDir: string): Promise<Deno.Kv> {
  const remote = Deno.env.get("MARKETFORGE_KV_URL");
  if (remote) return await Deno.openKv(remote);
  await Deno.mkdir(dataDir, { recursive: true });
  return await Deno.openKv(`${dataDir}/marketforge.kv`);
}
