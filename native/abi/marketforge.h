/* The C ABI of the Marketforge simulation core: the only door into native/.
 *
 * An engine holds N books (each with its own mf BookConfig record), one
 * account per (agent, book), and a discrete-event scheduler in integer
 * nanoseconds (exchange/engine.h describes the exchange rules). Callers
 * submit instruction records with delays, step the clock, and drain two
 * record streams: L3 events (every agent) and per-agent notices.
 *
 * Every function returns a status code (or a plain value) and never lets a
 * C++ exception escape. Records are fixed-layout (exchange/records.h,
 * mirrored by engine/_book_layout.ts); they hold no pointers, and every size
 * and count is 32-bit, so the ABI is the same for a 64-bit shared library
 * and 32-bit WebAssembly. The caller owns every buffer; buffers need no
 * alignment. No callback crosses the boundary.
 */
#ifndef MARKETFORGE_ABI_MARKETFORGE_H_
#define MARKETFORGE_ABI_MARKETFORGE_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* `used` keeps every entry point in a WebAssembly build (emscripten exports
 * used, default-visibility functions), `visibility` exports it from the
 * shared library built with hidden visibility. */
#define MF_EXPORT __attribute__((used, visibility("default")))

/* Bumped whenever a record layout or a signature changes. */
#define MF_ABI_VERSION 2

typedef enum mf_status {
  MF_OK = 0,
  MF_ERR_NULL_ARGUMENT = -1,
  MF_ERR_OUT_OF_MEMORY = -2,
  MF_ERR_INTERNAL = -3,
  MF_ERR_INVALID_ARGUMENT = -4, /* e.g. an invalid book config or deposit */
  MF_ERR_NOT_FOUND = -5,        /* unknown book or account */
  MF_ERR_BUFFER_TOO_SMALL = -6, /* `*written` says how much is needed */
  MF_ERR_CORRUPT = -7,          /* checkpoint rejected, or an invariant broke */
} mf_status;

typedef struct mf_engine mf_engine;

MF_EXPORT int32_t mf_abi_version(void);
/* Record sizes in bytes, for the caller's layout check. */
MF_EXPORT uint32_t mf_instruction_size(void);
MF_EXPORT uint32_t mf_record_size(void);
MF_EXPORT uint32_t mf_book_config_size(void);
MF_EXPORT uint32_t mf_account_size(void);
MF_EXPORT uint32_t mf_depth_entry_size(void); /* header, level and order: all 24 */

/* A static message for a status code or a reject code. */
MF_EXPORT const char* mf_status_message(int32_t status);
MF_EXPORT const char* mf_reject_message(uint32_t code);

/* A new engine with `book_count` books configured by consecutive BookConfig
 * records. On error returns null with `*status` set (MF_ERR_INVALID_ARGUMENT
 * for a bad config) and, when `error` is not null, why — e.g. "book 2:
 * price and volume decimals must be at most 8" — NUL-terminated in at most
 * `error_capacity` bytes. */
MF_EXPORT mf_engine* mf_engine_create(const void* configs, uint32_t book_count, int32_t* status,
                                      char* error, uint32_t error_capacity);
MF_EXPORT void mf_engine_destroy(mf_engine* engine);
MF_EXPORT uint32_t mf_engine_book_count(const mf_engine* engine);
MF_EXPORT int64_t mf_engine_now(const mf_engine* engine);

/* Opens (agent, book)'s account if needed and adds to its free balances:
 * base in lots, quote in quote units (10^-(price_decimals+volume_decimals)). */
MF_EXPORT int32_t mf_engine_deposit(mf_engine* engine, int32_t agent_id, uint32_t book_id,
                                    int64_t base_lots, int64_t quote_units);

/* τaos RESET_AGENT: rebuilds (agent, book)'s account as new — cancels its
 * orders, closes its loans, replaces its balances with these and clears its
 * volumes and fees (Engine::ResetAccount). Opens it if it does not exist. */
