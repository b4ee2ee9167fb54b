/**
 * A tiny FIFO async mutex. The registry serializes submissions in-process (one instance per
 * RegistryService), so its read-then-write checks (uniqueId, target status) see a stable store; the
 * MetadataWrite preconditions still guard against other processes.
 */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `task` after every earlier task has settled; its result or error is passed through. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // the chain continues whether the task succeeded or failed
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
