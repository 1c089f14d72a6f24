/**
 * Types WGSL source imported as text (`import code from "./x.wgsl" with
 * { type: "text" }`) for the browser type check (tsconfig.json); Deno and
 * esbuild type and load such imports natively.
 */
declare module "*.wgsl" {
  const code: string;
  export default code;
}
