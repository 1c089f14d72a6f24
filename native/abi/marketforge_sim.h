/* The C ABI of the background market (native/sim/): a whole simulation of
 * many books in blocks, stepped on a thread pool. Native only — it uses
 * threads, so the WebAssembly module carries just the engine
 * (abi/marketforge.h, whose status codes and records this file shares).
 *
 * Settings travel as one array of doubles in the order of the settings
 * table, which the library publishes (mf_sim_param_*) so callers build and
 * validate configs from the same table the simulator uses.
 */
#ifndef MARKETFORGE_ABI_MARKETFORGE_SIM_H_
#define MARKETFORGE_ABI_MARKETFORGE_SIM_H_

#include <stdint.h>

#include "abi/marketforge.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mf_sim mf_sim;

/* The settings table: count, and for each index its "group.field" name, a
 * one-line doc, and limits[4] = {default, min, max, 1 if whole numbers}. */
MF_EXPORT uint32_t mf_sim_param_count(void);
MF_EXPORT const char* mf_sim_param_name(uint32_t index);
MF_EXPORT const char* mf_sim_param_doc(uint32_t index);
MF_EXPORT int32_t mf_sim_param_limits(uint32_t index, double* limits);

/* A new simulation at t = 0 with its books seeded. On error returns null,
 * `*status` = MF_ERR_INVALID_ARGUMENT and why in `error`, naming the
 * setting and its limit ("stylized.count: 100001 is above the maximum
 * 100000"). */
MF_EXPORT mf_sim* mf_sim_create(const double* values, uint32_t count, int32_t* status,
                                char* error, uint32_t error_capacity);
MF_EXPORT void mf_sim_destroy(mf_sim* sim);
MF_EXPORT uint32_t mf_sim_book_count(const mf_sim* sim);
MF_EXPORT int64_t mf_sim_now(const mf_sim* sim);

/* Runs `seconds` simulated seconds. Output accumulates until read. */
MF_EXPORT int32_t mf_sim_step(mf_sim* sim, uint32_t seconds);

/* Unread L3 events (every agent) and notices (remote agents only), global
 * book ids; read drains up to `capacity` Records into `out`. */
MF_EXPORT uint32_t mf_sim_pending_events(const mf_sim* sim);
MF_EXPORT uint32_t mf_sim_pending_notices(const mf_sim* sim);
MF_EXPORT int32_t mf_sim_read_events(mf_sim* sim, void* out, uint32_t capacity,
                                     uint32_t* written);
MF_EXPORT int32_t mf_sim_read_notices(mf_sim* sim, void* out, uint32_t capacity,
                                      uint32_t* written);

/* Each book's mid price (quote) after the last step, NaN when a side is
 * empty; `capacity` must hold mf_sim_book_count values. */
MF_EXPORT int32_t mf_sim_mids(const mf_sim* sim, double* out, uint32_t capacity);

/* Each book's fundamental price (quote) now; `capacity` must hold
 * mf_sim_book_count values. */
MF_EXPORT int32_t mf_sim_fundamentals(const mf_sim* sim, double* out, uint32_t capacity);

/* Work done so far: out[0] agent wake-ups, out[1] exchange messages
 * delivered, out[2] fills. */
MF_EXPORT int32_t mf_sim_counters(const mf_sim* sim, uint64_t* out);

/* Remote agents (ids 0 .. remote_agents − 1; τaos miners). Instruction
 * records as for mf_engine_submit, with global book ids. */
MF_EXPORT int32_t mf_sim_submit(mf_sim* sim, const void* instructions, uint32_t count,
                                char* error, uint32_t error_capacity);
/* Opens (agent, book)'s account if needed and adds to its free balances,
 * for callers that fund remote agents themselves. */
MF_EXPORT int32_t mf_sim_deposit(mf_sim* sim, int32_t agent_id, uint32_t book_id,
                                 int64_t base_lots, int64_t quote_units, char* error,
                                 uint32_t error_capacity);
/* mf_engine_reset_account for a remote agent on one book (global id). */
MF_EXPORT int32_t mf_sim_reset_account(mf_sim* sim, int32_t agent_id, uint32_t book_id,
                                       int64_t base_lots, int64_t quote_units, char* error,
                                       uint32_t error_capacity);
/* Fees collected (quote units) and the dynamic maker-taker ratio (ppb). */
MF_EXPORT int32_t mf_sim_book_ledger(const mf_sim* sim, uint32_t book_id, int64_t* fee_sink,
                                     int64_t* maker_taker_ratio);
/* τaos RESET_AGENT: cancels the agent's orders, closes its loans and
 * redraws its capital on every book. */
MF_EXPORT int32_t mf_sim_reset_agent(mf_sim* sim, int32_t agent_id, char* error,
                                     uint32_t error_capacity);
/* The external price the book's fundamental re-seeds from (τaos's
 * fundamental_seed.csv feed). */
MF_EXPORT int32_t mf_sim_set_external_price(mf_sim* sim, uint32_t book_id, double price);
MF_EXPORT int32_t mf_sim_account(const mf_sim* sim, int32_t agent_id, uint32_t book_id,
                                 void* out);
/* Every remote agent's AccountRecord; `*written` = their number, and
 * MF_ERR_BUFFER_TOO_SMALL (nothing written) when they exceed `capacity`. */
MF_EXPORT int32_t mf_sim_accounts(const mf_sim* sim, void* out, uint32_t capacity,
                                  uint32_t* written);
MF_EXPORT int32_t mf_sim_depth(const mf_sim* sim, uint32_t book_id, uint32_t max_levels,
                               uint32_t detailed_levels, void* out, uint32_t capacity,
                               uint32_t* written);
MF_EXPORT int32_t mf_sim_check(const mf_sim* sim, char* error, uint32_t error_capacity);

/* Checkpoint of the whole simulation (unread output excluded — drain it
 * first): begin builds it and says its size, read copies it out (once). */
MF_EXPORT int32_t mf_sim_checkpoint_begin(mf_sim* sim, uint32_t* size);
MF_EXPORT int32_t mf_sim_checkpoint_read(mf_sim* sim, void* out, uint32_t capacity);
MF_EXPORT mf_sim* mf_sim_restore(const void* bytes, uint32_t size, int32_t* status, char* error,
                                 uint32_t error_capacity);

#ifdef __cplusplus
}
#endif

#endif /* MARKETFORGE_ABI_MARKETFORGE_SIM_H_ */
