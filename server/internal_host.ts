/**
 * Whether a host is this machine or a private network's, from its name or
 * address literal alone (no DNS): what a validator must not fetch for a
 * stranger (server/gentrx/miner_bucket_policy.ts), what it must not hand a
 * remote browser as a place to dial (server/chain/public_chain_node.ts),
 * and whether it listens where only this machine can reach it (the
 * generated operator key, /gentrx without an API key).
 *
 * Hosts are lowercase, as `URL.hostname` or `--hostname` gives them; IPv6
 * literals may come with or without brackets for the loopback check.
 *
 * @module
 */

/** localhost (and *.localhost), 127.0.0.0/8 or ::1 (also `[::1]`). */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" ||
    host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** localhost, or an IPv4/IPv6 literal in a loopback, private, link-local, CGNAT or unspecified range. */
export function isInternalHost(host: string): boolean {
  if (isLoopbackHost(host)) return true;
  const v4 = host.match(/^(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || (a === 100 && b >= 64 && b < 128) ||
      (a === 169 && b === 254) || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168);
  }
  if (host.includes(":")) {
    // IPv4-mapped (::ffff:a.b.c.d, which URL writes as ::ffff:hhhh:hhhh).
    const mapped = host.match(/^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/);
    if (mapped) {
      const [high, low] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
      return isInternalHost(`${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`);
    }
    return host === "::" || /^f[cd]/.test(host) || /^fe[89ab]/.test(host);
  }
  return false;
}
