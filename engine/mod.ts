/**
 * Browser-safe engine code shared by the server, workers and islands: the
 * exchange vocabulary, the `Simulator` interface and its WebAssembly
 * backend. The FFI backend (simulator_ffi.ts) is Deno-only and imported
 * directly.
 *
 * @module
 */
export * from "@/engine/book_records.ts";
export * from "@/engine/book_view.ts";
export type { Engine, Simulator, StepOutput } from "@/engine/simulator.ts";
export { WasmSimulator } from "@/engine/simulator_wasm.ts";
