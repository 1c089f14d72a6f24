/**
 * Browser-safe engine code shared by the server, workers and islands. The
 * FFI backend (simulator_ffi.ts) is Deno-only and imported directly.
 *
 * @module
 */
export * from "@/engine/book_records.ts";
export * from "@/engine/book_view.ts";
export * from "@/engine/noise_trader.ts";
export type { Simulator } from "@/engine/simulator.ts";