MF_EXPORT int32_t mf_engine_reset_account(mf_engine* engine, int32_t agent_id, uint32_t book_id,
                                          int64_t base_lots, int64_t quote_units);

/* Queues `count` Instruction records; each arrives at now + its delay.
 * Malformed instructions are not refused here: they are rejected with a
 * notice when they arrive. */
MF_EXPORT int32_t mf_engine_submit(mf_engine* engine, const void* instructions, uint32_t count);

/* Delivers every queued message with arrival < until_ns, then sets the clock
 * to until_ns (if later). */
MF_EXPORT int32_t mf_engine_step(mf_engine* engine, int64_t until_ns);

/* Unread L3 events / notices, and draining them oldest first into `out`
 * (up to `capacity` Records). */
MF_EXPORT uint32_t mf_engine_pending_events(const mf_engine* engine);
MF_EXPORT uint32_t mf_engine_pending_notices(const mf_engine* engine);
MF_EXPORT int32_t mf_engine_read_events(mf_engine* engine, void* out, uint32_t capacity,
                                        uint32_t* written);
MF_EXPORT int32_t mf_engine_read_notices(mf_engine* engine, void* out, uint32_t capacity,
                                         uint32_t* written);

/* Depth snapshot of a book: DepthHeader, bid levels, ask levels (best first,
 * at most `max_levels` each), then the orders of the first
 * `detailed_levels` levels per side. `*written` is the size in bytes; when
 * it exceeds `capacity`, nothing is written and MF_ERR_BUFFER_TOO_SMALL
 * is returned. */
MF_EXPORT int32_t mf_engine_depth(const mf_engine* engine, uint32_t book_id, uint32_t max_levels,
                                  uint32_t detailed_levels, void* out, uint32_t capacity,
                                  uint32_t* written);

/* One AccountRecord; MF_ERR_NOT_FOUND when (agent, book) has no account. */
MF_EXPORT int32_t mf_engine_account(const mf_engine* engine, int32_t agent_id, uint32_t book_id,
                                    void* out);
/* Every account in opening order; `*written` = number of accounts, and
 * MF_ERR_BUFFER_TOO_SMALL (nothing written) when they exceed `capacity`. */
MF_EXPORT int32_t mf_engine_accounts(const mf_engine* engine, void* out, uint32_t capacity,
                                     uint32_t* written);
/* A book's exchange ledger: fees collected (quote units, net of rebates)
 * and the book's dynamic maker-taker ratio (ppb). */
MF_EXPORT int32_t mf_engine_book_ledger(const mf_engine* engine, uint32_t book_id,
                                        int64_t* fee_sink, int64_t* maker_taker_ratio);

/* MF_OK when every invariant holds (books uncrossed, balances non-negative,
 * reservations exact, base and quote conserved), else MF_ERR_CORRUPT with
 * the first violation written to `error` (NUL-terminated) when not null. */
MF_EXPORT int32_t mf_engine_check(const mf_engine* engine, char* error, uint32_t error_capacity);

/* Checkpoint: the whole engine (books, accounts, loans, queue, unread
 * records) as bytes. `*size` receives the size; write fails with
 * MF_ERR_BUFFER_TOO_SMALL (and the size in `*written`) if it does not fit. */
MF_EXPORT int32_t mf_engine_checkpoint_size(const mf_engine* engine, uint32_t* size);
MF_EXPORT int32_t mf_engine_checkpoint_write(const mf_engine* engine, void* out,
                                             uint32_t capacity, uint32_t* written);
/* An engine restored from checkpoint bytes; null with `*status` =
 * MF_ERR_CORRUPT (and why in `error`) for anything else. */
MF_EXPORT mf_engine* mf_engine_restore(const void* bytes, uint32_t size, int32_t* status,
                                       char* error, uint32_t error_capacity);

#ifdef __cplusplus
}
#endif

#endif /* MARKETFORGE_ABI_MARKETFORGE_H_ */
