// A fixed set of worker threads that run a batch of independent tasks and
// wait for all of them: the blocks of one simulated step. Tasks are taken
// in index order from a shared counter, so load balances itself; results
// never depend on which thread ran what because tasks share nothing.
#ifndef MARKETFORGE_SIM_THREAD_POOL_H_
#define MARKETFORGE_SIM_THREAD_POOL_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mf::sim {

class ThreadPool {
 public:
  // `threads` workers in all, the caller's thread being one of them; 1 runs
  // every task inline.
  explicit ThreadPool(size_t threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  size_t threads() const { return workers_.size() + 1; }

  // Runs task(0) .. task(count − 1) and returns when all are done.
  void Run(size_t count, const std::function<void(size_t)>& task);

 private:
  void Work();
  // Takes and runs tasks of the current batch until none are left.
  void Drain();

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable start_;
  std::condition_variable done_;
  const std::function<void(size_t)>* task_ = nullptr;
  size_t count_ = 0;
  std::atomic<size_t> next_{0};
  size_t busy_ = 0;        // workers still inside the current batch
  uint64_t generation_ = 0;
  bool stopping_ = false;
};

}  // namespace mf::sim

#endif  // MARKETFORGE_SIM_THREAD_POOL_H_
