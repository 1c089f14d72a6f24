/* The C ABI of the Marketforge simulation core: the only door into native/.
 *
 * Every function returns a status code (or a plain value) and never lets a
 * C++ exception escape. Commands and events are fixed-layout records
 * (book/records.h, mirrored by engine/_book_layout.ts); the caller owns
 * every buffer, and no callback crosses the boundary.
 */
#ifndef MARKETFORGE_ABI_MARKETFORGE_H_
#define MARKETFORGE_ABI_MARKETFORGE_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MF_EXPORT __attribute__((visibility("default")))

/* Bumped whenever a record layout or a signature changes. */
#define MF_ABI_VERSION 1

typedef enum mf_status {
  MF_OK = 0,
  MF_ERR_NULL_ARGUMENT = -1,
  MF_ERR_OUT_OF_MEMORY = -2,
  MF_ERR_INTERNAL = -3,
} mf_status;

typedef struct mf_book mf_book;

MF_EXPORT int32_t mf_abi_version(void);
MF_EXPORT uint32_t mf_command_size(void);
MF_EXPORT uint32_t mf_event_size(void);

/* Returns a new empty book, or null when out of memory. */
MF_EXPORT mf_book* mf_book_create(void);
MF_EXPORT void mf_book_destroy(mf_book* book);

/* Applies `count` command records in order. Their events queue inside the
 * book until read with mf_book_read_events. On error, `*applied` says how
 * many commands took effect. */
MF_EXPORT int32_t mf_book_apply(mf_book* book, const void* commands, uint32_t count,
                                uint32_t* applied);

/* Number of queued events not yet read. */
MF_EXPORT uint32_t mf_book_pending_events(const mf_book* book);

/* Moves up to `capacity` queued events, oldest first, into `out`. */
MF_EXPORT int32_t mf_book_read_events(mf_book* book, void* out, uint32_t capacity,
                                      uint32_t* written);

/* Writes up to `max_levels` bid levels then up to `max_levels` ask levels,
 * best first, as (price_ticks, quantity_lots) int64 pairs: `out` holds
 * 4 * max_levels int64 values; bids start at 0, asks at 2 * max_levels. */
MF_EXPORT int32_t mf_book_depth(const mf_book* book, uint32_t max_levels, int64_t* out,
                                uint32_t* bid_levels, uint32_t* ask_levels);

#ifdef __cplusplus
}
#endif

#endif /* MARKETFORGE_ABI_MARKETFORGE_H_ */
